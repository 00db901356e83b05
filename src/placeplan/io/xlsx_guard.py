"""Refuse a workbook before parsing it unless it is a genuine, macro-free xlsx of sensible size.

An .xlsx is a zip package whose `[Content_Types].xml` names the workbook part with the
spreadsheetml "sheet.main" content type. A legacy .xls (an OLE compound file), a CSV, or anything
else renamed to .xlsx is not a zip with that part and is refused; so are macro-enabled packages
(.xlsm: a vbaProject.bin part or a macro content type), Excel 4 macro sheets, binary .xlsb and
templates. Sizes are checked before anything is decompressed, so a zip bomb is refused unread.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path
from typing import IO
from xml.etree import ElementTree
from xml.parsers import expat

from placeplan.core.errors import InputError

MAX_FILE_BYTES = 20 * 1024 * 1024  # an upload over 20 MB is refused before it is opened
MAX_UNPACKED_BYTES = 250 * 1024 * 1024  # all parts together, decompressed
MAX_PARTS = 5_000
MAX_CONTENT_TYPES_BYTES = 1024 * 1024

XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_MACRO_MARKERS = ("macroenabled", "vbaproject", "macrosheet", "activex")


def _fail(message: str, file: str) -> InputError:
    return InputError(message, field="file", file=file)


def file_label(source: str | os.PathLike[str] | IO[bytes]) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return str(getattr(source, "name", "upload"))


def check_xlsx(source: str | os.PathLike[str] | IO[bytes], label: str | None = None) -> None:
    """Raise InputError unless `source` is a genuine xlsx package without macros, up to 20 MB."""
    file = label or file_label(source)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise _fail("no such file", file)
        size = path.stat().st_size
    else:
        size = source.seek(0, os.SEEK_END)
        source.seek(0)
    if size > MAX_FILE_BYTES:
        raise _fail(
            f"the file is {size / 1024 / 1024:.1f} MB; workbooks over "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB are refused",
            file,
        )
    try:
        with zipfile.ZipFile(source) as package:
            _check_package(package, file)
    except zipfile.BadZipFile as exc:
        raise _fail(
            "this is not an Excel workbook (.xlsx): it is not a zip package. Legacy .xls files, "
            "CSV files and other files renamed to .xlsx are refused; save it as an Excel "
            "Workbook (.xlsx)",
            file,
        ) from exc
    finally:
        if not isinstance(source, str | os.PathLike):
            source.seek(0)


def _check_package(package: zipfile.ZipFile, file: str) -> None:
    infos = package.infolist()
    if len(infos) > MAX_PARTS:
        raise _fail(f"the package has {len(infos)} parts; at most {MAX_PARTS} are accepted", file)
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _fail(
            f"the package unpacks to {unpacked / 1024 / 1024:.0f} MB; at most "
            f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB are accepted",
            file,
        )
    names = {i.filename for i in infos}
    if any(name.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for name in names):
        raise _fail(
            "the workbook contains macros (vbaProject.bin); macro-enabled workbooks are refused: "
            "save it as an Excel Workbook (.xlsx)",
            file,
        )
    if "[Content_Types].xml" not in names:
        raise _fail(
            "this zip is not an Excel workbook (.xlsx): it has no [Content_Types].xml", file
        )
    info = package.getinfo("[Content_Types].xml")
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise _fail("[Content_Types].xml is implausibly large", file)
    raw = package.read(info)
    if b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
        raise _fail("[Content_Types].xml declares a DOCTYPE or entities, which are refused", file)
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as exc:
        raise _fail(f"[Content_Types].xml is not well-formed XML ({exc})", file) from exc
    types = [
        (el.get("PartName") or el.get("Extension") or "", el.get("ContentType") or "")
        for el in root
        if el.tag in (f"{_CT_NS}Override", f"{_CT_NS}Default")
    ]
    for part, content_type in types:
        if any(marker in content_type.lower() for marker in _MACRO_MARKERS):
            raise _fail(
                f"the workbook contains macros or controls ({part}: {content_type}); "
                "macro-enabled workbooks are refused: save it as an Excel Workbook (.xlsx)",
                file,
            )
    sheets = {name.lstrip("/") for name, kind in types if kind == _WORKSHEET}
    for info in infos:
        if info.filename in sheets:
            continue  # check_sheets streams each sheet whole, and names the sheet
        if info.filename.lower().endswith((".xml", ".rels")) and _declares_dtd(package, info):
            raise _fail(
                f"{info.filename} declares a DOCTYPE or entities, which workbooks do not need "
                "and are refused",
                file,
            )
    if not any(content_type == XLSX_MAIN for _, content_type in types):
        found = sorted({c for _, c in types if c.endswith(".main+xml")}) or ["none"]
        raise _fail(
            "this zip is not an Excel workbook (.xlsx): its main part has content type "
            f"{', '.join(found)}, not {XLSX_MAIN}",
            file,
        )


_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _declares_dtd(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a part's prolog (what comes before its first element) declares a DOCTYPE: read in
    chunks up to that element, so a huge part costs no more than its prolog."""
    seen = b""
    with package.open(info) as part:
        while chunk := part.read(64 * 1024):
            seen = seen[-16:] + chunk
            root = _ROOT_START.search(seen)
            prolog = (seen if root is None else seen[: root.start()]).upper()
            if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                return True
            if root is not None:
                return False
    return False


# ---- the sheets, streamed before openpyxl reads them ------------------------------------------
# openpyxl parses a sheet without a <dimension> to its end just to size it, and then yields every
# row number a sheet skips: a 15 KB file with one row numbered two billion, or millions of empty
# rows, costs gigabytes. Each worksheet part is streamed through expat first, holding nothing, and
# refused at its first row numbered past the limit, at the cell that takes the workbook past
# MAX_CELLS, at a DOCTYPE or entity, or at the first XML error, naming the sheet and the row.
MAX_CELLS = 1_000_000  # cell elements, filled or formatted, over all sheets: 50,000 rows x 20
_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def sheet_error(reason: str, file: str, sheet: str | None, row: int | None) -> InputError:
    """The one answer to a sheet whose XML cannot be read."""
    return InputError(
        f"the {sheet or 'first'} sheet could not be read from row {row or 1} on: its XML is "
        f"damaged or uses features workbooks do not need ({reason[:200]})",
        field="file",
        file=file,
        sheet=sheet,
        row=row,
    )


def check_sheets(source: IO[bytes], file: str, max_rows: int) -> None:
    """Raise InputError at the first row past `max_rows` in any worksheet, at the cell past
    MAX_CELLS over them all, or at any XML error or DTD in one."""
    try:
        with zipfile.ZipFile(source) as package:
            names = _sheet_names(package)
            cells = 0
            for part in _worksheet_parts(package):
                cells = _scan(package, part, names.get(part, part), file, max_rows, cells)
    except zipfile.BadZipFile as exc:
        raise _fail(f"the workbook's package is damaged ({exc})", file) from exc
    finally:
        source.seek(0)


def _worksheet_parts(package: zipfile.ZipFile) -> list[str]:
    root = ElementTree.fromstring(package.read("[Content_Types].xml"))
    return [
        (el.get("PartName") or "").lstrip("/")
        for el in root
        if el.tag == f"{_CT_NS}Override" and el.get("ContentType") == _WORKSHEET
    ]


def _sheet_names(package: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's sheet name, through the workbook and its relationships; {} when the
    package does not say (the part's name then stands for the sheet)."""
    try:
        workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {
        el.get("Id"): (el.get("Target") or "")
        for el in rels
        if el.tag == f"{_PKG_REL_NS}Relationship"
    }
    names = {}
    for sheet in workbook.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"):
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        names[part] = sheet.get("name") or part
    return names


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["']\s*(\d+)""")


class _Tally:
    """Rows and cells counted over a worksheet part's text as it streams past."""

    def __init__(self, sheet: str, file: str, max_rows: int, cells_before: int) -> None:
        self.sheet, self.file, self.max_rows = sheet, file, max_rows
        self.row = self.rows = 0
        self.cells = cells_before

    def count(self, text: bytes) -> None:
        # counted in the text, not by a callback per element, allocating nothing per cell: a
        # million cells take a fraction of a second (expat checks the same text is well-formed).
        # Every tag starting "<c" counts (a few <col> too): a stricter limit, never a looser one
        self.cells += text.count(b"<c") + text.count(b":c ") + text.count(b":c>")
        for match in _ROW_TAG.finditer(text):
            number = _ROW_NUMBER.search(match[1])
            self.row = int(number[1]) if number else self.row + 1
            self.rows += 1
            if self.row > self.max_rows or self.rows > self.max_rows:
                raise InputError(
                    f"the {self.sheet} sheet goes on past row {self.max_rows}, the last row this "
                    f"workbook's sheets may use: remove the rows from row {self.row} down",
                    file=self.file,
                    sheet=self.sheet,
                    row=self.row,
                )
        if self.cells > MAX_CELLS:
            raise InputError(
                f"the workbook has more than {MAX_CELLS:,} cells",
                file=self.file,
                sheet=self.sheet,
                row=self.row or None,
            )


def _scan(
    package: zipfile.ZipFile, part: str, sheet: str, file: str, max_rows: int, used: int
) -> int:
    """Stream one worksheet part; the cell elements counted so far, this part's included."""
    tally = _Tally(sheet, file, max_rows, used)
    parser = expat.ParserCreate()

    def declared(*_: object) -> None:
        raise sheet_error("it declares a DOCTYPE or entities", file, sheet, tally.row + 1)

    parser.StartDoctypeDeclHandler = declared
    parser.EntityDeclHandler = declared
    pending = b""
    try:
        with package.open(part) as stream:
            while chunk := stream.read(64 * 1024):
                parser.Parse(chunk, False)
                text = pending + chunk
                cut = text.rfind(b"<")  # a tag cut by the chunk's end is counted with the next
                tally.count(text[:cut] if cut >= 0 else text)
                pending = text[cut:] if cut >= 0 else b""
            parser.Parse(b"", True)
            tally.count(pending)
    except KeyError as exc:
        raise _fail(f"the package names a sheet it does not hold ({part})", file) from exc
    except expat.ExpatError as exc:
        raise sheet_error(expat.errors.messages[exc.code], file, sheet, tally.row + 1) from exc
    return tally.cells
