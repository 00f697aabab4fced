"""Live tokens and the progress ingest, on the database and on Redis: idempotent by seq, safe out of
order, refused outside the window or when impossible; a finish ranks and writes one Result and one
event, while progress never costs an outbox row."""

from __future__ import annotations

import hashlib

import httpx
from sqlalchemy import func, select

from athlos.competitions.models import Registration, Result
from athlos.core.db import Database
from athlos.core.events.models import OutboxRow
from tests.competitions.live.factories import enter, make_live_race
from tests.competitions.live.helpers import live_token, send


async def outbox_rows(db: Database, type_: str | None = None) -> int:
    async with db.sessionmaker() as session:
        query = select(func.count()).select_from(OutboxRow)
        if type_ is not None:
            query = query.where(OutboxRow.type == type_)
        return int((await session.execute(query)).scalar_one())


async def test_a_token_is_issued_to_an_entrant_kept_as_its_hash_and_rotated(
    live_client: httpx.AsyncClient, db: Database
) -> None:
    race = await make_live_race(db)
    person, entry = await enter(db, race)
    first = await live_token(live_client, race.id, person.email)
    async with db.sessionmaker() as session:
        stored = (await session.get(Registration, entry.id)).live_token_hash  # type: ignore[union-attr]
    assert stored == hashlib.sha256(first.encode()).hexdigest()
    assert (await send(live_client, race.id, first, 1, 100, 30)).status_code == 200
    second = await live_token(live_client, race.id, person.email)
    refused = await send(live_client, race.id, first, 2, 200, 60)
    assert refused.status_code == 401
    assert refused.json()["code"] == "live_bad_token"
    assert (await send(live_client, race.id, second, 2, 200, 60)).json()["accepted"] is True


async def test_only_entrants_get_a_token_and_the_ingest_needs_one(
    live_client: httpx.AsyncClient, db: Database
) -> None:
    race = await make_live_race(db)
    stranger, _ = await enter(db, await make_live_race(db))
    from tests.accounts.factories import auth_headers

    headers = await auth_headers(live_client, stranger.email)
    response = await live_client.post(f"/api/v1/races/{race.id}/live/token", headers=headers)
    assert response.status_code == 404
    assert response.json()["code"] == "live_not_registered"
    anonymous = await live_client.post(
        f"/api/v1/races/{race.id}/live/progress", json={"seq": 1, "distance_m": 1, "elapsed_s": 1}
    )
    assert anonymous.status_code == 401


async def test_updates_are_idempotent_by_seq_and_safe_out_of_order(
    live_client: httpx.AsyncClient, db: Database
) -> None:
    race = await make_live_race(db)
    person, _ = await enter(db, race)
    token = await live_token(live_client, race.id, person.email)
    assert (await send(live_client, race.id, token, 3, 900, 300)).json() == {
        "seq": 3,
        "accepted": True,
        "finished": False,
        "finish_s": None,
    }
    replay = (await send(live_client, race.id, token, 3, 950, 310)).json()
    older = (await send(live_client, race.id, token, 2, 600, 200)).json()
    assert (replay["accepted"], replay["seq"]) == (False, 3)
    assert (older["accepted"], older["seq"]) == (False, 3)
    board = (await live_client.get(f"/api/v1/races/{race.id}/live/leaderboard")).json()
    assert "top" in board, board
    assert [(e["bib"], e["distance_m"], e["elapsed_s"]) for e in board["top"]] == [(1, 900.0, 300.0)]


async def test_updates_outside_the_window_or_impossible_are_refused(
    live_client: httpx.AsyncClient, db: Database
) -> None:
    race = await make_live_race(db, started_minutes_ago=10)
    person, _ = await enter(db, race)
    token = await live_token(live_client, race.id, person.email)
    too_fast = await send(live_client, race.id, token, 1, 5000, 100)
    assert too_fast.status_code == 422
    assert too_fast.json()["code"] == "live_impossible_progress"
    too_long = await send(live_client, race.id, token, 1, 1000, 3600)
    assert too_long.json()["code"] == "live_impossible_progress"
    half_position = await send(live_client, race.id, token, 1, 1000, 300, lat=52.5)
    assert half_position.json()["code"] == "live_impossible_progress"
    later = await make_live_race(db, started_minutes_ago=-30)
    runner, _ = await enter(db, later)
    early = await send(live_client, later.id, await live_token(live_client, later.id, runner.email), 1, 0, 0)
    assert early.status_code == 409
    assert early.json()["code"] == "live_outside_window"


async def test_crossing_the_distance_ranks_a_finisher_with_an_interpolated_time(
    live_client: httpx.AsyncClient, db: Database
) -> None:
    race = await make_live_race(db, distance_m=5000)
    fast, _ = await enter(db, race, bib=1, name="Fast")
    slow, _ = await enter(db, race, bib=2, name="Slow")
    fast_token = await live_token(live_client, race.id, fast.email)
    slow_token = await live_token(live_client, race.id, slow.email)
    await send(live_client, race.id, slow_token, 1, 4900, 1400)
    await send(live_client, race.id, fast_token, 1, 4000, 1200)
    crossed = (await send(live_client, race.id, fast_token, 2, 5100, 1530)).json()
    assert crossed["finished"] is True
    assert crossed["finish_s"] == 1500.0  # 1200 s + 1000 m of the 1100 m at 330 s per 1100 m
    board = (await live_client.get(f"/api/v1/races/{race.id}/live/leaderboard")).json()
    assert [(e["name"], e["finished"], e["time_s"]) for e in board["top"]] == [
        ("Fast", True, 1500.0),
        ("Slow", False, None),
    ]
    again = (await send(live_client, race.id, fast_token, 3, 5200, 1560)).json()
    assert again["finished"] is False
    async with db.sessionmaker() as session:
        results = (await session.execute(select(Result).where(Result.race_id == race.id))).scalars().all()
    assert [(r.user_id, r.elapsed_s, r.status, r.activity_id) for r in results] == [
        (fast.id, 1500.0, "provisional", None)
    ]
    assert await outbox_rows(db, "competitions.finished") == 1


async def test_progress_updates_never_write_to_the_outbox(
    live_client: httpx.AsyncClient, db: Database
) -> None:
    race = await make_live_race(db)
    person, _ = await enter(db, race)
    token = await live_token(live_client, race.id, person.email)
    before = await outbox_rows(db)
    for seq in range(1, 21):
        assert (await send(live_client, race.id, token, seq, seq * 50.0, seq * 15.0)).json()["accepted"]
    assert await outbox_rows(db) == before
