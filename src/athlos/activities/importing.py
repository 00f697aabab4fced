"""Turning one stored file into activities of an upload, and settling the upload's outcome."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.importers.detect import parse_bytes
from athlos.activities.models import Upload
from athlos.activities.service import add_imported_activity
from athlos.core.db import utcnow

DUPLICATE: Final = "duplicate"
EMPTY_ARCHIVE: Final = "empty_archive"
NO_ACTIVITIES: Final = "no_activities"


def fail(upload: Upload, code: str, detail: str) -> None:
    upload.status = "error"
    upload.error_code = code
    upload.error_detail = detail
    upload.finished_at = utcnow()


def finish(upload: Upload) -> None:
    upload.status = "done"
    upload.finished_at = utcnow()


async def import_file(
    session: AsyncSession,
    upload: Upload,
    data: bytes,
    sha256: str,
    stored: Path,
    filename: str,
    max_bytes: int,
) -> tuple[list[str], list[str]]:
    """Create the activities of one file; their ids and the warnings worth showing.

    Raises :class:`~athlos.activities.importers.errors.ImportRefused` for a file that is refused.
    """
    # Parsing is CPU work: off the event loop, so the embedded server keeps answering meanwhile.
    parsed = await asyncio.to_thread(parse_bytes, data, filename, max_bytes=max_bytes)
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
