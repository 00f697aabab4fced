"""Uploads: a file is stored and acknowledged at once, then parsed by the ``activity.upload_received``
handler, which creates its activities (one per activity in the file; a ZIP goes on in ``archives``)."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from pathlib import Path
from typing import BinaryIO, Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.errors import UploadNotFound, UploadTooLarge
from athlos.activities.importers.errors import ImportRefused
from athlos.activities.models import Activity, Upload
from athlos.activities.service import check_sport, default_visibility, find_by_file
from athlos.activities.storage import safe_filename, upload_path
from athlos.activities.uploads.archives import ZIP_MAGIC, start_archive
from athlos.activities.uploads.importing import DUPLICATE, fail, finish, import_file
from athlos.core.events import emit

UPLOAD_RECEIVED: Final = "activity.upload_received"
CHUNK: Final = 1024 * 1024


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
    visibility: str | None = None,
) -> Upload:
    """Store the file under the data directory and queue it for parsing.

    Refuses a file over ``max_bytes`` (413) before anything is kept. Without a ``visibility`` the
    activities get the one the owner's profile chose for new activities.
    """
    if sport is not None:
        check_sport(sport)
    if visibility is None:
        visibility = await default_visibility(session, owner_id)
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


async def recent_uploads(session: AsyncSession, owner_id: uuid.UUID, limit: int) -> list[Upload]:
    """The owner's latest uploads, newest first (ids are time-ordered)."""
    query = select(Upload).where(Upload.owner_id == owner_id)
    return list(
        await session.scalars(query.order_by(Upload.created_at.desc(), Upload.id.desc()).limit(limit))
    )


async def process_upload(session: AsyncSession, upload_id: uuid.UUID, max_bytes: int) -> None:
    """Parse a stored upload into activities; the upload ends ``done`` or ``error``. Idempotent."""
    upload = await session.get(Upload, upload_id)
    if upload is None or upload.status != "processing":
        return
    path = Path(upload.stored_path)
    data = await asyncio.to_thread(path.read_bytes)
    if data.startswith(ZIP_MAGIC):
        await start_archive(session, upload, max_bytes)
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
        fail(upload, DUPLICATE, f"This file was already imported as activity {existing.id}.")
        return
    try:
        ids, warnings = await import_file(
            session, upload, data, upload.sha256, path, upload.filename, max_bytes
        )
    except ImportRefused as refused:
        upload.progress_done = 1
        fail(upload, refused.code, refused.detail)
        return
    upload.activity_ids = ids
    upload.warnings = warnings
    upload.progress_done = 1
    finish(upload)


async def forget_unused_originals(session: AsyncSession, upload_id: uuid.UUID) -> list[Path]:
    """Remove the stored files of an upload that no remaining activity comes from (the archive itself
    included, since it holds them all); returns what was removed. Idempotent."""
    upload = await session.get(Upload, upload_id)
    if upload is None:
        return []
    kept = set(
        await session.scalars(
            select(Activity.original_path).where(
                Activity.upload_id == upload_id, Activity.original_path.is_not(None)
            )
        )
    )
    stored = Path(upload.stored_path)
    candidates = [stored, *stored.parent.glob(f"{stored.name}.*")]
    removed = [path for path in candidates if str(path) not in kept]
    for path in removed:
        await asyncio.to_thread(path.unlink, missing_ok=True)
    return removed
