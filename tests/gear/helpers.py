"""Steps shared by the gear tests: gear added through the service, and what it counts."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from athlos.activities.models import Activity
from athlos.activities.service import event_payload
from athlos.core.db import Database
from athlos.core.events import emit
from athlos.core.events.embedded import EmbeddedBus
from athlos.gear import service
from athlos.gear.models import GearAssignment, GearItem
from athlos.gear.schemas import GearIn
from athlos.notifications.models import Notification


async def add_gear(db: Database, owner: uuid.UUID, **fields: Any) -> uuid.UUID:
    body = {"kind": "shoes", "brand": "Asics", "model": "Novablast 4", **fields}
    async with db.unit_of_work() as session:
        item = await service.create_gear(session, owner, GearIn.model_validate(body))
    return item.id


async def totals(db: Database, gear_id: uuid.UUID) -> tuple[float, float, int]:
    """The item's (distance_m, time_s, activity_count)."""
    async with db.sessionmaker() as session:
        item = await session.get(GearItem, gear_id)
        assert item is not None
        return item.distance_m, item.time_s, item.activity_count


async def gear_of(db: Database, activity_id: uuid.UUID) -> uuid.UUID | None:
    async with db.sessionmaker() as session:
        return await session.scalar(
            select(GearAssignment.gear_id).where(GearAssignment.activity_id == activity_id)
        )


async def wear_notifications(db: Database, owner: uuid.UUID) -> list[str]:
    """The types of the owner's gear notifications, oldest first."""
    async with db.sessionmaker() as session:
        rows = await session.scalars(
            select(Notification.type)
            .where(Notification.user_id == owner, Notification.type.like("gear.%"))
            .order_by(Notification.created_at, Notification.id)
        )
        return list(rows)


async def distance_changed(db: Database, bus: EmbeddedBus, activity_id: uuid.UUID, metres: float) -> None:
    """The activity's distance changes as a merge of overlapping recordings changes it: the row, then
    ``activity.updated`` with its new facts."""
    async with db.unit_of_work() as session:
        activity = await session.get(Activity, activity_id)
        assert activity is not None
        activity.distance_m = metres
        emit(session, "activity.updated", activity.id, event_payload(activity))
    await bus.drain()
