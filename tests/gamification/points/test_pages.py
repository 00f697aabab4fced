"""``/levels`` over HTTP: signed-in only, the level, the history with its corrections, the thresholds."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from athlos.core.db import Database
from tests.accounts.factories import set_language
from tests.analytics.conftest import new_person, remove
from tests.analytics.test_pages import page_sign_in
from tests.gamification.helpers import changed, logged

MORNING = datetime(2026, 3, 3, 7, tzinfo=UTC)


async def test_visitors_are_sent_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/levels")
    assert (response.status_code, response.headers["location"]) == (303, "/signin")


async def test_a_new_person_sees_level_one_and_how_to_earn_points(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    await page_sign_in(db, client, await new_person(db, bus))
    page = await client.get("/levels")
    assert page.status_code == 200
    assert "Level 1" in page.text
    assert "No points yet" in page.text
    assert "100 more points to level 2" in page.text


async def test_the_history_shows_awards_corrections_and_removals(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus)
    kept = await logged(db, bus, me, MORNING, minutes=60)
    gone = await logged(db, bus, me, MORNING.replace(day=4), minutes=60)
    await changed(db, bus, me, kept, sport="yoga")
    await remove(db, bus, me, gone)
    await page_sign_in(db, client, me)
    page = (await client.get("/levels")).text
    assert "25 points" in page
    for text in ("+98", "-73", "-98", "Corrected after a change", "Activity deleted"):
        assert text in page
    assert f'href="/activities/{kept}"' in page
    assert f'href="/activities/{gone}"' not in page


async def test_the_page_speaks_russian_and_german(db: Database, bus, client: httpx.AsyncClient) -> None:
    me = await new_person(db, bus)
    await page_sign_in(db, client, me)
    for language, words in (("ru", "Уровень"), ("de", "Stufe")):
        await set_language(db, me, language)
        page = await client.get("/levels")
        assert words in page.text, language
