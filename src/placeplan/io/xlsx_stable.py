"""Workbooks whose bytes depend on their content alone, so an export made twice is identical."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped,unused-ignore]

FIXED_TIME = datetime(2020, 1, 1)
FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def stable_bytes(wb: Any) -> bytes:
    """The workbook as xlsx bytes with its document dates and every zip entry's time fixed."""
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the modified date with the clock.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    # The zip's own entry times come from the clock too: repack with fixed ones.
    out = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info))
    return out.getvalue()
