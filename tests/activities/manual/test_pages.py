"""Typing an activity in on ``/activities/new``: a bad value comes back beside its field with what was
typed kept, a good one is stored with its start read on the person's clock and units."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.activities.conftest import Person
from tests.activities.test_activity_pages import token_of


async def set_profile(client: httpx.AsyncClient, person: Person, **changes: Any) -> None:
    response = await client.patch("/api/v1/me/profile", json=changes, headers=person.headers)
    assert response.status_code == 200, response.text


async def form_token(page: httpx.AsyncClient) -> str:
    return token_of((await page.get("/activities/new")).text)


def field_error(page: str, name: str) -> str | None:
    found = re.search(rf'<p class="field-error" id="f-{name}-error">([^<]+)</p>', page)
    return found.group(1) if found else None


async def test_visitors_are_sent_to_sign_in(browser_of: Any) -> None:
    visitor = await browser_of(None)
    for answer in (await visitor.get("/activities/new"), await visitor.post("/activities/new")):
        assert answer.status_code in (303, 403)
    assert (await visitor.get("/activities/new")).headers["location"] == "/signin"


async def test_bad_values_come_back_beside_their_fields_and_good_ones_are_stored_on_my_clock(
    client: httpx.AsyncClient, alice: Person, browser_of: Any
) -> None:
    await set_profile(client, alice, time_zone="America/St_Johns", units="imperial")
    mine = await browser_of(alice)
    token = await form_token(mine)
    page = await mine.get("/activities/new")
    assert "America/St_Johns" in page.text
    assert "Distance (mi)" in page.text

    typed = {
        "csrf_token": token,
        "sport": "ride",
        "date": "2026-13-40",
        "time": "15:35",
        "duration": "1:75",
        "distance": "ten",
        "elevation": "-5",
        "title": "Lunch ride",
        "visibility": "",
    }
    bad = await mine.post("/activities/new", data=typed)
    assert bad.status_code == 422
    assert field_error(bad.text, "date") == "Enter a date such as 2025-05-31."
    assert field_error(bad.text, "duration") == "Enter a duration such as 45:00 or 1:05:00."
    assert field_error(bad.text, "distance") == "Enter a number."
    assert field_error(bad.text, "elevation") == "Enter at least 0."
    assert field_error(bad.text, "time") is None
    assert field_error(bad.text, "title") is None
    assert 'value="Lunch ride"' in bad.text
    assert 'value="2026-13-40"' in bad.text
    assert 'aria-describedby="f-duration-help f-duration-error"' in bad.text

    empty = await mine.post("/activities/new", data={"csrf_token": token, "sport": "run"})
    assert empty.status_code == 422
    for name in ("date", "time", "duration"):
        assert field_error(empty.text, name) == "Please fill this in."

    good = await mine.post(
        "/activities/new",
        data={**typed, "date": "2026-07-04", "duration": "1:05:00", "distance": "12,5", "elevation": "300"},
    )
    assert good.status_code == 303, good.text
    location = good.headers["location"]
    activity_page = await mine.get(location)
    assert "The activity is added." in activity_page.text
    activity = (await client.get(f"/api/v1{location}", headers=alice.headers)).json()
    assert activity["title"] == "Lunch ride"
    assert activity["manual"] is True
    # 15:35 in St. John's (UTC-2:30 in summer) is 18:05 UTC.
    assert datetime.fromisoformat(activity["start_time"]).astimezone(UTC) == datetime(
        2026, 7, 4, 18, 5, tzinfo=UTC
    )
    assert activity["moving_time_s"] == 3900
    assert abs(activity["distance_m"] - 12.5 * 1609.344) < 0.01
    assert abs(activity["elevation_gain_m"] - 300 * 0.3048) < 0.01
    assert "3:35\u202fPM" in activity_page.text  # shown on the clock where it was typed


async def test_an_untitled_activity_gets_an_automatic_title_in_my_language(
    client: httpx.AsyncClient, alice: Person, browser_of: Any
) -> None:
    await set_profile(client, alice, time_zone="Europe/Berlin", language="de")
    mine = await browser_of(alice)
    token = await form_token(mine)
    # The page speaks the profile's language, whatever the browser asks for.
    german = await mine.get("/activities/new", headers={"Accept-Language": "ru"})
    assert "Aktivität hinzufügen" in german.text
    saved = await mine.post(
        "/activities/new",
        data={"csrf_token": token, "sport": "run", "date": "2026-03-01", "time": "07:10", "duration": "40"},
    )
    assert saved.status_code == 303
    activity = (await client.get(f"/api/v1{saved.headers['location']}", headers=alice.headers)).json()
    assert activity["moving_time_s"] == 2400
    assert activity["distance_m"] is None
    assert activity["title"] != ""
    assert "Lauf" in activity["title"]
