"""A batch of planning workbooks, uploaded as one zip: its files, each as bytes with its name.
Guarded as every upload is (a bounded number of entries, each and all bounded in size), and
folders, hidden files and the Mac's resource forks left out."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from placeplan.core.errors import InputError
from placeplan.io.xlsx_guard import MAX_FILE_BYTES

MAX_ENTRIES = 400  # England's 153 HWBs, with room for a region's resubmissions
MAX_BATCH_BYTES = 600 * 1024 * 1024  # unpacked, all entries together


@dataclass(frozen=True)
class Entry:
    name: str
    content: bytes
    problem: str | None = None  # refused before it was read


def _kept(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return bool(base) and not base.startswith((".", "~$")) and not name.startswith("__MACOSX/")


def entries(content: bytes, filename: str) -> list[Entry]:
    """The files of a zip, in name order; an InputError naming the file if it is not a zip or
    is too big."""
    if not content:
        raise InputError("Choose a zip of planning workbooks to upload", field="batch")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise InputError(
            f"{filename} is not a zip file: upload the workbooks as one .zip", field="batch"
        ) from exc
    with archive:
        infos = sorted((i for i in archive.infolist() if not i.is_dir() and _kept(i.filename)),
                       key=lambda i: i.filename)  # fmt: skip
        if len(infos) > MAX_ENTRIES:
            raise InputError(
                f"{filename} holds {len(infos)} files; at most {MAX_ENTRIES} are accepted",
                field="batch",
            )
        if sum(i.file_size for i in infos) > MAX_BATCH_BYTES:
            raise InputError(f"{filename} unpacks to more than 600 MB", field="batch")
        found = []
        for info in infos:
            name = info.filename.rsplit("/", 1)[-1]
            if info.file_size > MAX_FILE_BYTES:
                found.append(
                    Entry(name, b"", f"over {MAX_FILE_BYTES // 1024 // 1024} MB: not read")
                )
                continue
            found.append(Entry(name, archive.read(info)))
        return found
