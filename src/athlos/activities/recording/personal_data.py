"""Live recordings as part of a person's data.

A finished recording's GPX is the activity's original, exported and erased with the activities; here
are the recordings, with the points of those not finished yet.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.recording.models import Recording, RecordingBatch
from athlos.core import data_rights


async def export_recordings(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    recordings = list(
        await session.scalars(
            select(Recording).where(Recording.owner_id == user_id).order_by(Recording.started_at)
        )
    )
    exported = []
    for recording in recordings:
        row = data_rights.row_dict(recording, leave_out=frozenset({"gpx_path"}))
        if recording.status != "finished":
            batches = await session.scalars(
                select(RecordingBatch)
                .where(RecordingBatch.recording_id == recording.id)
                .order_by(RecordingBatch.seq)
            )
            row["batches"] = [{"seq": b.seq, "points": b.points} for b in batches]
        exported.append(row)
    return {"recordings": exported}


async def erase_recordings(session: AsyncSession, user_id: uuid.UUID) -> None:
    owned = select(Recording.id).where(Recording.owner_id == user_id)
    await session.execute(delete(RecordingBatch).where(RecordingBatch.recording_id.in_(owned)))
    await session.execute(delete(Recording).where(Recording.owner_id == user_id))


data_rights.register("recordings", exporter=export_recordings, eraser=erase_recordings)
