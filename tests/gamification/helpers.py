"""Steps shared by the gamification tests: activities through the activities service, events delivered,
and what gamification wrote about them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from athlos.activities.schemas import ActivityPatch
from athlos.activities.service import update_activity
from athlos.core.db import Database
from athlos.core.events import Event
from athlos.core.events.embedded import EmbeddedBus
from athlos.core.events.models import OutboxRow
from athlos.gamification.points.models import PointsEntry
from tests.analytics.conftest import manual


async def logged(
    db: Database,
    bus: EmbeddedBus,
    owner: uuid.UUID,
    start: datetime,
    *,
    sport: str = "run",
    minutes: float = 60,
    distance_m: float = 10_000.0,
    elevation_gain_m: float | None = None,
    avg_heart_rate: float | None = None,
) -> uuid.UUID:
    """A manual activity of so many minutes through the activities service; its events delivered."""
    return await manual(
        db,
        bus,
        owner,
        start,
        sport=sport,
        distance_m=distance_m,
        duration_s=minutes * 60,
        elevation_gain_m=elevation_gain_m,
        avg_heart_rate=avg_heart_rate,
    )


async def changed(
    db: Database, bus: EmbeddedBus, owner: uuid.UUID, activity_id: uuid.UUID, **patch: Any
) -> None:
    async with db.unit_of_work() as session:
        await update_activity(session, owner, activity_id, ActivityPatch(**patch))
    await bus.drain()


async def events(db: Database, event_type: str) -> list[Event]:
    async with db.sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxRow).where(OutboxRow.type == event_type).order_by(OutboxRow.id)
        )
        return [Event.from_row(row) for row in rows]


async def history(db: Database, owner: uuid.UUID) -> list[tuple[int, str]]:
    """The owner's points entries, oldest first, as (points, reason)."""
    async with db.sessionmaker() as session:
        rows = await session.execute(
            select(PointsEntry.points, PointsEntry.reason)
            .where(PointsEntry.owner_id == owner)
            .order_by(PointsEntry.id)
        )
        return [(points, reason) for points, reason in rows]


def earlier_today(now: datetime | None = None) -> datetime:
    """A moment of today (UTC) that has passed: half an hour ago, or midnight when that was yesterday."""
    current = now or datetime.now(UTC)
    midnight = current.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(midnight, current - timedelta(minutes=30))
