"""Turning one stored file into activities of an upload, and settling the upload's outcome."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.importers.detect import parse_bytes
from athlos.activities.models import Upload
from athlos.activities.overlaps.service import overlap_warnings
from athlos.activities.service import add_imported_activity
from athlos.activities.streams import ParsedFile
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
    return await import_parsed(session, upload, parsed, sha256, stored, filename)


async def import_parsed(
    session: AsyncSession,
    upload: Upload,
    parsed: ParsedFile,
    sha256: str,
    stored: Path | None,
    filename: str,
    *,
    sport: str | None = None,
    name: str | None = None,
    description: str | None = None,
) -> tuple[list[str], list[str]]:
    """Create the activities of a parsed file; their ids and the warnings worth showing.

    ``sport``, ``name`` and ``description`` are what an export's listing says of the file (the
    uploader's own choice on the upload still wins); ``stored`` is ``None`` when there is no original
    file to keep (an activity known from an export's totals only). Each new activity that overlaps
    another of the owner's in time is named in a warning.
    """
    ids: list[str] = []
    warnings = list(parsed.warnings)
    for index, activity in enumerate(parsed.activities):
        activity.sport = sport or activity.sport
        activity.name = name or activity.name
        activity.description = description or activity.description
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
            original_path=str(stored) if stored is not None else "",
            original_filename=filename,
        )
        if stored is None:
            created.original_path = None
            created.original_filename = None
        if not len(activity.streams):
            # Totals without samples: "the samples cover 0%" says nothing worth showing.
            created.summary = {
                **created.summary,
                "warnings": [w for w in created.summary["warnings"] if "samples cover" not in w],
            }
        ids.append(str(created.id))
        warnings.extend(activity.warnings)
        warnings.extend(await overlap_warnings(session, created))
    await session.flush()
    return ids, warnings
