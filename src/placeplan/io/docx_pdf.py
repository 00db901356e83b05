"""PDF copies of the delivery reports: the Word file converted by LibreOffice, run headless.

LibreOffice is a system package (`libreoffice-writer-nogui`, installed by scripts/test-setup.sh),
not a Python one, so the PDF is offered only where `soffice` is found.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_S = 60


class PdfUnavailable(Exception):
    """LibreOffice is not installed here, or it failed to convert the file."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes) -> bytes:
    program = soffice()
    if program is None:
        raise PdfUnavailable("PDF needs LibreOffice (soffice), which is not installed here")
    with tempfile.TemporaryDirectory(prefix="placeplan-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "report.docx"
        source.write_bytes(docx)
        # A profile of its own: two conversions sharing one profile make the second one fail.
        profile = (folder / "profile").as_uri()
        try:
            subprocess.run(
                [
                    program,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=TIMEOUT_S,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"LibreOffice could not convert the report: {exc}") from exc
        target = folder / "report.pdf"
        if not target.exists():
            raise PdfUnavailable("LibreOffice wrote no PDF")
        return target.read_bytes()
