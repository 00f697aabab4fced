"""Redis and SQL give the same answers on the same data: every person's top, rank and neighbourhood on
every scope, with many ties; and the projection written incrementally equals one rebuilt from SQL."""

from __future__ import annotations

import random
import uuid

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import update

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.leaderboards import service
from athlos.gamification.leaderboards.boards import Board, Standing, answer_of, order, ranked
from athlos.gamification.leaderboards.models import LeaderboardTotal
from athlos.gamification.leaderboards.redis_store import RedisBoards, forget, places_of, values_of
from athlos.gamification.leaderboards.sql_store import SqlBoards
from tests.accounts.factories import make_user
from tests.activities.conftest import Person
from tests.gamification.leaderboards.conftest import board, forget_boards, ran

PERIOD = "w2026-49"


def test_competition_ranks_share_a_rank_and_skip_after_a_tie() -> None:
    a, b, c, d = sorted(uuid.uuid4() for _ in range(4))
    rows = order([(d, 5.0), (c, 9.0), (b, 9.0), (a, 7.0)])
    assert rows == [(b, 9.0), (c, 9.0), (a, 7.0), (d, 5.0)]
    assert [s.rank for s in ranked(rows, 1, 0)] == [1, 1, 3, 4]
    # A window starting inside a tie keeps the tie's rank.
    assert [s.rank for s in ranked(rows[1:], 1, 1)] == [1, 3, 4]
    found = answer_of(rows, d, limit=2, reach=1)
    assert (found.me, [s.user_id for s in found.around]) == (Standing(4, d, 5.0), [a, d])


async def people(db: Database, count: int, seed: int) -> list[LeaderboardTotal]:
    """``count`` people with totals drawn from few values (many ties) and a few places each."""
    chance = random.Random(seed)
    totals = []
    async with db.unit_of_work() as session:
        for _ in range(count):
            user = await make_user(db, email=f"{uuid.uuid4().hex}@example.org")
            total = LeaderboardTotal(
                user_id=user.id,
                sport="run",
                period=PERIOD,
                distance_m=float(chance.choice([1000, 2500, 2500.5, 5000, 10_000])),
                moving_time_s=float(chance.choice([600, 1200, 3600])),
                elevation_gain_m=float(chance.choice([0, 10, 10, 200])),
                activity_count=1,
                listed=chance.random() > 0.15,
                country=chance.choice(["DE", "FR", None]),
                age_group=chance.choice(["20-29", "30-39"]),
                sex=chance.choice(["female", "male", None]),
            )
            total.region = f"{total.country}-01" if total.country and chance.random() > 0.5 else None
            session.add(total)
            totals.append(total)
    return totals


def boards_of(total: LeaderboardTotal, members: frozenset[uuid.UUID]) -> list[Board]:
    boards = [Board("distance", "run", PERIOD, "everyone"), Board("elevation", "run", PERIOD, "everyone")]
    for scope, place in places_of(total).items():
        if scope != "everyone":
            boards.append(Board("distance", "run", PERIOD, scope, place))  # type: ignore[arg-type]
    boards.append(Board("time", "run", PERIOD, "friends", members=members))
    return boards


@pytest.mark.redis
async def test_redis_and_sql_answer_alike(db: Database, boards_redis: Redis) -> None:
    totals = await people(db, 60, seed=12)
    store = RedisBoards(boards_redis)
    # Written as the handlers do, one person after another.
    for total in totals:
        await store.place(total.user_id, "run", PERIOD, {}, places_of(total), values_of(total))
    chance = random.Random(7)
    compared = 0
    async with db.sessionmaker() as session:
        sql = SqlBoards(session)
        for rebuilt in (False, True):
            if rebuilt:
                await forget_boards(boards_redis)
                assert await store.rebuild(session, "run", PERIOD) == len(totals)
            for total in totals:
                members = frozenset(t.user_id for t in chance.sample(totals, 15)) | {total.user_id}
                for question in boards_of(total, members):
                    for limit in (3, 100):
                        expected = await sql.answer(question, total.user_id, limit, 2)
                        assert await store.answer(question, total.user_id, limit, 2) == expected, question
                        compared += 1
                    on_board = total.listed and values_of(total)[question.metric] > 0
                    assert (expected.me is not None) == on_board
    ties = {t.distance_m for t in totals if t.listed}
    assert compared > 500
    assert len(ties) < len(totals)


@pytest.mark.redis
async def test_the_projection_follows_events_and_erasure(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, alice: Person, bob: Person, boards_redis: Redis
) -> None:
    await ran(client, bus, alice, 3000, minutes_ago=20)
    await ran(client, bus, bob, 5000)
    store = RedisBoards(boards_redis)
    async with db.sessionmaker() as session:
        for period in ("week", "month", "all"):
            query = service.Query(period=period)  # type: ignore[arg-type]
            from_sql = await service.read_board(session, None, alice.id, query)
            # Written by the handlers, not built: the marker is missing until a read builds it.
            board_ = from_sql.board
            assert await store.answer(board_, alice.id, 20, 2) == from_sql.answer
            from_redis = await service.read_board(session, store, alice.id, query)
            assert from_redis.answer == from_sql.answer
            assert [s.rank for s in from_redis.answer.top] == [1, 2]
    # Taking a person off (erasure) leaves them in no set.
    await forget(boards_redis, bob.id)
    async with db.sessionmaker() as session:
        await session.execute(
            update(LeaderboardTotal).where(LeaderboardTotal.user_id == bob.id).values(listed=False)
        )
        found = await store.answer(from_sql.board, alice.id, 20, 2)
        assert [s.user_id for s in found.top] == [alice.id]
    assert (await board(client, alice))["me"]["rank"] in (1, 2)
