"""Reading a PDF back without a PDF library: its streams inflated, its bookmarks' titles (the
headings, as WeasyPrint writes them) and its structure tags (a tagged PDF's H1, H2, Table, Figure).
Enough to say that the file is a whole PDF and what it holds."""

from __future__ import annotations

import re
import zlib
from collections import Counter

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_TITLE = re.compile(rb"/Title\s*\(((?:\\.|[^\\)])*)\)")
_TAG = re.compile(rb"/S\s*/([A-Za-z0-9]+)")


def _inflated(pdf: bytes) -> bytes:
    parts = [pdf]
    for raw in _STREAM.findall(pdf):
        try:
            parts.append(zlib.decompress(raw))
        except zlib.error:
            continue
    return b"\n".join(parts)


def is_whole_pdf(pdf: bytes) -> bool:
    """A header, a cross-reference pointer to an offset inside the file, and the end marker."""
    found = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf)
    return pdf.startswith(b"%PDF-1.") and found is not None and int(found[1]) < len(pdf)


def outline(pdf: bytes) -> list[str]:
    """The bookmarks' titles, in order."""
    return [re.sub(rb"\\(.)", rb"\1", t).decode("latin-1") for t in _TITLE.findall(_inflated(pdf))]


def tags(pdf: bytes) -> Counter[str]:
    return Counter(t.decode() for t in _TAG.findall(_inflated(pdf)))


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", _inflated(pdf)))
