"""Times on the clock where an activity started: the zone of its start point, else its owner's; the
automatic title by that clock, in the owner's language; and download names for any title."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from athlos.activities.local_time import local_clock, zone_at
from athlos.activities.titles import automatic_title
from athlos.core.downloads import attachment
from athlos.core.events.embedded import EmbeddedBus
from athlos.web.i18n import translations
from tests.activities.conftest import Person
from tests.activities.test_api_activities import create
from tests.activities.tracks import gpx_document, line_track
from tests.activities.uploads.test_api import upload_and_process

# 18:05 UTC on a summer day is 15:35 in St. John's, Newfoundland (UTC−2:30).
RIDE_START = datetime(2013, 8, 16, 18, 5, 10, tzinfo=UTC)


def test_the_zone_of_a_position_is_found_offline() -> None:
    assert zone_at(47.56, -52.71) == "America/St_Johns"
    assert zone_at(45.0, 14.0) == "Europe/Zagreb"
    assert zone_at(None, 14.0) is None
    assert zone_at(95.0, 14.0) is None
    assert local_clock(RIDE_START, "America/St_Johns").strftime("%H:%M") == "15:35"
    assert local_clock(RIDE_START, "Not/A_Zone", None).strftime("%H:%M %Z") == "18:05 UTC"


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Afternoon ride"), ("ru", "Дневная велопоездка"), ("de", "Radfahrt am Nachmittag")],
)
def test_automatic_titles_read_in_the_owners_language(language: str, title: str) -> None:
    local = local_clock(RIDE_START, "America/St_Johns")
    assert automatic_title("ride", local, translations(language).gettext) == title


def test_unknown_sports_get_a_workout_title() -> None:
    assert automatic_title("curling", datetime(2024, 1, 1, 23, tzinfo=UTC)) == "Night workout"


@pytest.mark.parametrize(
    ("title", "header"),
    [
        ("Lakeside tempo", 'attachment; filename="Lakeside tempo.gpx"'),
        ("a/b\\c", 'attachment; filename="a-b-c.gpx"'),
        ("", 'attachment; filename="activity.gpx"'),
        ("...", 'attachment; filename="activity.gpx"'),
        (
            "Утро/бег",
            'attachment; filename="activity.gpx"; '
            "filename*=UTF-8''%D0%A3%D1%82%D1%80%D0%BE-%D0%B1%D0%B5%D0%B3.gpx",
        ),
        ("Café ride", "attachment; filename=\"Cafe ride.gpx\"; filename*=UTF-8''Caf%C3%A9%20ride.gpx"),
    ],
)
def test_downloads_keep_a_sensible_name_for_any_title(title: str, header: str) -> None:
    assert attachment(title, "gpx", "activity") == header


async def set_profile(client: httpx.AsyncClient, person: Person, **fields: Any) -> None:
    response = await client.patch("/api/v1/me/profile", json=fields, headers=person.headers)
    assert response.status_code == 200, response.text


async def test_a_typed_in_activity_reads_on_the_owners_clock_and_in_their_language(
    client: httpx.AsyncClient,
    alice: Person,
    browser_of: Any,
) -> None:
    await set_profile(client, alice, time_zone="America/St_Johns", language="de")
    body = await create(client, alice, sport="ride", title=None, start_time=RIDE_START.isoformat())
    assert body["title"] == "Radfahrt am Nachmittag"
    assert body["time_zone"] == "America/St_Johns"
    page = await (await browser_of(alice)).get(f"/activities/{body['id']}", headers={"Accept-Language": "en"})
    assert "15:35" in page.text  # on St. John's clock, written as the owner's German reads it


async def test_an_imported_track_reads_on_the_clock_of_its_start_point(
    client: httpx.AsyncClient,
    bus: EmbeddedBus,
    alice: Person,
    browser_of: Any,
) -> None:
    await set_profile(client, alice, time_zone="Asia/Tokyo")  # the place wins over the profile
    time, lat, lon = line_track([3.0] * 300, lat0=47.56, lon0=-52.71)
    time = time - time[0] + RIDE_START.timestamp()
    status = await upload_and_process(client, bus, alice, gpx_document(time, lat, lon, name=""), "ride.gpx")
    assert status["status"] == "done", status
    activity_id = status["activity_ids"][0]
    body = (await client.get(f"/api/v1/activities/{activity_id}", headers=alice.headers)).json()
    assert (body["time_zone"], body["title"]) == ("America/St_Johns", "Afternoon run")
    mine = await browser_of(alice)
    assert "3:35\u202fPM" in (await mine.get(f"/activities/{activity_id}")).text
    assert "3:35:10\u202fPM" in (await mine.get("/activities")).text


async def test_the_shared_edge_ride_starts_at_its_local_time(
    client: httpx.AsyncClient,
    bus: EmbeddedBus,
    alice: Person,
    browser_of: Any,
    shared_tracks: Path,
) -> None:
    path = shared_tracks / "fit" / "Edge810-Vector-2013-08-16-15-35-10.fit"
    status = await upload_and_process(client, bus, alice, path.read_bytes(), path.name)
    [activity_id] = status["activity_ids"]
    body = (await client.get(f"/api/v1/activities/{activity_id}", headers=alice.headers)).json()
    assert (body["time_zone"], body["title"]) == ("America/St_Johns", "Afternoon ride")
    page = await (await browser_of(alice)).get(f"/activities/{activity_id}")
    assert "3:35\u202fPM" in page.text
