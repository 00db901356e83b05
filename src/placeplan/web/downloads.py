"""File answers: a download under its file name, and the media types the pages send."""

from __future__ import annotations

from fastapi.responses import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def download(content: bytes | str, media_type: str, filename: str) -> Response:
    """`content` as a file the browser saves as `filename` rather than shows."""
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
