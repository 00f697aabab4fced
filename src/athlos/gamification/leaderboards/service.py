"""Keeping the leaderboards' totals from activity events, and reading a board.

Each activity's row says what it counts; a person's totals per sport and period are recomputed from
those rows whenever one of them changes (created, edited, deleted, its fair-play verdict changed), so a
total is always the sum of its activities and a redelivered event changes nothing. An activity counts
when it is public (visible to everyone), recorded rather than typed in (the activities domain's
``leaderboard_eligible``), and fair play counts it. A person is on the boards (``listed``) when their
profile is public and their address verified — the same people whose public activities anyone may see.
The totals row carries the profile's country, region, age group (this year's) and sex, refreshed on
every change of the person's totals or profile.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles.service import get_profile, person_cards, visible_people
from athlos.accounts.service import has_verified_email
from athlos.core.db import insert_if_missing, utcnow
from athlos.core.errors import InvalidInput
from athlos.gamification.fair_play.service import is_eligible
from athlos.gamification.leaderboards.boards import (
    Answer,
    Board,
    Metric,
    Period,
    Scope,
    Standing,
    age_group,
    period_key,
    period_keys,
)
from athlos.gamification.leaderboards.models import LeaderboardActivity, LeaderboardTotal
from athlos.gamification.leaderboards.redis_store import RedisBoards, places_of, values_of
from athlos.gamification.leaderboards.sql_store import SqlBoards
from athlos.social.clubs import service as clubs
from athlos.social.follows.service import followee_ids
from athlos.vocabulary.sports import SPORTS

REACH: Final = 2
PLACE_FIELDS: Final = ("listed", "country", "region", "age_group", "sex")


class LeaderboardInvalid(InvalidInput):
    """A board that cannot be shown: ``field`` says which part of the question."""

    code = "leaderboard_invalid"


@dataclass(frozen=True, slots=True)
class Query:
    sport: str = "run"
    period: Period = "week"
    scope: Scope = "everyone"
    metric: Metric = "distance"
    club_id: uuid.UUID | None = None
    limit: int = 20


@dataclass(frozen=True, slots=True)
class Person:
    """How a person on a board is shown to the one asking: by name and link only if they may see them."""

    display_name: str | None
    profile_url: str | None


@dataclass(frozen=True, slots=True)
class Result:
    board: Board
    answer: Answer
    people: dict[uuid.UUID, Person]
    listed: bool


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


async def standing_facts(
    session: AsyncSession, user_id: uuid.UUID, now: datetime | None = None
) -> dict[str, Any]:
    """Whether the person is listed, and the places their profile puts them in."""
    profile = await get_profile(session, user_id)
    listed = profile.profile_visibility == "everyone" and await has_verified_email(session, user_id)
    return {
        "listed": listed,
        "country": profile.country,
        "region": profile.region if profile.country else None,
        "age_group": age_group(profile.birth_year, (now or utcnow()).year),
        "sex": profile.sex,
    }


def _keys(row: LeaderboardActivity) -> set[tuple[str, str]]:
    return {(row.sport, period) for period in ("all", row.week, row.month)}


async def count_activity(
    session: AsyncSession, store: RedisBoards | None, payload: Mapping[str, Any]
) -> None:
    """An activity was created or changed: keep what it counts and recount the totals it touches."""
    activity_id = uuid.UUID(payload["activity_id"])
    row = await session.get(LeaderboardActivity, activity_id)
    touched: set[tuple[str, str]] = set()
    if row is None:
        row = LeaderboardActivity(activity_id=activity_id, owner_id=uuid.UUID(payload["owner_id"]))
        session.add(row)
    else:
        touched = _keys(row)
    start = datetime.fromisoformat(payload["start_time"])
    _, row.week, row.month = period_keys(start.astimezone(UTC))
    row.sport = str(payload["sport"])
    row.distance_m = _number(payload.get("distance_m"))
    row.moving_time_s = _number(payload.get("moving_time_s")) or _number(payload.get("elapsed_time_s"))
    row.elevation_gain_m = _number(payload.get("elevation_gain_m"))
    row.public = payload.get("visibility") == "everyone"
    row.recorded = bool(payload.get("leaderboard_eligible")) and not payload.get("manual")
    row.counted = row.public and row.recorded and await is_eligible(session, activity_id)
    await session.flush()
    await recount(session, store, row.owner_id, touched | _keys(row))


async def follow_verdict(session: AsyncSession, store: RedisBoards | None, activity_id: uuid.UUID) -> None:
    """Fair play's verdict on an activity changed: count it or stop counting it."""
    row = await session.get(LeaderboardActivity, activity_id)
    if row is None:
        return
    row.counted = row.public and row.recorded and await is_eligible(session, activity_id)
    await session.flush()
    await recount(session, store, row.owner_id, _keys(row))


async def remove_activity(session: AsyncSession, store: RedisBoards | None, activity_id: uuid.UUID) -> None:
    row = await session.get(LeaderboardActivity, activity_id)
    if row is None:
        return
    owner_id, touched = row.owner_id, _keys(row)
    await session.delete(row)
    await session.flush()
    await recount(session, store, owner_id, touched)


async def recount(
    session: AsyncSession, store: RedisBoards | None, user_id: uuid.UUID, keys: Iterable[tuple[str, str]]
) -> None:
    """Set the person's totals of each (sport, period) to the sums of the activities that count in it."""
    facts = await standing_facts(session, user_id)
    a = LeaderboardActivity
    for sport, period in sorted(set(keys)):
        await insert_if_missing(
            session,
            LeaderboardTotal,
            {"user_id": user_id, "sport": sport, "period": period, **facts},
            ["user_id", "sport", "period"],
        )
        total = await session.scalar(
            select(LeaderboardTotal)
            .where(
                LeaderboardTotal.user_id == user_id,
                LeaderboardTotal.sport == sport,
                LeaderboardTotal.period == period,
            )
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        assert total is not None
        before = places_of(total)
        where = [a.owner_id == user_id, a.sport == sport, a.counted.is_(True)]
        if period.startswith("w"):
            where.append(a.week == period)
        elif period.startswith("m"):
            where.append(a.month == period)
        distance, time, elevation, count = (
            await session.execute(
                select(
                    func.coalesce(func.sum(a.distance_m), 0.0),
                    func.coalesce(func.sum(a.moving_time_s), 0.0),
                    func.coalesce(func.sum(a.elevation_gain_m), 0.0),
                    func.count(),
                ).where(*where)
            )
        ).one()
        total.distance_m, total.moving_time_s = round(float(distance), 1), round(float(time), 1)
        total.elevation_gain_m, total.activity_count = round(float(elevation), 1), int(count)
        for field in PLACE_FIELDS:
            setattr(total, field, facts[field])
        after = places_of(total) if total.activity_count else {}
        values = values_of(total)
        if not total.activity_count:
            await session.delete(total)
        await session.flush()
        if store is not None:
            await store.place(user_id, sport, period, before, after, values)


async def follow_profile(session: AsyncSession, store: RedisBoards | None, user_id: uuid.UUID) -> None:
    """The person's profile or address changed: move their totals to the boards it now puts them on."""
    facts = await standing_facts(session, user_id)
    totals = list(await session.scalars(select(LeaderboardTotal).where(LeaderboardTotal.user_id == user_id)))
    moves = [(t.sport, t.period, places_of(t)) for t in totals]
    await session.execute(
        update(LeaderboardTotal)
        .where(LeaderboardTotal.user_id == user_id)
        .values(**facts)
        .execution_options(synchronize_session="fetch")
    )
    await session.flush()
    if store is None:
        return
    for total, (sport, period, before) in zip(totals, moves, strict=True):
        await session.refresh(total)
        await store.place(user_id, sport, period, before, places_of(total), values_of(total))


async def board_for(session: AsyncSession, viewer_id: uuid.UUID, query: Query, now: datetime) -> Board:
    """The board a question asks for, in the asker's own country, region, age group or sex."""
    if query.sport not in SPORTS:
        raise LeaderboardInvalid(
            f"Unknown sport {query.sport!r}.", code="leaderboard_unknown_sport", field="sport"
        )
    period = period_key(query.period, now)
    scope = query.scope
    if scope in ("everyone", "friends", "club"):
        members: frozenset[uuid.UUID] | None = None
        if scope == "friends":
            members = frozenset([viewer_id, *await followee_ids(session, viewer_id)])
        elif scope == "club":
            if query.club_id is None:
                raise LeaderboardInvalid("Choose the club.", code="leaderboard_club_missing", field="club_id")
            club = await clubs.visible_club(session, viewer_id, query.club_id)
            members = frozenset(await clubs.member_ids(session, club.id))
        return Board(query.metric, query.sport, period, scope, "", members)
    facts = await standing_facts(session, viewer_id, now)
    if facts[scope]:
        return Board(query.metric, query.sport, period, scope, str(facts[scope]))
    raise LeaderboardInvalid(
        "Your profile does not say this yet: add it in your settings to see this board.",
        code=f"leaderboard_no_{scope}",
        field="scope",
    )


async def answer(
    session: AsyncSession, store: RedisBoards | None, board: Board, viewer_id: uuid.UUID, limit: int
) -> Answer:
    if store is None:
        return await SqlBoards(session).answer(board, viewer_id, limit, REACH)
    await store.ensure_built(session, board.sport, board.period)
    return await store.answer(board, viewer_id, limit, REACH)


async def people_of(
    session: AsyncSession, viewer_id: uuid.UUID, standings: Iterable[Standing]
) -> dict[uuid.UUID, Person]:
    """Each person as the viewer may see them; the privacy of profiles decides (``accounts.privacy``).
    Someone the viewer may not see keeps their rank, without a name or a link."""
    user_ids = {s.user_id for s in standings}
    cards = await person_cards(session, list(user_ids))
    visible = await visible_people(session, viewer_id, cards)
    return {
        user_id: Person(cards[user_id].display_name, f"/people/{user_id}")
        if user_id in visible
        else Person(None, None)
        for user_id in user_ids
    }


async def read_board(
    session: AsyncSession,
    store: RedisBoards | None,
    viewer_id: uuid.UUID,
    query: Query,
    now: datetime | None = None,
) -> Result:
    board = await board_for(session, viewer_id, query, now or utcnow())
    found = await answer(session, store, board, viewer_id, query.limit)
    people = await people_of(session, viewer_id, [*found.top, *found.around])
    listed = bool((await standing_facts(session, viewer_id))["listed"])
    return Result(board, found, people, listed)


async def busiest_sport(session: AsyncSession, user_id: uuid.UUID, period: str) -> str | None:
    """The sport the person went furthest in over a period (their totals' row), if any counts."""
    return await session.scalar(
        select(LeaderboardTotal.sport)
        .where(LeaderboardTotal.user_id == user_id, LeaderboardTotal.period == period)
        .order_by(LeaderboardTotal.distance_m.desc(), LeaderboardTotal.sport)
        .limit(1)
    )
