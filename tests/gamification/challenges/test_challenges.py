"""Challenges: set by staff or a club's admins, seen only by their audience, joined, counted from
fair-play-eligible activities inside their days, ranked, and completed once with a notification."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.challenges import service
from tests.activities.conftest import Person, sign_in
from tests.analytics.conftest import set_profile
from tests.gamification.challenges.conftest import ran, set_challenge, today
from tests.gamification.helpers import events
from tests.social.clubs.conftest import join, make_club


def test_the_longest_streak_counts_days_in_a_row() -> None:
    day = date(2026, 3, 2)
    assert service.longest_streak([]) == 0
    assert service.longest_streak([day, day, day + timedelta(days=1), day + timedelta(days=3)]) == 2
    assert service.longest_streak([day + timedelta(days=n) for n in (5, 4, 3, 9)]) == 3


async def test_progress_counts_eligible_runs_and_completion_is_told_once(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, staff: Person, alice: Person, bob: Person
) -> None:
    challenge = await set_challenge(client, staff, target=10_000)
    url = f"/api/v1/challenges/{challenge['id']}"
    # A run before joining, inside the challenge's days, counts once she joins.
    await ran(client, bus, alice, 6000, minutes_ago=20)
    joined = await client.post(f"{url}/participation", headers=alice.headers)
    assert joined.status_code == 200, joined.text
    assert (joined.json()["joined"], round(joined.json()["value"] / 1000)) == (True, 6)
    # A run at 40 km/h (a doctored file) and a typed-in one do not count.
    await ran(client, bus, alice, 8000, speed=11.2, minutes_ago=10)
    typed = {
        "sport": "run",
        "start_time": f"{today().isoformat()}T00:05:00Z",
        "duration_s": 3000,
        "distance_m": 9000,
    }
    assert (await client.post("/api/v1/activities", json=typed, headers=alice.headers)).status_code == 201
    await bus.drain()
    assert round((await client.get(url, headers=alice.headers)).json()["value"] / 1000) == 6
    assert await events(db, service.CHALLENGE_COMPLETED) == []

    await client.post(f"{url}/participation", headers=bob.headers)
    await ran(client, bus, bob, 3000)
    await ran(client, bus, alice, 5000)
    mine = (await client.get(url, headers=alice.headers)).json()
    assert mine["completed_at"] is not None
    assert mine["share"] == 1.0
    [completed] = await events(db, service.CHALLENGE_COMPLETED)
    assert completed.payload["user_id"] == str(alice.id)
    # Another run after completing tells nothing new.
    await ran(client, bus, alice, 2000)
    assert len(await events(db, service.CHALLENGE_COMPLETED)) == 1
    inbox = (await client.get("/api/v1/me/notifications", headers=alice.headers)).json()
    assert any(challenge["id"] in (item.get("link") or "") for item in inbox["items"]), inbox

    board = (await client.get(f"{url}/leaderboard", headers=bob.headers)).json()["items"]
    assert [(s["rank"], s["user_id"]) for s in board] == [(1, str(alice.id)), (2, str(bob.id))]
    assert round(board[1]["value"] / 1000) == 3

    assert (await client.delete(f"{url}/participation", headers=bob.headers)).status_code == 204
    board = (await client.get(f"{url}/leaderboard", headers=alice.headers)).json()["items"]
    assert [s["user_id"] for s in board] == [str(alice.id)]
    listed = (await client.get("/api/v1/challenges", headers=bob.headers)).json()
    assert ([c["id"] for c in listed["joined"]], [c["id"] for c in listed["open"]]) == ([], [challenge["id"]])


async def test_a_flag_takes_an_activity_out_of_the_challenge(
    client: httpx.AsyncClient, bus: EmbeddedBus, staff: Person, alice: Person, bob: Person
) -> None:
    challenge = await set_challenge(client, staff, metric="count", target=5, sport=None)
    url = f"/api/v1/challenges/{challenge['id']}"
    await client.post(f"{url}/participation", headers=alice.headers)
    run = await ran(client, bus, alice, 3000)
    assert (await client.get(url, headers=alice.headers)).json()["value"] == 1
    flagged = await client.post(f"/api/v1/activities/{run}/flag", json={"reason": "Car"}, headers=bob.headers)
    assert flagged.status_code == 201
    await bus.drain()
    assert (await client.get(url, headers=alice.headers)).json()["value"] == 0
    await client.post(
        f"/api/v1/staff/fair-play/{run}/review", json={"decision": "cleared"}, headers=staff.headers
    )
    await bus.drain()
    assert (await client.get(url, headers=alice.headers)).json()["value"] == 1


async def test_who_may_set_and_see_a_challenge(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, staff: Person, alice: Person, bob: Person
) -> None:
    # Only staff set one for everyone or a place.
    refused = await client.post(
        "/api/v1/challenges",
        json={
            "title": "Mine",
            "metric": "count",
            "target": 3,
            "start_date": today().isoformat(),
            "end_date": today().isoformat(),
        },
        headers=alice.headers,
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "challenge_not_allowed")

    # A club's admin sets one for the club: its members see it, others not at all.
    club = await make_club(client, alice)
    for_club = await set_challenge(client, alice, audience="club", club_id=club["id"])
    url = f"/api/v1/challenges/{for_club['id']}"
    assert (await client.get(url, headers=bob.headers)).status_code == 404
    assert (await client.post(f"{url}/participation", headers=bob.headers)).status_code == 404
    assert (await client.get(f"{url}/leaderboard", headers=bob.headers)).status_code == 404
    await join(client, bob, club)
    assert (await client.get(url, headers=bob.headers)).status_code == 200
    # A member who is no admin may not set one for the club.
    not_admin = await client.post(
        "/api/v1/challenges",
        json={
            "title": "Ours",
            "metric": "count",
            "target": 3,
            "start_date": today().isoformat(),
            "end_date": today().isoformat(),
            "audience": "club",
            "club_id": club["id"],
        },
        headers=bob.headers,
    )
    assert not_admin.status_code == 403

    # A region's challenge: people whose profile is there.
    bavarian = await set_challenge(client, staff, audience="region", country="DE", region="DE-BY")
    url = f"/api/v1/challenges/{bavarian['id']}"
    assert (await client.get(url, headers=alice.headers)).status_code == 404
    await set_profile(db, bus, alice.id, country="DE", region="DE-BY", city="Munich")
    assert (await client.get(url, headers=alice.headers)).status_code == 200
    await set_profile(db, bus, bob.id, country="DE", region="DE-BE", city="Berlin")
    assert (await client.get(url, headers=bob.headers)).status_code == 404


async def test_a_challenge_that_cannot_be_is_refused(
    client: httpx.AsyncClient, db: Database, staff: Person
) -> None:
    base = {"title": "Bad", "metric": "distance", "target": 1000}
    cases = {
        "challenge_ends_before_start": {
            "start_date": today().isoformat(),
            "end_date": (today() - timedelta(days=1)).isoformat(),
        },
        "challenge_end_past": {"start_date": "2020-01-01", "end_date": "2020-01-31"},
        "challenge_unknown_sport": {
            "sport": "quidditch",
            "start_date": today().isoformat(),
            "end_date": today().isoformat(),
        },
        "challenge_region_missing": {
            "audience": "region",
            "country": "DE",
            "start_date": today().isoformat(),
            "end_date": today().isoformat(),
        },
    }
    for code, changes in cases.items():
        response = await client.post("/api/v1/challenges", json={**base, **changes}, headers=staff.headers)
        assert (response.status_code, response.json()["code"]) == (422, code)
    stranger = await sign_in(db, client)
    assert (
        await client.get("/api/v1/challenges/00000000-0000-7000-8000-000000000000", headers=stranger.headers)
    ).status_code == 404
