"""Event consumers of the activities domain."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.importers.detect import DEFAULT_MAX_BYTES
from athlos.activities.uploads.archives import FILES, UPLOAD_MEMBER, import_member
from athlos.activities.uploads.service import UPLOAD_RECEIVED, forget_unused_originals, process_upload
from athlos.core.events import Event, on


@on(UPLOAD_RECEIVED)
async def parse_upload(session: AsyncSession, event: Event) -> None:
    """Turn a received file into activities (or a refusal); a redelivery finds the upload settled."""
    max_bytes = int(event.payload.get("max_bytes") or DEFAULT_MAX_BYTES)
    await process_upload(session, uuid.UUID(event.payload["upload_id"]), max_bytes)


@on(UPLOAD_MEMBER)
async def import_archive_member(session: AsyncSession, event: Event) -> None:
    """Import one item of an uploaded ZIP (a file, a workout, a listed activity); progress moves on."""
    max_bytes = int(event.payload.get("max_bytes") or DEFAULT_MAX_BYTES)
    await import_member(
        session,
        uuid.UUID(event.payload["upload_id"]),
        int(event.payload["index"]),
        max_bytes,
        kind=str(event.payload.get("kind") or FILES),
        item=event.payload.get("item"),
    )


@on("activity.deleted")
async def forget_deleted_originals(session: AsyncSession, event: Event) -> None:
    """A deleted activity's original file goes too, once no other activity comes from it."""
    upload_id = event.payload.get("upload_id")
    if upload_id:
        await forget_unused_originals(session, uuid.UUID(upload_id))
