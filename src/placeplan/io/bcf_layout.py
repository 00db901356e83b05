"""Kept for the other workbook formats (delivery tracker, pledges) that import these names from
here; the BCF workbook's layout is placeplan.io.bcf.layout, the text escapes placeplan.io.grid."""

from __future__ import annotations

from placeplan.io.bcf.layout import MAX_TEXT
from placeplan.io.grid import escape_text, unescape_text

__all__ = ["MAX_TEXT", "escape_text", "unescape_text"]
