"""``/api/v1/me/badges`` and ``/badges``: one's own cabinet, earned first, in the request's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from athlos.core.db import Database
from athlos.gamification.badges.definitions import badges
from tests.accounts.factories import set_language
from tests.analytics.conftest import headers_of, new_person
from tests.analytics.test_pages import page_sign_in
from tests.gamification.helpers import logged

NOON = datetime(2026, 3, 3, 12, tzinfo=UTC)


async def test_the_cabinet_lists_earned_badges_first(db: Database, bus, client: httpx.AsyncClient) -> None:
    me, other = await new_person(db, bus), await new_person(db, bus)
    await logged(db, bus, me, NOON)
    for day in range(7):
        await logged(db, bus, other, NOON + timedelta(days=day))
    headers = await headers_of(db, client, me)
    items = (await client.get("/api/v1/me/badges", headers=headers)).json()["items"]
    assert len(items) == len(badges())
    assert [(i["id"], i["earned"]) for i in items[:2]] == [("first_activity", True), (items[1]["id"], False)]
    assert not any(i["earned"] for i in items if i["id"] == "daily_streak_7")  # the other person's badge
    german = (await client.get("/api/v1/me/badges", headers={**headers, "Accept-Language": "de"})).json()
    assert german["items"][0]["name"] == "Erster Schritt"
    assert (await client.get("/api/v1/me/badges")).status_code == 401


async def test_the_badges_page_shows_the_cabinet_and_the_streaks(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    assert (await client.get("/badges")).headers["location"] == "/signin"
    me = await new_person(db, bus)
    await page_sign_in(db, client, me)
    empty = (await client.get("/badges")).text
    assert "No badges yet" in empty
    await logged(db, bus, me, NOON)
    page = (await client.get("/badges")).text
    assert f"1 of {len(badges())} badges earned." in page
    assert "<h3>First step</h3>" in page
    assert 'class="badge locked"' in page
    assert "Days in a row" in page
    assert "Weeks in a row" in page
    await set_language(db, me, "ru")
    assert "<h3>Первый шаг</h3>" in (await client.get("/badges")).text
