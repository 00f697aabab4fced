"""Uploads: a file is stored and acknowledged at once, then parsed by the ``activity.upload_received``
handler, which creates its activities (one per activity in the file, or per file in a ZIP)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import uuid
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, Final

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.errors import UploadNotFound, UploadTooLarge
from athlos.activities.importers.detect import parse_bytes
from athlos.activities.importers.errors import ImportRefused
from athlos.activities.models import Upload
from athlos.activities.service import add_imported_activity, check_sport, find_by_file
from athlos.activities.storage import member_path, safe_filename, upload_path
from athlos.core.db import utcnow
from athlos.core.events import emit

UPLOAD_RECEIVED: Final = "activity.upload_received"
CHUNK: Final = 1024 * 1024
MAX_ARCHIVE_MEMBERS: Final = 5000
_ZIP_MAGIC: Final = b"PK\x03\x04"

DUPLICATE: Final = "duplicate"
EMPTY_ARCHIVE: Final = "empty_archive"
NO_ACTIVITIES: Final = "no_activities"


async def receive_upload(
    session: AsyncSession,
    *,
    owner_id: uuid.UUID,
    stream: BinaryIO,
    filename: str | None,
    data_dir: Path,
    max_bytes: int,
    sport: str | None = None,
    name: str | None = None,
    visibility: str = "everyone",
) -> Upload:
    """Store the file under the data directory and queue it for parsing.

    Refuses a file over ``max_bytes`` (413) before anything is kept.
    """
    if sport is not None:
        check_sport(sport)
    upload_id = uuid.uuid4()
    path = upload_path(data_dir, upload_id)
    size, sha256 = await asyncio.to_thread(_store, stream, path, max_bytes)
    upload = Upload(
        id=upload_id,
        owner_id=owner_id,
        status="processing",
        filename=safe_filename(filename),
        size_bytes=size,
        sha256=sha256,
        stored_path=str(path.absolute()),
        sport=sport,
        name=name or None,
        visibility=visibility,
        warnings=[],
        activity_ids=[],
        progress_total=1,
        progress_done=0,
    )
    session.add(upload)
    await session.flush()
    emit(session, UPLOAD_RECEIVED, upload.id, {"upload_id": str(upload.id), "max_bytes": max_bytes})
    return upload


def _store(stream: BinaryIO, path: Path, max_bytes: int) -> tuple[int, str]:
    """Copy ``stream`` to ``path``; its size and SHA-256. Nothing is left behind when it is too large."""
    digest = hashlib.sha256()
    size = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadTooLarge(f"The file is larger than the limit of {max_bytes} bytes.")
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return size, digest.hexdigest()


async def own_upload(session: AsyncSession, owner_id: uuid.UUID, upload_id: uuid.UUID) -> Upload:
    upload = await session.get(Upload, upload_id)
    if upload is None or upload.owner_id != owner_id:
        raise UploadNotFound()
    return upload


def _fail(upload: Upload, code: str, detail: str) -> None:
    upload.status = "error"
    upload.error_code = code
    upload.error_detail = detail
    upload.finished_at = utcnow()


async def process_upload(session: AsyncSession, upload_id: uuid.UUID, max_bytes: int) -> None:
    """Parse a stored upload into activities; the upload ends ``done`` or ``error``. Idempotent."""
    upload = await session.get(Upload, upload_id)
    if upload is None or upload.status != "processing":
        return
    path = Path(upload.stored_path)
    data = await asyncio.to_thread(path.read_bytes)
    if data.startswith(_ZIP_MAGIC):
        await _import_archive(session, upload, data, path, max_bytes)
    else:
        await _import_single(session, upload, data, path, max_bytes)
    await session.flush()


async def _import_single(
    session: AsyncSession, upload: Upload, data: bytes, path: Path, max_bytes: int
) -> None:
    existing = await find_by_file(session, upload.owner_id, upload.sha256)
    if existing is not None:
        upload.progress_done = 1
        upload.duplicate_of = existing.id
        _fail(upload, DUPLICATE, f"This file was already imported as activity {existing.id}.")
        return
    try:
        ids, warnings = await _import_file(
            session, upload, data, upload.sha256, path, upload.filename, max_bytes
        )
    except ImportRefused as refused:
        upload.progress_done = 1
        _fail(upload, refused.code, refused.detail)
        return
    upload.activity_ids = ids
    upload.warnings = warnings
    upload.progress_done = 1
    upload.status = "done"
    upload.finished_at = utcnow()


async def _import_file(
    session: AsyncSession,
    upload: Upload,
    data: bytes,
    sha256: str,
    stored: Path,
    filename: str,
    max_bytes: int,
) -> tuple[list[str], list[str]]:
    """Create the activities of one file; returns their ids and the warnings worth showing."""
    parsed = parse_bytes(data, filename, max_bytes=max_bytes)
    ids: list[str] = []
    warnings = list(parsed.warnings)
    for index, activity in enumerate(parsed.activities):
        created = await add_imported_activity(
            session,
            owner_id=upload.owner_id,
            parsed=activity,
            file_warnings=list(parsed.warnings),
            sport=upload.sport,
            title=upload.name,
            visibility=upload.visibility,
            upload_id=upload.id,
            file_sha256=sha256,
            file_index=index,
            original_path=str(stored),
            original_filename=filename,
        )
        ids.append(str(created.id))
        warnings.extend(activity.warnings)
    return ids, warnings


def _archive_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    members = []
    for info in archive.infolist():
        base = info.filename.rsplit("/", 1)[-1]
        if info.is_dir() or not base or base.startswith(".") or info.filename.startswith("__MACOSX/"):
            continue
        members.append(info)
    return members


async def _import_archive(
    session: AsyncSession, upload: Upload, data: bytes, path: Path, max_bytes: int
) -> None:
    """Each file of a ZIP becomes its activities; files that fail are reported as warnings."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = _archive_members(archive)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        _fail(upload, "corrupt_file", f"the ZIP archive is damaged: {exc}")
        return
    if not members:
        _fail(upload, EMPTY_ARCHIVE, "The ZIP archive holds no files.")
        return
    if len(members) > MAX_ARCHIVE_MEMBERS:
        _fail(upload, "too_large", f"The ZIP archive holds more than {MAX_ARCHIVE_MEMBERS} files.")
        return
    upload.progress_total = len(members)
    upload.progress_done = 0
    ids: list[str] = []
    warnings: list[str] = []
    duplicates: list[str] = []
    seen: set[str] = set()
    for index, info in enumerate(members):
        label = safe_filename(info.filename)
        upload.progress_done = index + 1
        try:
            if info.file_size > max_bytes:
                raise ImportRefused("too_large", f"the file {label!r} is larger than {max_bytes} bytes")
            with archive.open(info) as member:
                content = member.read(max_bytes + 1)
        except ImportRefused as refused:
            warnings.append(f"{info.filename}: {refused.code}: {refused.detail}")
            continue
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            RuntimeError,
            NotImplementedError,
            ValueError,
        ) as exc:
            warnings.append(f"{info.filename}: corrupt_file: {exc}")
            continue
        sha256 = hashlib.sha256(content).hexdigest()
        existing = await find_by_file(session, upload.owner_id, sha256)
        if existing is not None or sha256 in seen:
            what = f"activity {existing.id}" if existing is not None else "another file of this archive"
            if existing is not None:
                upload.duplicate_of = existing.id
            duplicates.append(info.filename)
            warnings.append(f"{info.filename}: duplicate: already imported as {what}")
            continue
        seen.add(sha256)
        stored = member_path(path, index)
        try:
            parsed_ids, parsed_warnings = await _import_file(
                session, upload, content, sha256, stored, label, max_bytes
            )
        except ImportRefused as refused:
            warnings.append(f"{info.filename}: {refused.code}: {refused.detail}")
            continue
        stored.write_bytes(content)
        ids.extend(parsed_ids)
        warnings.extend(f"{info.filename}: {w}" for w in parsed_warnings)
    upload.activity_ids = ids
    upload.warnings = warnings
    if ids:
        upload.status = "done"
        upload.finished_at = utcnow()
    elif duplicates and len(duplicates) == len(members):
        _fail(upload, DUPLICATE, "Every file of this archive was already imported.")
    else:
        _fail(upload, NO_ACTIVITIES, "No file of this archive could be imported; see the warnings.")
