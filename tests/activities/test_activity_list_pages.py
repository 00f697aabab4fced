"""The activity list page: sport filter and title search kept across pages, map thumbnails of tracks,
and the Upload and "Add manually" buttons at the top."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import httpx
import pytest

from athlos.activities import pages
from athlos.activities.pages import THUMBNAILS
from athlos.core.events.embedded import EmbeddedBus
from tests.activities.conftest import Person
from tests.activities.test_api_activities import START, create
from tests.activities.uploads.test_api import run_gpx, upload_and_process

TITLE = re.compile(r'class="activity-link" href="/activities/[0-9a-f-]+">([^<]+)</a>')
OLDER = re.compile(r'href="(/activities\?[^"]+)" rel="next"')


def titles(page: httpx.Response) -> list[str]:
    assert page.status_code == 200, page.text
    return TITLE.findall(page.text)


def name_of(day: int) -> str:
    return f"{'Hill' if day % 3 == 0 else 'Flat'} {'ride' if day % 2 else 'run'} {day:02d}"


async def test_sport_filter_and_title_search_keep_across_pages(
    client: httpx.AsyncClient, alice: Person, bob: Person, browser_of: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 5)
    for day in range(12):
        await create(
            client,
            alice,
            sport="ride" if day % 2 else "run",
            title=name_of(day),
            start_time=(START + timedelta(days=day)).isoformat(),
        )
    await create(client, bob, sport="ride", title="Hill ride of someone else")
    mine = await browser_of(alice)

    rides = await mine.get("/activities?sport=ride")
    assert titles(rides) == [name_of(day) for day in (11, 9, 7, 5, 3)]
    assert '<option value="ride" selected>' in rides.text
    [older] = OLDER.findall(rides.text)
    second = await mine.get(html.unescape(older))
    assert titles(second) == [name_of(1)]
    assert '<option value="ride" selected>' in second.text
    assert 'href="/activities?sport=ride"' in second.text  # "Newest" keeps the filter

    hills = await mine.get("/activities", params={"q": "  hILL ", "sport": ""})
    assert titles(hills) == [name_of(day) for day in (9, 6, 3, 0)]
    assert 'value="hILL"' in hills.text
    assert "someone else" not in hills.text  # only one's own activities
    assert not OLDER.search(hills.text)

    flat_runs = await mine.get("/activities?q=flat&sport=run")
    assert titles(flat_runs) == [name_of(day) for day in (10, 8, 4, 2)]
    everything = await mine.get("/activities")
    [older] = OLDER.findall(everything.text)
    assert "sport=" not in older
    assert "q=" not in older


async def test_search_takes_like_wildcards_literally_and_says_when_nothing_matches(
    client: httpx.AsyncClient, alice: Person, browser_of: Any
) -> None:
    await create(client, alice, title="100% effort")
    await create(client, alice, title="Easy jog", start_time=(START + timedelta(days=1)).isoformat())
    mine = await browser_of(alice)
    assert titles(await mine.get("/activities?q=%25")) == ["100% effort"]
    assert titles(await mine.get("/activities?q=_")) == []
    nothing = await mine.get("/activities?q=swimming&sport=nonsense")
    assert "No activities match this search." in nothing.text
    sport_choice = nothing.text.split('id="f-sport"')[1].split("</select>")[0]
    assert "selected" not in sport_choice  # an unknown sport filters nothing
    spoilt = await mine.get("/activities?cursor=nonsense&q=jog", follow_redirects=False)
    assert (spoilt.status_code, spoilt.headers["location"]) == (303, "/activities?q=jog")


async def test_search_ignores_case_in_every_alphabet(
    client: httpx.AsyncClient, alice: Person, browser_of: Any
) -> None:
    await create(client, alice, title="Утренний бег у Müggelsee")
    await create(client, alice, title="Evening ride", start_time=(START + timedelta(days=1)).isoformat())
    mine = await browser_of(alice)
    assert titles(await mine.get("/activities?q=УТРЕННИЙ")) == ["Утренний бег у Müggelsee"]
    assert titles(await mine.get("/activities?q=MÜGGEL")) == ["Утренний бег у Müggelsee"]
    assert titles(await mine.get("/activities?q=EVENING")) == ["Evening ride"]


async def test_tracks_have_map_thumbnails_and_the_add_buttons_lead_somewhere(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, browser_of: Any
) -> None:
    uploaded = await upload_and_process(client, bus, alice, run_gpx())
    [track_id] = uploaded["activity_ids"]
    await create(client, alice, title="Treadmill")
    mine = await browser_of(alice)
    THUMBNAILS.clear()
    page = await mine.get("/activities")
    thumbnails = re.findall(r'<svg class="activity-thumbnail"[^>]*>\s*<polyline points="([^"]+)"', page.text)
    assert len(thumbnails) == 1  # the typed-in one has no track
    points = [tuple(map(float, pair.split(","))) for pair in thumbnails[0].split()]
    assert 2 <= len(points) <= 80
    assert all(0 <= x <= 100 and 0 <= y <= 100 for x, y in points)
    assert len(THUMBNAILS) == 1  # drawn once, then kept
    again = await mine.get("/activities")
    assert thumbnails[0] in again.text
    assert track_id in again.text

    for href in ("/upload", "/activities/new"):
        assert f'href="{href}"' in page.text
        assert (await mine.get(href)).status_code == 200
