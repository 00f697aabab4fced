"""ZIP uploads: one ``activity.upload_member`` event per file of the archive, each imported in its own
transaction, so the upload's progress counts move as the files are done and a bad file spoils nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
import zipfile
import zlib
from pathlib import Path
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.importers.errors import CORRUPT_FILE, TOO_LARGE, ImportRefused
from athlos.activities.importing import DUPLICATE, EMPTY_ARCHIVE, NO_ACTIVITIES, fail, finish, import_file
from athlos.activities.models import Upload
from athlos.activities.service import find_by_file
from athlos.activities.storage import member_path, safe_filename
from athlos.core.events import emit

UPLOAD_MEMBER: Final = "activity.upload_member"
MAX_ARCHIVE_MEMBERS: Final = 5000
ZIP_MAGIC: Final = b"PK\x03\x04"
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    RuntimeError,
    NotImplementedError,
    ValueError,
    OSError,
)
_DUPLICATE_MARK: Final = ": duplicate: "


def archive_members(path: Path) -> list[zipfile.ZipInfo]:
    """The files of the archive worth trying, in archive order (folders and system litter left out)."""
    with zipfile.ZipFile(path) as archive:
        return [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not info.filename.rsplit("/", 1)[-1].startswith(".")
            and not info.filename.startswith("__MACOSX/")
        ]


def read_member(path: Path, index: int, max_bytes: int) -> tuple[str, bytes]:
    """The name and content of member ``index``; refused when it unpacks to more than ``max_bytes``."""
    info = archive_members(path)[index]
    if info.file_size > max_bytes:
        raise ImportRefused(TOO_LARGE, f"the file is larger than {max_bytes} bytes")
    try:
        with zipfile.ZipFile(path) as archive, archive.open(info) as member:
            content = member.read(max_bytes + 1)
    except _ZIP_ERRORS as exc:
        raise ImportRefused(CORRUPT_FILE, f"the file cannot be unpacked: {exc}") from None
    if len(content) > max_bytes:
        raise ImportRefused(TOO_LARGE, f"the file unpacks to more than {max_bytes} bytes")
    return info.filename, content


async def start_archive(session: AsyncSession, upload: Upload, max_bytes: int) -> None:
    """Count the archive's files and queue one import per file."""
    try:
        members = await asyncio.to_thread(archive_members, Path(upload.stored_path))
    except _ZIP_ERRORS as exc:
        fail(upload, CORRUPT_FILE, f"The ZIP archive is damaged: {exc}")
        return
    if not members:
        fail(upload, EMPTY_ARCHIVE, "The ZIP archive holds no files.")
        return
    if len(members) > MAX_ARCHIVE_MEMBERS:
        fail(upload, TOO_LARGE, f"The ZIP archive holds more than {MAX_ARCHIVE_MEMBERS} files.")
        return
    upload.progress_total = len(members)
    upload.progress_done = 0
    for index in range(len(members)):
        emit(
            session,
            UPLOAD_MEMBER,
            upload.id,
            {"upload_id": str(upload.id), "index": index, "max_bytes": max_bytes},
        )


async def import_member(session: AsyncSession, upload_id: uuid.UUID, index: int, max_bytes: int) -> None:
    """Import one file of an archive and count it; the last one settles the upload."""
    # The row lock serialises the members of one upload across workers (duplicates, counts, lists).
    upload = await session.get(Upload, upload_id, with_for_update=True)
    if upload is None or upload.status != "processing" or index >= upload.progress_total:
        return
    archive = Path(upload.stored_path)
    ids: list[str] = []
    warnings: list[str] = []
    try:
        members = await asyncio.to_thread(archive_members, archive)
    except _ZIP_ERRORS:
        members = []
    name = members[index].filename if index < len(members) else f"file {index + 1}"
    try:
        if not members:
            raise ImportRefused(CORRUPT_FILE, "the archive can no longer be read")
        name, content = await asyncio.to_thread(read_member, archive, index, max_bytes)
        sha256 = hashlib.sha256(content).hexdigest()
        existing = await find_by_file(session, upload.owner_id, sha256)
        if existing is not None:
            upload.duplicate_of = existing.id
            warnings.append(f"{name}{_DUPLICATE_MARK}already imported as activity {existing.id}")
        else:
            stored = member_path(archive, index)
            ids, found = await import_file(
                session, upload, content, sha256, stored, safe_filename(name), max_bytes
            )
            await asyncio.to_thread(stored.write_bytes, content)
            warnings.extend(f"{name}: {warning}" for warning in found)
    except ImportRefused as refused:
        warnings.append(f"{name}: {refused.code}: {refused.detail}")
    upload.activity_ids = [*upload.activity_ids, *ids]
    upload.warnings = [*upload.warnings, *warnings]
    upload.progress_done += 1
    if upload.progress_done >= upload.progress_total:
        _settle(upload)
    await session.flush()


def _settle(upload: Upload) -> None:
    if upload.activity_ids:
        finish(upload)
    elif sum(_DUPLICATE_MARK in w for w in upload.warnings) == upload.progress_total:
        fail(upload, DUPLICATE, "Every file of this archive was already imported.")
    else:
        fail(upload, NO_ACTIVITIES, "No file of this archive could be imported; see the warnings.")
