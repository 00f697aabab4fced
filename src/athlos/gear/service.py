"""A person's gear: add, change, retire and bring back, delete; the default item per sport; and what an
activity's viewers see of the gear it was done with. Services only ``flush()``."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.access import viewable_activity
from athlos.core.db import utcnow
from athlos.core.errors import NotFound
from athlos.core.events import emit
from athlos.gear import totals
from athlos.gear.errors import GearNotFound, TooMuchGear, UnknownGearSport
from athlos.gear.models import GearAssignment, GearDefault, GearItem
from athlos.gear.schemas import GearIn, GearPatch
from athlos.gear.wear import wear_limit, worn_share
from athlos.vocabulary.sports import SPORT_LABELS

MOST_GEAR: Final = 100


@dataclass(frozen=True, slots=True)
class GearView:
    """An item with what its page and the API show of it."""

    item: GearItem
    default_for: list[str]

    @property
    def limit_m(self) -> float | None:
        return wear_limit(self.item.kind, self.item.wear_limit_m)

    @property
    def total_m(self) -> float:
        return self.item.starting_distance_m + self.item.distance_m

    @property
    def share(self) -> float | None:
        return worn_share(self.total_m, self.limit_m)

    @property
    def retired(self) -> bool:
        return self.item.retired_at is not None

    def as_dict(self) -> dict[str, Any]:
        item = self.item
        return {
            "id": item.id,
            "kind": item.kind,
            "brand": item.brand,
            "model": item.model,
            "product_id": item.product_id,
            "purchased_on": item.purchased_on,
            "starting_distance_m": item.starting_distance_m,
            "wear_limit_m": item.wear_limit_m,
            "effective_wear_limit_m": self.limit_m,
            "distance_m": item.distance_m,
            "total_distance_m": self.total_m,
            "time_s": item.time_s,
            "activity_count": item.activity_count,
            "worn_share": self.share,
            "default_for": self.default_for,
            "retired": self.retired,
            "retired_at": item.retired_at,
            "created_at": item.created_at,
        }


def _check_sports(sports: list[str]) -> list[str]:
    for sport in sports:
        if sport not in SPORT_LABELS:
            raise UnknownGearSport(sport)
    return list(dict.fromkeys(sports))


async def owned_gear(session: AsyncSession, owner_id: uuid.UUID, gear_id: uuid.UUID) -> GearItem:
    """The owner's item; anyone else's answers as if there were none."""
    item = await session.get(GearItem, gear_id)
    if item is None or item.owner_id != owner_id:
        raise GearNotFound()
    return item


async def defaults_of(session: AsyncSession, owner_id: uuid.UUID) -> dict[uuid.UUID, list[str]]:
    """The sports each of the owner's items is the default for."""
    rows = await session.execute(
        select(GearDefault.gear_id, GearDefault.sport)
        .where(GearDefault.owner_id == owner_id)
        .order_by(GearDefault.sport)
    )
    found: dict[uuid.UUID, list[str]] = defaultdict(list)
    for gear_id, sport in rows:
        found[gear_id].append(sport)
    return found


async def view_of(session: AsyncSession, item: GearItem) -> GearView:
    return GearView(item, (await defaults_of(session, item.owner_id)).get(item.id, []))


async def list_gear(session: AsyncSession, owner_id: uuid.UUID) -> list[GearView]:
    """The owner's gear (at most ``MOST_GEAR``), in use first, each oldest first."""
    items = await session.scalars(
        select(GearItem)
        .where(GearItem.owner_id == owner_id)
        .order_by(GearItem.retired_at.is_not(None), GearItem.created_at, GearItem.id)
    )
    defaults = await defaults_of(session, owner_id)
    return [GearView(item, defaults.get(item.id, [])) for item in items]


async def _set_defaults(session: AsyncSession, item: GearItem, sports: list[str]) -> None:
    """Make ``item`` the default of exactly ``sports``, taking them from the owner's other items."""
    await session.execute(
        delete(GearDefault).where(
            GearDefault.owner_id == item.owner_id,
            (GearDefault.gear_id == item.id) | GearDefault.sport.in_(sports),
        )
    )
    session.add_all(GearDefault(owner_id=item.owner_id, sport=sport, gear_id=item.id) for sport in sports)


async def create_gear(session: AsyncSession, owner_id: uuid.UUID, body: GearIn) -> GearItem:
    sports = _check_sports(body.default_for)
    count = await session.scalar(select(func.count()).where(GearItem.owner_id == owner_id))
    if (count or 0) >= MOST_GEAR:
        raise TooMuchGear(MOST_GEAR)
    item = GearItem(
        owner_id=owner_id,
        **body.model_dump(exclude={"default_for"}),
        distance_m=0.0,
        time_s=0.0,
        activity_count=0,
        reminded_percent=0,
    )
    session.add(item)
    await session.flush()
    await _set_defaults(session, item, sports)
    await totals.remind(session, item)
    await session.flush()
    return item


async def update_gear(
    session: AsyncSession, owner_id: uuid.UUID, gear_id: uuid.UUID, patch: GearPatch
) -> GearItem:
    item = await owned_gear(session, owner_id, gear_id)
    changes = patch.model_dump(exclude_unset=True)
    sports = changes.pop("default_for", None)
    for required in ("kind", "brand", "model", "starting_distance_m"):
        if changes.get(required, "") is None:
            changes.pop(required)
    for name, value in changes.items():
        setattr(item, name, value)
    if sports is not None:
        await _set_defaults(session, item, _check_sports(sports))
    await totals.remind(session, item)
    await session.flush()
    return item


async def retire_gear(session: AsyncSession, owner_id: uuid.UUID, gear_id: uuid.UUID) -> GearItem:
    """Retired gear keeps its totals and activities but is no longer assigned to new ones."""
    item = await owned_gear(session, owner_id, gear_id)
    if item.retired_at is None:
        item.retired_at = utcnow()
    await session.flush()
    return item


async def unretire_gear(session: AsyncSession, owner_id: uuid.UUID, gear_id: uuid.UUID) -> GearItem:
    item = await owned_gear(session, owner_id, gear_id)
    item.retired_at = None
    await session.flush()
    return item


async def delete_gear(session: AsyncSession, owner_id: uuid.UUID, gear_id: uuid.UUID) -> None:
    """The item goes; its activities keep no gear, and its wear reminders leave the inbox."""
    item = await owned_gear(session, owner_id, gear_id)
    emit(session, "gear.deleted", item.id, {"gear_id": str(item.id), "user_id": str(owner_id)})
    await session.execute(delete(GearDefault).where(GearDefault.gear_id == item.id))
    await session.execute(
        update(GearAssignment).where(GearAssignment.gear_id == item.id).values(gear_id=None, automatic=False)
    )
    await session.delete(item)
    await session.flush()


async def gear_of_activity(
    session: AsyncSession, viewer_id: uuid.UUID | None, activity_id: uuid.UUID
) -> tuple[uuid.UUID, GearItem | None]:
    """The activity's owner and its gear, for a viewer who may see the activity (else 404): another
    person's gear is visible only this way."""
    activity = await viewable_activity(session, viewer_id, activity_id)
    assignment = await session.get(GearAssignment, activity_id)
    item = None
    if assignment is not None and assignment.gear_id is not None:
        item = await session.get(GearItem, assignment.gear_id)
    return activity.owner_id, item


async def assign_gear(
    session: AsyncSession, owner_id: uuid.UUID, activity_id: uuid.UUID, gear_id: uuid.UUID | None
) -> GearItem | None:
    """The owner's choice of gear for one of their activities (None: none); 404 for anyone else's
    activity or gear."""
    activity = await viewable_activity(session, owner_id, activity_id)
    if activity.owner_id != owner_id:
        raise NotFound("There is no such activity.", code="activity_not_found")
    item = await owned_gear(session, owner_id, gear_id) if gear_id is not None else None
    await totals.choose(session, activity, gear_id)
    return item


async def owned_products(session: AsyncSession) -> list[tuple[uuid.UUID, str]]:
    """(owner, catalogue product) of every item linked to a product: what people own, for the shop's
    recommendations."""
    rows = await session.execute(
        select(GearItem.owner_id, GearItem.product_id).where(GearItem.product_id.is_not(None))
    )
    return [(owner_id, str(product_id)) for owner_id, product_id in rows]


async def activities_of(session: AsyncSession, owner_id: uuid.UUID, gear_id: uuid.UUID) -> list[uuid.UUID]:
    """The owner's activities done with the item (404 for anyone else's item)."""
    await owned_gear(session, owner_id, gear_id)
    rows = await session.scalars(
        select(GearAssignment.activity_id).where(
            GearAssignment.gear_id == gear_id, GearAssignment.owner_id == owner_id
        )
    )
    return list(rows)
