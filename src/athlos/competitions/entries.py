"""Entering a race and withdrawing from it, and the field as a viewer may see it.

Who may enter: someone who sees the race (a club's race: its members), while it is open (a live race
until its start, a window race until its end), from one of its countries or regions when it names
some, while there is room. Their category is computed from their profile at entry and kept. An entry
fee is held in the loyalty ledger as a reservation: withdrawing before the start releases it, and the
results' finalizing (or withdrawing later) redeems it.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from typing import Final

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles.service import get_profile, visible_profile
from athlos.competitions import events
from athlos.competitions.categories import CategoryUnknown, category
from athlos.competitions.errors import NotEligible, NotRegistered, RaceFinal
from athlos.competitions.models import Race, Registration, Result
from athlos.competitions.service import Viewer, entrant_count, visible_race
from athlos.core.db import utcnow
from athlos.core.errors import AppError
from athlos.core.ids import new_id
from athlos.gamification.errors import ReservationSettled
from athlos.gamification.loyalty import service as loyalty

FIELD_SIZE: Final = 100
BIB_ATTEMPTS: Final = 5


def _refused(message: str, code: str, field: str | None = None) -> NotEligible:
    return NotEligible(message, code=code, field=field)


async def registration_of(
    session: AsyncSession, race_id: uuid.UUID, user_id: uuid.UUID
) -> Registration | None:
    """The person's entry in the race, withdrawn or not."""
    return await session.scalar(
        select(Registration).where(Registration.race_id == race_id, Registration.user_id == user_id)
    )


async def active_entry(
    session: AsyncSession, race_id: uuid.UUID, user_id: uuid.UUID | None
) -> Registration | None:
    """The person's entry unless they withdrew it."""
    if user_id is None:
        return None
    entry = await registration_of(session, race_id, user_id)
    return entry if entry is not None and entry.withdrawn_at is None else None


def registration_closed(race: Race) -> bool:
    now = utcnow()
    closes = race.starts_at if race.mode == "live" else race.ends_at
    return race.status != "open" or now >= closes


async def _checked_entry(
    session: AsyncSession, race: Race, user_id: uuid.UUID
) -> tuple[str, str | None, str | None]:
    """The category, country and region the person enters with, or why they may not."""
    if registration_closed(race):
        raise _refused("Entries to this race are closed.", "race_entries_closed")
    profile = await get_profile(session, user_id)
    if race.countries and profile.country not in race.countries:
        raise _refused("This race is for people from other countries.", "race_wrong_country")
    if race.regions and profile.region not in race.regions:
        raise _refused("This race is for people from other regions.", "race_wrong_region")
    if race.capacity is not None and await entrant_count(session, race.id) >= race.capacity:
        raise _refused("The race is full.", "race_full")
    try:
        entered_as = category(
            race_year=race.starts_at.year,
            age_groups=race.age_groups or [],
            by_sex=race.by_sex,
            birth_year=profile.birth_year,
            sex=profile.sex,
        )
    except CategoryUnknown as exc:
        code = "race_needs_birth_year" if exc.missing == "birth_year" else "race_needs_sex"
        raise _refused("The race's categories need your birth year and sex in your profile.", code) from exc
    return entered_as, profile.country, profile.region


async def _next_bib(session: AsyncSession, race_id: uuid.UUID) -> int:
    highest = await session.scalar(select(func.max(Registration.bib)).where(Registration.race_id == race_id))
    return int(highest or 0) + 1


async def register(session: AsyncSession, viewer: Viewer, race_id: uuid.UUID) -> Registration:
    """Enter the race (entering again while entered changes nothing); emits ``competitions.registered``."""
    assert viewer.id is not None
    race = await visible_race(session, viewer, race_id)
    entry = await registration_of(session, race.id, viewer.id)
    if entry is not None and entry.withdrawn_at is None:
        return entry
    entered_as, country, region = await _checked_entry(session, race, viewer.id)
    fee_id = None
    if race.entry_fee_points:
        fee_id = f"race-entry:{new_id().hex}"
        await loyalty.reserve(session, viewer.id, race.entry_fee_points, fee_id)
    if entry is None:
        entry = await _new_entry(session, race, viewer.id)
    entry.withdrawn_at = None
    entry.registered_at = utcnow()
    entry.category, entry.country, entry.region = entered_as, country, region
    entry.fee_transfer_id = fee_id
    await session.flush()
    events.emit_registered(session, race.id, viewer.id, entry.bib)
    return entry


async def _new_entry(session: AsyncSession, race: Race, user_id: uuid.UUID) -> Registration:
    """A new row with the next bib; two people entering at once on PostgreSQL may pick the same one, so
    the loser takes the next."""
    for _ in range(BIB_ATTEMPTS):
        entry = Registration(race_id=race.id, user_id=user_id, bib=await _next_bib(session, race.id))
        try:
            async with session.begin_nested():
                session.add(entry)
                await session.flush()
        except IntegrityError:
            again = await registration_of(session, race.id, user_id)
            if again is not None:
                return again
            continue
        return entry
    raise _refused("Too many people are entering at once; try again.", "race_busy")


async def withdraw(session: AsyncSession, viewer: Viewer, race_id: uuid.UUID) -> None:
    """Leave the race: the result goes; the fee comes back when it is before the start."""
    assert viewer.id is not None
    race = await visible_race(session, viewer, race_id)
    if race.status == "final":
        raise RaceFinal()
    entry = await active_entry(session, race.id, viewer.id)
    if entry is None:
        raise NotRegistered()
    if entry.fee_transfer_id:
        if utcnow() < race.starts_at:
            await loyalty.release(session, viewer.id, entry.fee_transfer_id)
        else:
            await loyalty.confirm(session, viewer.id, entry.fee_transfer_id)
    entry.withdrawn_at = utcnow()
    await session.execute(delete(Result).where(Result.race_id == race.id, Result.user_id == viewer.id))
    await session.flush()
    events.emit_withdrawn(session, race.id, viewer.id)


async def redeem_fees(session: AsyncSession, race: Race) -> None:
    """The race is over: every fee still held is redeemed (a confirmed one stays as it is)."""
    rows = await session.scalars(
        select(Registration).where(
            Registration.race_id == race.id,
            Registration.withdrawn_at.is_(None),
            Registration.fee_transfer_id.is_not(None),
        )
    )
    for entry in rows:
        assert entry.fee_transfer_id is not None
        with contextlib.suppress(ReservationSettled):  # released by hand: nothing to redeem
            await loyalty.confirm(session, entry.user_id, entry.fee_transfer_id)


@dataclass(frozen=True, slots=True)
class Entrant:
    """One of the field as a viewer sees them: the name only when their profile is visible to them."""

    bib: int
    user_id: uuid.UUID | None
    display_name: str | None
    category: str
    country: str | None
    region: str | None


async def names_seen(
    session: AsyncSession, viewer_id: uuid.UUID | None, user_ids: list[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The display names of those of ``user_ids`` whose profile the viewer may see (the profile's
    privacy and blocks decide, through the accounts' one rule)."""
    seen = {}
    for user_id in dict.fromkeys(user_ids):
        try:
            user, _ = await visible_profile(session, viewer_id, user_id)
        except AppError:
            continue
        seen[user_id] = user.display_name
    return seen


async def field(
    session: AsyncSession, viewer: Viewer, race_id: uuid.UUID, *, after_bib: int = 0, limit: int = FIELD_SIZE
) -> tuple[list[Entrant], int | None]:
    """The entrants by bib, a page after ``after_bib``; and the last bib when there are more."""
    race = await visible_race(session, viewer, race_id)
    rows = list(
        await session.scalars(
            select(Registration)
            .where(
                Registration.race_id == race.id,
                Registration.withdrawn_at.is_(None),
                Registration.bib > after_bib,
            )
            .order_by(Registration.bib)
            .limit(limit + 1)
        )
    )
    page = rows[:limit]
    names = await names_seen(session, viewer.id, [row.user_id for row in page])
    entrants = [
        Entrant(
            bib=row.bib,
            user_id=row.user_id if row.user_id in names else None,
            display_name=names.get(row.user_id),
            category=row.category,
            country=row.country,
            region=row.region,
        )
        for row in page
    ]
    return entrants, (page[-1].bib if len(rows) > limit and page else None)
