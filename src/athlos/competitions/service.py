"""Races: who may see, set and change them, and the list of races a person may see.

A race for everyone is set by staff; a club's race by the club's owner or admins (or staff), and only
the club's members see it: to anyone else it does not exist. Entries live in ``entries.py``, window
efforts in ``window.py``, final results in ``results.py``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

import pycountry
from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.competitions.errors import RaceFinal, RaceInvalid, RaceNotAllowed, RaceNotFound
from athlos.competitions.models import Race, Registration, Result
from athlos.competitions.schemas import RaceIn, RacePatch, preset_of
from athlos.core.db import utcnow
from athlos.core.errors import InvalidInput
from athlos.core.pagination import decode_cursor, encode_cursor
from athlos.social.clubs import service as clubs
from athlos.vocabulary.sports import SPORTS

LONGEST_WINDOW: Final = timedelta(days=92)
PHASES: Final = ("upcoming", "running", "past")


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who asks: None for a visitor. ``is_staff`` sees every race."""

    id: uuid.UUID | None
    is_staff: bool = False


def phase_of(race: Race, now: datetime) -> str:
    if race.status == "final":
        return "final"
    if now < race.starts_at:
        return "upcoming"
    return "running" if now < race.ends_at else "past"


async def _club_ids(
    session: AsyncSession, user_id: uuid.UUID | None, *, admin: bool = False
) -> set[uuid.UUID]:
    if user_id is None:
        return set()
    rows = await clubs.clubs_of(session, user_id)
    return {club.id for club, role in rows if not admin or role in clubs.ADMINS}


async def may_see(session: AsyncSession, viewer: Viewer, race: Race) -> bool:
    """The one rule: a race for everyone is seen by anyone; a club's race by its members, staff and
    whoever set it."""
    if race.club_id is None or viewer.is_staff or (viewer.id is not None and race.created_by == viewer.id):
        return True
    return viewer.id is not None and await clubs.is_member(session, race.club_id, viewer.id)


async def may_manage(session: AsyncSession, viewer: Viewer, race: Race) -> bool:
    """Staff change every race; a club's owner and admins their club's races."""
    if viewer.is_staff:
        return True
    if viewer.id is None or race.club_id is None:
        return False
    return await clubs.role_of(session, race.club_id, viewer.id) in clubs.ADMINS


async def visible_race(session: AsyncSession, viewer: Viewer, race_id: uuid.UUID) -> Race:
    """The race if the viewer may see it; otherwise, as if there were none, RaceNotFound."""
    race = await session.get(Race, race_id)
    if race is None or not await may_see(session, viewer, race):
        raise RaceNotFound()
    return race


async def managed_race(session: AsyncSession, viewer: Viewer, race_id: uuid.UUID) -> Race:
    race = await visible_race(session, viewer, race_id)
    if not await may_manage(session, viewer, race):
        raise RaceNotAllowed()
    return race


async def clubs_to_race(session: AsyncSession, user_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """The clubs the person is an owner or admin of (id, name): those they may set a race for."""
    rows = await clubs.clubs_of(session, user_id)
    return [(club.id, club.name) for club, role in rows if role in clubs.ADMINS]


def _invalid(message: str, code: str, field: str) -> RaceInvalid:
    return RaceInvalid(message, code=code, field=field)


def _places(values: list[str], field: str) -> list[str]:
    """ISO 3166-1 country or ISO 3166-2 region codes, upper case, each once."""
    tidy = sorted({value.strip().upper() for value in values if value.strip()})
    for code in tidy:
        found = pycountry.countries.get(alpha_2=code) if field == "countries" else None
        if field == "regions":
            found = pycountry.subdivisions.get(code=code)
        if found is None:
            kind = "country" if field == "countries" else "region"
            raise _invalid(f"{code!r} is not the code of a {kind}.", f"race_unknown_{kind}", field)
    return tidy


def _check(values: dict[str, Any], now: datetime, *, new: bool) -> dict[str, Any]:
    """The race's fields, checked together and tidied."""
    if values["sport"] not in SPORTS:
        raise _invalid(f"There is no sport {values['sport']!r}.", "race_unknown_sport", "sport")
    if values["ends_at"] <= values["starts_at"]:
        raise _invalid("The end comes before the start.", "race_ends_before_start", "ends_at")
    if new and values["ends_at"] <= now:
        raise _invalid("The end has passed.", "race_end_past", "ends_at")
    if values["ends_at"] - values["starts_at"] > LONGEST_WINDOW:
        raise _invalid("A race lasts at most three months.", "race_too_long", "ends_at")
    values["countries"] = _places(values["countries"], "countries")
    values["regions"] = _places(values["regions"], "regions")
    groups = sorted(set(values["age_groups"]))
    if any(group < 1 or group > 100 for group in groups):
        raise _invalid("Age groups start between 1 and 100 years.", "race_age_group_invalid", "age_groups")
    values["age_groups"] = groups
    values["title"] = values["title"].strip()
    return values


async def create_race(session: AsyncSession, viewer: Viewer, body: RaceIn) -> Race:
    """Set a race: staff for everyone (or a club), a club's owner or admins for their club."""
    assert viewer.id is not None
    if not viewer.is_staff and (
        body.club_id is None or body.club_id not in await _club_ids(session, viewer.id, admin=True)
    ):
        raise RaceNotAllowed()
    values = _check(body.model_dump(exclude={"distance"}), utcnow(), new=True)
    race = Race(**values, created_by=viewer.id, status="open")
    session.add(race)
    await session.flush()
    return race


async def update_race(session: AsyncSession, viewer: Viewer, race_id: uuid.UUID, patch: RacePatch) -> Race:
    race = await managed_race(session, viewer, race_id)
    if race.status == "final":
        raise RaceFinal()
    changes = patch.model_dump(exclude_unset=True, exclude={"distance"})
    if patch.distance is not None:
        changes["distance_m"] = patch.distance_m
    current = {name: getattr(race, name) for name in RacePatch.model_fields if name != "distance"}
    given = {name: value for name, value in changes.items() if value is not None or name == "capacity"}
    values = _check({**current, **given}, utcnow(), new=False)
    measured = ("sport", "distance_m", "mode")
    if any(values[name] != getattr(race, name) for name in measured) and await _has_results(session, race.id):
        raise _invalid("People have times over this race already.", "race_has_results", "distance")
    if values["capacity"] is not None and values["capacity"] < await entrant_count(session, race.id):
        raise _invalid("More people are registered already.", "race_capacity_below_field", "capacity")
    for name, value in values.items():
        setattr(race, name, value)
    await session.flush()
    return race


async def _has_results(session: AsyncSession, race_id: uuid.UUID) -> bool:
    found = await session.scalar(select(Result.user_id).where(Result.race_id == race_id).limit(1))
    return found is not None


async def race_title(session: AsyncSession, race_id: uuid.UUID) -> str:
    """The race's title for words about it (a notification); empty when there is no such race."""
    return await session.scalar(select(Race.title).where(Race.id == race_id)) or ""


async def entrant_count(session: AsyncSession, race_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.race_id == race_id, Registration.withdrawn_at.is_(None))
    )
    return int(count or 0)


async def entrant_counts(session: AsyncSession, race_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not race_ids:
        return {}
    rows = await session.execute(
        select(Registration.race_id, func.count())
        .where(Registration.race_id.in_(race_ids), Registration.withdrawn_at.is_(None))
        .group_by(Registration.race_id)
    )
    return {race_id: int(count) for race_id, count in rows}


async def list_races(
    session: AsyncSession,
    viewer: Viewer,
    *,
    phase: str | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> tuple[list[Race], str | None]:
    """The races the viewer may see, by start (the past ones latest first), optionally of one phase."""
    now = utcnow()
    query = select(Race)
    if not viewer.is_staff:
        seen: list[Any] = [Race.club_id.is_(None)]
        mine = await _club_ids(session, viewer.id)
        if mine:
            seen.append(Race.club_id.in_(mine))
        if viewer.id is not None:
            seen.append(Race.created_by == viewer.id)
        query = query.where(or_(*seen))
    latest_first = phase == "past"
    if phase == "upcoming":
        query = query.where(Race.starts_at > now, Race.status == "open")
    elif phase == "running":
        query = query.where(Race.starts_at <= now, Race.ends_at > now, Race.status == "open")
    elif phase == "past":
        query = query.where(or_(Race.ends_at <= now, Race.status == "final"))
    key = tuple_(Race.starts_at, Race.id)
    if cursor:
        after = _position(cursor)
        query = query.where(key < after if latest_first else key > after)
    order = (Race.starts_at.desc(), Race.id.desc()) if latest_first else (Race.starts_at, Race.id)
    rows = list(await session.scalars(query.order_by(*order).limit(limit + 1)))
    page = rows[:limit]
    if len(rows) <= limit or not page:
        return page, None
    return page, encode_cursor([page[-1].starts_at.isoformat(), str(page[-1].id)])


def _position(cursor: str) -> tuple[datetime, uuid.UUID]:
    values = decode_cursor(cursor)
    try:
        return datetime.fromisoformat(str(values[0])), uuid.UUID(str(values[1]))
    except (IndexError, ValueError) as exc:
        raise InvalidInput("The cursor is not valid.", code="invalid_cursor") from exc


def race_facts(race: Race, now: datetime) -> dict[str, Any]:
    """The race's own fields as the API shows them."""
    return {
        "id": race.id,
        "title": race.title,
        "description": race.description,
        "sport": race.sport,
        "distance_m": race.distance_m,
        "distance": preset_of(race.distance_m),
        "mode": race.mode,
        "starts_at": race.starts_at,
        "ends_at": race.ends_at,
        "phase": phase_of(race, now),
        "capacity": race.capacity,
        "countries": list(race.countries or []),
        "regions": list(race.regions or []),
        "age_groups": list(race.age_groups or []),
        "by_sex": race.by_sex,
        "entry_fee_points": race.entry_fee_points,
        "club_id": race.club_id,
        "status": race.status,
        "results_final_at": race.results_final_at,
    }
