"""The activities domain's part of a person's data: activities and their legs, uploads and their
stored files, and privacy zones."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.models import Activity, Leg, Upload
from athlos.activities.zones.models import PrivacyZone
from athlos.core import data_rights


async def export_activities(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    activities = await session.scalars(
        select(Activity).where(Activity.owner_id == user_id).order_by(Activity.start_time)
    )
    legs = await session.scalars(
        select(Leg)
        .join(Activity, Activity.id == Leg.activity_id)
        .where(Activity.owner_id == user_id)
        .order_by(Activity.start_time, Leg.position)
    )
    uploads = await session.scalars(
        select(Upload).where(Upload.owner_id == user_id).order_by(Upload.created_at)
    )
    zones = await session.scalars(
        select(PrivacyZone).where(PrivacyZone.owner_id == user_id).order_by(PrivacyZone.created_at)
    )
    return {
        # Streams are binary blobs of samples; the original files in the archive hold the same data.
        "activities": [data_rights.row_dict(a, leave_out=frozenset({"streams"})) for a in activities],
        "activity_legs": [data_rights.row_dict(leg) for leg in legs],
        "uploads": [data_rights.row_dict(u) for u in uploads],
        "privacy_zones": [data_rights.row_dict(z) for z in zones],
    }


async def activity_files(session: AsyncSession, user_id: uuid.UUID, data_dir: Path) -> list[tuple[str, Path]]:
    """Stored originals of the person's uploads (archives' members beside them) and activities."""
    found: dict[Path, str] = {}
    for stored in await session.scalars(select(Upload.stored_path).where(Upload.owner_id == user_id)):
        path = Path(stored)
        for candidate in [path, *path.parent.glob(f"{path.name}.*")]:
            found.setdefault(candidate, f"uploads/{candidate.name}")
    originals = await session.scalars(
        select(Activity.original_path).where(
            Activity.owner_id == user_id, Activity.original_path.is_not(None)
        )
    )
    for original in originals:
        if original is None:
            continue
        path = Path(original)
        found.setdefault(path, f"uploads/{path.name}")
    return [(name, path) for path, name in found.items() if path.is_file()]


async def erase_activities(session: AsyncSession, user_id: uuid.UUID) -> None:
    owned = select(Activity.id).where(Activity.owner_id == user_id)
    await session.execute(delete(Leg).where(Leg.activity_id.in_(owned)))
    await session.execute(delete(Activity).where(Activity.owner_id == user_id))
    await session.execute(delete(Upload).where(Upload.owner_id == user_id))
    await session.execute(delete(PrivacyZone).where(PrivacyZone.owner_id == user_id))


data_rights.register("activities", exporter=export_activities, eraser=erase_activities, files=activity_files)
