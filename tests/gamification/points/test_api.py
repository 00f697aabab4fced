"""``/api/v1/levels`` and ``/api/v1/me/points``: thresholds for everyone, one's own points only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from athlos.core.db import Database
from athlos.gamification.points.effort import DAILY_CAP, LEVEL_THRESHOLDS
from tests.analytics.conftest import headers_of, new_person
from tests.gamification.helpers import logged
from tests.notifications.helpers import inbox

MORNING = datetime(2026, 3, 3, 7, tzinfo=UTC)


async def test_the_level_thresholds_are_published(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/levels")
    assert response.status_code == 200
    body = response.json()
    assert body["daily_cap"] == DAILY_CAP
    assert body["levels"][:3] == [
        {"level": 1, "points": 0},
        {"level": 2, "points": 100},
        {"level": 3, "points": 250},
    ]
    assert len(body["levels"]) == len(LEVEL_THRESHOLDS)


async def test_my_points_level_and_history_page_by_page(db: Database, bus, client: httpx.AsyncClient) -> None:
    me, other = await new_person(db, bus), await new_person(db, bus)
    for day in range(3):
        await logged(db, bus, me, MORNING + timedelta(days=day), minutes=60)
    await logged(db, bus, other, MORNING, minutes=200)
    headers = await headers_of(db, client, me)
    standing = (await client.get("/api/v1/me/points", headers=headers)).json()
    assert standing == {
        "points": 294,
        "level": 3,
        "level_points": 250,
        "next_level_points": 500,
        "daily_cap": DAILY_CAP,
    }
    first = (await client.get("/api/v1/me/points/history?limit=2", headers=headers)).json()
    assert [item["local_date"] for item in first["items"]] == ["2026-03-05", "2026-03-04"]
    assert {item["reason"] for item in first["items"]} == {"awarded"}
    rest = (
        await client.get(f"/api/v1/me/points/history?limit=2&cursor={first['next_cursor']}", headers=headers)
    ).json()
    assert [item["local_date"] for item in rest["items"]] == ["2026-03-03"]
    assert rest["next_cursor"] is None
    # The level reached is in the inbox, once.
    titles = [item["title"] for item in (await inbox(client, headers))["items"]]
    assert [title for title in titles if "level" in title] == ["You reached level 3", "You reached level 2"]


async def test_a_bad_cursor_or_no_sign_in_is_a_problem(db: Database, bus, client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/me/points")).status_code == 401
    headers = await headers_of(db, client, await new_person(db, bus))
    for cursor in ("nonsense!", "WyJ4Il0"):  # not base64 JSON; a list holding a string
        response = await client.get(f"/api/v1/me/points/history?cursor={cursor}", headers=headers)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "invalid_cursor"
