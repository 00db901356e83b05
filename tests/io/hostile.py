"""The probe's hostile workbooks: a genuine package with one sheet's XML replaced, each small on
disk and costly to read naively (issue 15). `measure` reads one in a fresh interpreter and reports
the error, the seconds and the process's peak resident memory (ru_maxrss, the interpreter and its
imports included: about 65 MB before any file is read).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}">'


def _sparse() -> Iterator[str]:
    # one row, numbered two billion: openpyxl yields every row before it
    yield '<sheetData><row r="2000000000"><c r="A2000000000" t="inlineStr"><is><t>x</t>'
    yield "</is></c></row></sheetData></worksheet>"


def _empty_rows(count: int = 4_000_000) -> Iterator[str]:
    yield "<sheetData>"
    for start in range(1, count + 1, 10_000):
        yield "".join(f'<row r="{r}"/>' for r in range(start, start + 10_000))
    yield "</sheetData></worksheet>"


def _dense(rows: int = 20_000, columns: int = 200) -> Iterator[str]:
    yield "<sheetData>"
    cells = "".join(f"<c><v>{c}</v></c>" for c in range(columns))
    for r in range(1, rows + 1):
        yield f'<row r="{r}">{cells}</row>'
    yield "</sheetData></worksheet>"


def _truncated() -> Iterator[str]:
    yield '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Cut off he'


def _entities() -> Iterator[str]:
    yield '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>'
    yield "</sheetData></worksheet>"


HOSTILE: dict[str, Callable[[], Iterator[str]]] = {
    "sparse": _sparse,
    "empty rows": _empty_rows,
    "dense cells": _dense,
    "truncated": _truncated,
    "entities": _entities,
}


def hostile(base: bytes, sheet: str, kind: str) -> bytes:
    """`base` (a genuine workbook) with `sheet`'s XML replaced by the `kind` of hostile sheet."""
    wb = load_workbook(io.BytesIO(base), read_only=True)
    index = wb.sheetnames.index(sheet)
    wb.close()
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        parts = sorted(n for n in source.namelist() if n.startswith("xl/worksheets/sheet"))
        target = _sheet_part(source, index) or parts[index]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            for info in source.infolist():
                if info.filename != target:
                    package.writestr(info, source.read(info))
                    continue
                with package.open(target, "w") as part:
                    if kind == "entities":
                        part.write(
                            b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaa">]>'
                            + HEAD.split("\n", 1)[1].encode()
                        )
                    else:
                        part.write(HEAD.encode())
                    for chunk in HOSTILE[kind]():
                        part.write(chunk.encode())
    return out.getvalue()


def _sheet_part(package: zipfile.ZipFile, index: int) -> str | None:
    """The part of the sheet at `index`, through the workbook's relationships."""
    import re

    workbook = package.read("xl/workbook.xml").decode()
    rels = package.read("xl/_rels/workbook.xml.rels").decode()
    ids = re.findall(r'<sheet [^>]*r:id="([^"]+)"', workbook)
    if index >= len(ids):
        return None
    target = re.search(rf'Id="{ids[index]}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{ids[index]}"', rels
    )
    if target is None:
        return None
    path = target[1].lstrip("/")
    return path if path.startswith("xl/") else f"xl/{path}"


MEASURE = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {src!r})
from placeplan.core.errors import InputError
def peak_kb():
    # VmHWM, this process's own peak: ru_maxrss would count the parent's pages forked before exec
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from {module} import {function} as read
started = time.perf_counter()
try:
    read(Path({path!r}))
    error = None
except InputError as exc:
    error = {{"message": exc.message, "sheet": exc.sheet, "row": exc.row, "file": exc.file}}
seconds = time.perf_counter() - started
print(json.dumps({{"error": error, "seconds": seconds,
    "maxrss_mb": peak_kb() / 1024}}))
"""


def measure(path: Path, reader: str) -> dict[str, object]:
    """Read `path` with `reader` ("module:function") in a fresh interpreter."""
    module, function = reader.split(":")
    script = MEASURE.format(src=str(ROOT / "src"), module=module, function=function, path=str(path))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
