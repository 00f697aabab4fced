"""Event consumers of live recordings."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.recording.service import forget_deleted_recording
from athlos.core.events import Event, on


@on("activity.deleted")
async def forget_deleted_recording_gpx(session: AsyncSession, event: Event) -> None:
    """A deleted activity recorded live takes its generated GPX with it."""
    await forget_deleted_recording(session, uuid.UUID(event.payload["activity_id"]))
