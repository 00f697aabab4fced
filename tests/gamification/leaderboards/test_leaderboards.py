"""Leaderboards through the API on the embedded default (SQL): public, recorded, fair-play-eligible
runs are counted into weekly, monthly and all-time totals; ties share a rank; scopes; privacy; and
every handler applied twice changes nothing."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select

from athlos.accounts.service import set_display_name
from athlos.core.db import Database
from athlos.core.events import registry
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.leaderboards import handlers
from athlos.gamification.leaderboards.models import LeaderboardTotal
from tests.activities.conftest import Person, sign_in
from tests.analytics.conftest import set_profile
from tests.gamification.challenges.conftest import today
from tests.gamification.helpers import events
from tests.gamification.leaderboards.conftest import board, ran, ranks
from tests.social.clubs.conftest import join, make_club


async def named(db: Database, bus: EmbeddedBus, person: Person, name: str, **profile: object) -> None:
    async with db.unit_of_work() as session:
        await set_display_name(session, person.id, name)
    if profile:
        await set_profile(db, bus, person.id, **profile)


async def totals(db: Database, user_id: uuid.UUID) -> dict[str, float]:
    async with db.sessionmaker() as session:
        rows = await session.scalars(select(LeaderboardTotal).where(LeaderboardTotal.user_id == user_id))
        return {row.period[0]: round(row.distance_m, -2) for row in rows}


async def test_counted_runs_rank_with_ties_and_the_people_around_me(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    carol = await sign_in(db, client)
    for person, name in ((alice, "Alice"), (bob, "Bob"), (carol, "Carol")):
        await named(db, bus, person, name)
    await ran(client, bus, alice, 4000, minutes_ago=20)
    await ran(client, bus, bob, 4000)
    await ran(client, bus, carol, 2500)
    # A typed-in run and a run at 40 km/h are kept out.
    typed = {"sport": "run", "start_time": f"{today()}T00:05:00Z", "duration_s": 3000, "distance_m": 20_000}
    assert (await client.post("/api/v1/activities", json=typed, headers=carol.headers)).status_code == 201
    await ran(client, bus, carol, 8000, speed=11.2, minutes_ago=10)
    await bus.drain()

    for period in ("week", "month", "all"):
        body = await board(client, carol, sport="run", period=period)
        tied = sorted([("Alice", alice.id), ("Bob", bob.id)], key=lambda pair: pair[1])
        assert ranks(body["top"]) == [(1, tied[0][0], 4000), (1, tied[1][0], 4000), (3, "Carol", 2500)]
        assert body["me"]["rank"] == 3
        assert body["me"]["me"] is True
        assert [e["rank"] for e in body["around_me"]] == [1, 1, 3]
        assert body["top"][0]["profile_url"] == f"/people/{tied[0][1]}"
    assert (await board(client, alice, limit=1))["top"][0]["rank"] == 1
    assert await totals(db, carol.id) == {"a": 2500, "w": 2500, "m": 2500}
    # Another sport's board is empty, with no rank for me.
    empty = await board(client, alice, sport="ride")
    assert (empty["top"], empty["me"], empty["around_me"]) == ([], None, [])


async def test_deleting_or_flagging_a_run_takes_it_off_and_redelivery_changes_nothing(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    first = await ran(client, bus, alice, 3000, minutes_ago=20)
    second = await ran(client, bus, alice, 2000)
    assert round((await board(client, alice))["me"]["value"], -2) == 5000
    [created, _] = await events(db, "activity.created")
    handler = registry.get(f"{handlers.__name__}.count_on_leaderboards")
    assert handler is not None
    for _ in range(2):
        async with db.unit_of_work() as session:
            await handler.fn(session, created)
    assert await totals(db, alice.id) == {"a": 5000, "w": 5000, "m": 5000}

    flagged = await client.post(
        f"/api/v1/activities/{second}/flag", json={"reason": "Drove."}, headers=bob.headers
    )
    assert flagged.status_code in (200, 201), flagged.text
    await bus.drain()
    assert round((await board(client, alice))["me"]["value"], -2) == 3000
    assert (await client.delete(f"/api/v1/activities/{first}", headers=alice.headers)).status_code == 204
    await bus.drain()
    assert (await board(client, alice))["me"] is None
    assert await totals(db, alice.id) == {}


async def test_scopes_place_people_by_their_profile_friends_and_clubs(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    carol = await sign_in(db, client)
    await named(db, bus, alice, "Alice", country="DE", region="DE-BY", birth_year=1990, sex="female")
    await named(db, bus, bob, "Bob", country="DE", region="DE-BE", birth_year=1991, sex="male")
    await named(db, bus, carol, "Carol", country="FR", birth_year=1960, sex="female")
    await ran(client, bus, alice, 3000, minutes_ago=20)
    await ran(client, bus, bob, 4000, minutes_ago=10)
    await ran(client, bus, carol, 5000)

    def names(body: dict[str, object]) -> list[str | None]:
        return [e["display_name"] for e in body["top"]]  # type: ignore[attr-defined, index]

    assert names(await board(client, alice, scope="everyone")) == ["Carol", "Bob", "Alice"]
    assert names(await board(client, alice, scope="country")) == ["Bob", "Alice"]
    region = await board(client, alice, scope="region")
    assert (names(region), region["place"]) == (["Alice"], "DE-BY")
    assert names(await board(client, alice, scope="age_group")) == ["Bob", "Alice"]
    assert names(await board(client, alice, scope="sex")) == ["Carol", "Alice"]
    assert names(await board(client, alice, scope="friends")) == ["Alice"]
    assert (await client.post(f"/api/v1/users/{carol.id}/follow", headers=alice.headers)).status_code in (
        200,
        201,
    )
    assert names(await board(client, alice, scope="friends")) == ["Carol", "Alice"]

    club = await make_club(client, bob)
    await join(client, alice, club)
    body = await board(client, alice, scope="club", club_id=club["id"])
    assert (names(body), body["me"]["rank"]) == (["Bob", "Alice"], 2)
    # A country that changes moves the person to the other board.
    await set_profile(db, bus, bob.id, country="FR", region=None)
    assert names(await board(client, alice, scope="country")) == ["Alice"]


async def test_bad_questions_are_problems(client: httpx.AsyncClient, alice: Person) -> None:
    url = "/api/v1/leaderboards"
    cases = [
        ({"period": "year"}, 422, None),
        ({"scope": "galaxy"}, 422, None),
        ({"limit": 0}, 422, None),
        ({"sport": "quidditch"}, 422, "leaderboard_unknown_sport"),
        ({"scope": "country"}, 422, "leaderboard_no_country"),
        ({"scope": "club"}, 422, "leaderboard_club_missing"),
        ({"scope": "club", "club_id": str(uuid.uuid4())}, 404, None),
    ]
    for params, status, code in cases:
        response = await client.get(url, params=params, headers=alice.headers)
        assert response.status_code == status, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        if code is not None:
            assert response.json()["code"] == code
    assert (await client.get(url)).status_code == 401


async def test_hidden_profiles_private_runs_and_blocks(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    await named(db, bus, alice, "Alice")
    await named(db, bus, bob, "Bob")
    await ran(client, bus, alice, 3000)
    hidden = await sign_in(db, client)
    await set_profile(db, bus, hidden.id, profile_visibility="followers")
    await ran(client, bus, hidden, 9000)
    body = await board(client, hidden)
    assert (ranks(body["top"]), body["me"], body["listed"]) == ([(1, "Alice", 3000)], None, False)
    # Showing the profile again puts the totals back.
    await set_profile(db, bus, hidden.id, profile_visibility="everyone")
    assert (await board(client, alice))["top"][0]["user_id"] == str(hidden.id)
    # A private run never counts.
    private = await ran(client, bus, bob, 4000)
    patched = await client.patch(
        f"/api/v1/activities/{private}", json={"visibility": "only_me"}, headers=bob.headers
    )
    assert patched.status_code == 200, patched.text
    await bus.drain()
    assert [e["display_name"] for e in (await board(client, bob))["top"]][-1] == "Alice"
    # Someone who blocked the viewer keeps their rank but shows no name or link.
    assert (await client.post(f"/api/v1/users/{alice.id}/block", headers=hidden.headers)).status_code in (
        200,
        201,
        204,
    )
    first = (await board(client, alice))["top"][0]
    assert (first["rank"], first["display_name"], first["profile_url"], first["user_id"]) == (
        1,
        None,
        None,
        None,
    )
