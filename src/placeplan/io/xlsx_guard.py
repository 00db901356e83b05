"""Refuse a workbook before parsing it unless it is a genuine, macro-free xlsx of sensible size.

An .xlsx is a zip package whose `[Content_Types].xml` names the workbook part with the
spreadsheetml "sheet.main" content type. A legacy .xls (an OLE compound file), a CSV, or anything
else renamed to .xlsx is not a zip with that part and is refused; so are macro-enabled packages
(.xlsm: a vbaProject.bin part or a macro content type), Excel 4 macro sheets, binary .xlsb and
templates. Sizes are checked before anything is decompressed, so a zip bomb is refused unread.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

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
    if not any(content_type == XLSX_MAIN for _, content_type in types):
        found = sorted({c for _, c in types if c.endswith(".main+xml")}) or ["none"]
        raise _fail(
            "this zip is not an Excel workbook (.xlsx): its main part has content type "
            f"{', '.join(found)}, not {XLSX_MAIN}",
            file,
        )
