"""Results: the standings of a race (overall, per category, per region) and making them final.

Finalizing, once the race has ended, is fair play's review first: a window result whose activity fair
play does not count (flagged, confirmed by staff, implausible) is disqualified. The others are placed by
time, overall and within their category, and become ``final``; held entry fees are redeemed; and
``competitions.results_final`` is told once. Finalizing a final race again changes nothing.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.competitions import entries, events
from athlos.competitions.errors import RaceNotOver, ResultNotFound
from athlos.competitions.models import Race, Registration, Result
from athlos.competitions.service import Viewer, managed_race, visible_race
from athlos.core.db import utcnow
from athlos.gamification.fair_play.service import eligible_activity_ids

STANDINGS_SIZE: Final = 200


@dataclass(frozen=True, slots=True)
class Standing:
    """A result as a viewer sees it: the name only when the person's profile is visible to them."""

    user_id: uuid.UUID
    display_name: str | None
    bib: int
    category: str
    country: str | None
    region: str | None
    elapsed_s: float
    status: str
    place: int | None
    category_place: int | None
    finished_at: object

    def as_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__ if name != "finished_at"}


def _order() -> tuple[Any, ...]:
    return (Result.status == "disqualified", Result.elapsed_s, Result.finished_at, Result.user_id)


async def standings(
    session: AsyncSession,
    viewer: Viewer,
    race_id: uuid.UUID,
    *,
    category: str | None = None,
    region: str | None = None,
    user_id: uuid.UUID | None = None,
    limit: int = STANDINGS_SIZE,
) -> list[Standing]:
    """The race's results, fastest first (disqualified last), of one category or region if asked."""
    race = await visible_race(session, viewer, race_id)
    query = (
        select(Result, Registration)
        .join(
            Registration, (Registration.race_id == Result.race_id) & (Registration.user_id == Result.user_id)
        )
        .where(Result.race_id == race.id, Registration.withdrawn_at.is_(None))
    )
    if category:
        query = query.where(Registration.category == category)
    if region:
        query = query.where(Registration.region == region)
    if user_id is not None:
        query = query.where(Result.user_id == user_id)
    rows = (await session.execute(query.order_by(*_order()).limit(limit))).all()
    names = await entries.names_seen(session, viewer.id, [result.user_id for result, _ in rows])
    return [
        Standing(
            user_id=result.user_id,
            display_name=names.get(result.user_id),
            bib=entry.bib,
            category=entry.category,
            country=entry.country,
            region=entry.region,
            elapsed_s=result.elapsed_s,
            status=result.status,
            place=result.place,
            category_place=result.category_place,
            finished_at=result.finished_at,
        )
        for result, entry in rows
    ]


async def result_of(
    session: AsyncSession, viewer: Viewer, race_id: uuid.UUID, user_id: uuid.UUID
) -> Standing:
    """One person's result if the viewer may see the race; the name as the profile's privacy allows."""
    found = await standings(session, viewer, race_id, user_id=user_id, limit=1)
    if not found:
        raise ResultNotFound()
    return found[0]


async def categories_and_regions(session: AsyncSession, race_id: uuid.UUID) -> tuple[list[str], list[str]]:
    """The categories and regions of the race's finishers, to choose a results page by."""
    rows = (
        await session.execute(
            select(Registration.category, Registration.region)
            .join(Result, (Registration.race_id == Result.race_id) & (Registration.user_id == Result.user_id))
            .where(Registration.race_id == race_id)
            .distinct()
        )
    ).all()
    return sorted({row[0] for row in rows if row[0]}), sorted({row[1] for row in rows if row[1]})


async def finalize(session: AsyncSession, viewer: Viewer, race_id: uuid.UUID) -> Race:
    """Make the race's results final (staff or the club's admins), once it has ended."""
    race = await managed_race(session, viewer, race_id)
    return await finalize_race(session, race)


async def finalize_race(session: AsyncSession, race: Race) -> Race:
    if race.status == "final":
        return race
    if utcnow() < race.ends_at:
        raise RaceNotOver()
    # Only one transaction turns the race final, so the results are told once.
    marked = await session.execute(
        update(Race)
        .where(Race.id == race.id, Race.status == "open")
        .values(status="final", results_final_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not marked.rowcount:  # type: ignore[attr-defined]
        await session.refresh(race)
        return race
    rows = (
        await session.execute(
            select(Result, Registration.category)
            .join(
                Registration,
                (Registration.race_id == Result.race_id) & (Registration.user_id == Result.user_id),
            )
            .where(Result.race_id == race.id, Registration.withdrawn_at.is_(None))
            .order_by(Result.elapsed_s, Result.finished_at, Result.user_id)
        )
    ).all()
    counted = await eligible_activity_ids(
        session, [r.activity_id for r, _ in rows if r.activity_id is not None]
    )
    place = 0
    in_category: dict[str, int] = defaultdict(int)
    for result, category in rows:
        if result.activity_id is not None and result.activity_id not in counted:
            result.status, result.place, result.category_place = "disqualified", None, None
            continue
        place += 1
        in_category[category] += 1
        result.status, result.place, result.category_place = "final", place, in_category[category]
    await entries.redeem_fees(session, race)
    await session.flush()
    await session.refresh(race)
    events.emit_results_final(session, race, place)
    return race


async def finalize_due(session: AsyncSession) -> list[uuid.UUID]:
    """Finalize every open race that has ended (the command line's ``athlos races finalize``)."""
    due = list(await session.scalars(select(Race).where(Race.status == "open", Race.ends_at <= utcnow())))
    for race in due:
        await finalize_race(session, race)
    return [race.id for race in due]


async def finisher_ids(session: AsyncSession, race_id: uuid.UUID) -> list[uuid.UUID]:
    """Those with a final result (not the disqualified): who hears that the results are final."""
    rows = await session.scalars(
        select(Result.user_id).where(Result.race_id == race_id, Result.status == "final")
    )
    return list(rows)


async def final_places(session: AsyncSession, race_id: uuid.UUID) -> list[tuple[uuid.UUID, float, int]]:
    """Each finisher's final time and place overall (user, seconds, place), best first."""
    rows = await session.execute(
        select(Result.user_id, Result.elapsed_s, Result.place)
        .where(Result.race_id == race_id, Result.status == "final", Result.place.is_not(None))
        .order_by(Result.place)
    )
    return [(user_id, float(elapsed), int(place or 0)) for user_id, elapsed, place in rows]


async def disqualified_ids(session: AsyncSession, race_id: uuid.UUID) -> list[uuid.UUID]:
    """Those whose result fair play disqualified when the results became final."""
    rows = await session.scalars(
        select(Result.user_id).where(Result.race_id == race_id, Result.status == "disqualified")
    )
    return list(rows)
