"""The activity pages over HTTP: the list with cursor pages, an activity's page (map track, charts,
splits), the owner's edit (htmx and plain form) and delete, downloads, privacy zones and languages."""

from __future__ import annotations

import html
import json
import re
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from athlos.activities.zones import service as zones
from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.test_pages import TOKEN
from tests.activities.conftest import Person
from tests.activities.overlaps.test_overlaps import two_recordings
from tests.activities.test_api_activities import START, create
from tests.activities.test_api_privacy import imported
from tests.activities.tracks import FitLeg, fit_workout, line_track, ride_with_power, triathlon_fit
from tests.activities.uploads.test_api import upload_and_process
from tests.activities.zones.test_zones import HOME_CIRCLE, add_zone

TRACK = re.compile(r'data-track="([^"]*)"')


def track_of(page: str) -> list[list[list[float]]]:
    found = TRACK.search(page)
    assert found is not None, "no map on the page"
    segments: list[list[list[float]]] = json.loads(html.unescape(found.group(1)))["segments"]
    return segments


def token_of(page: str) -> str:
    found = TOKEN.search(page)
    assert found is not None
    return found.group(1)


async def test_the_owner_sees_map_charts_splits_and_downloads(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, browser_of: Any
) -> None:
    activity_id = (await imported(client, bus, alice, "only_me"))["activity_ids"][0]
    await add_zone(client, alice)  # the owner still sees everything
    mine = await browser_of(alice)
    page = await mine.get(f"/activities/{activity_id}")
    assert page.status_code == 200, page.text
    [segment] = track_of(page.text)
    assert len(segment) == 601
    assert segment[0] == [45.0, 14.0]
    assert page.text.count('<figure class="chart" ') == 3  # elevation, pace, heart rate
    assert "Splits per kilometre" in page.text
    assert page.text.count("<tr>") - 1 == 2  # 1 km and the last 0.8 km (the header row aside)
    assert "1.80" in page.text  # km
    assert 'name="title"' in page.text
    assert "Download GPX" in page.text
    assert "Download the original file" in page.text
    gpx = await mine.get(f"/activities/{activity_id}/export.gpx")
    assert gpx.status_code == 200
    assert gpx.headers["content-type"].startswith("application/gpx+xml")
    assert gpx.content.count(b"<trkpt") == 601
    original = await mine.get(f"/activities/{activity_id}/original")
    assert original.status_code == 200
    assert original.content.startswith(b"<?xml")


async def test_others_see_the_trimmed_track_and_hidden_ones_a_readable_404(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person, browser_of: Any
) -> None:
    public = (await imported(client, bus, alice, "everyone"))["activity_ids"][0]
    await add_zone(client, alice)
    for viewer in (await browser_of(bob), await browser_of(None)):
        page = await viewer.get(f"/activities/{public}")
        assert page.status_code == 200
        points = [point for segment in track_of(page.text) for point in segment]
        assert 495 <= len(points) <= 506
        assert not any(zones.distance_m(lat, lon, HOME_CIRCLE) <= HOME_CIRCLE.radius_m for lat, lon in points)
        assert 'name="title"' not in page.text
        assert "Download the original file" not in page.text
        gpx = await viewer.get(f"/activities/{public}/export.gpx")
        assert gpx.content.count(b"<trkpt") == len(points)
        assert (await viewer.get(f"/activities/{public}/original")).status_code == 404

    await client.patch(f"/api/v1/activities/{public}", json={"visibility": "only_me"}, headers=alice.headers)
    stranger = await browser_of(bob)
    for path in (f"/activities/{public}", f"/activities/{uuid.uuid4()}", f"/activities/{public}/export.gpx"):
        missing = await stranger.get(path)
        assert missing.status_code == 404
        assert "Activity not found" in missing.text


async def test_the_owner_edits_with_htmx_or_a_plain_form_and_others_cannot(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person, browser_of: Any
) -> None:
    activity_id = (await imported(client, bus, alice, "everyone"))["activity_ids"][0]
    mine = await browser_of(alice)
    token = token_of((await mine.get(f"/activities/{activity_id}")).text)
    form = {"title": "Lakeside tempo", "description": "Windy", "sport": "run", "visibility": "followers"}
    edited = await mine.post(
        f"/activities/{activity_id}", data={**form, "csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert edited.status_code == 200, edited.text
    assert edited.text.lstrip().startswith('<section id="activity-head"')
    assert "Lakeside tempo" in edited.text
    assert "HX-Refresh" not in edited.headers
    api = (await client.get(f"/api/v1/activities/{activity_id}", headers=alice.headers)).json()
    assert (api["title"], api["description"], api["visibility"]) == ("Lakeside tempo", "Windy", "followers")

    bad = await mine.post(
        f"/activities/{activity_id}",
        data={**form, "title": " ", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 200  # htmx swaps only successful answers
    assert '<p class="field-error" id="f-title-error">Please fill this in.</p>' in bad.text
    assert '<details class="activity-edit" open>' in bad.text
    assert 'value="Windy"' not in bad.text  # a textarea keeps it as its text
    assert ">Windy</textarea>" in bad.text
    plain_bad = await mine.post(f"/activities/{activity_id}", data={**form, "title": "", "csrf_token": token})
    assert plain_bad.status_code == 422
    assert plain_bad.text.startswith("<!doctype html>")
    assert 'id="f-title-error"' in plain_bad.text
    bad_date = await mine.post(
        f"/activities/{activity_id}",
        data={**form, "date": "2026-02-30", "time": "07:00", "csrf_token": token},
    )
    assert bad_date.status_code == 422
    assert '<p class="field-error" id="f-date-error">Enter a date such as 2025-05-31.</p>' in bad_date.text
    assert 'value="2026-02-30"' in bad_date.text
    wrong_sport = await mine.post(
        f"/activities/{activity_id}", data={**form, "sport": "quidditch", "csrf_token": token}
    )
    assert wrong_sport.status_code == 422

    plain = await mine.post(
        f"/activities/{activity_id}",
        data={**form, "sport": "hike", "csrf_token": token},
        follow_redirects=False,
    )
    assert (plain.status_code, plain.headers["location"]) == (303, f"/activities/{activity_id}")
    assert (await client.get(f"/api/v1/activities/{activity_id}", headers=alice.headers)).json()[
        "sport"
    ] == "hike"
    refreshed = await mine.post(
        f"/activities/{activity_id}",
        data={**form, "sport": "ride", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert refreshed.headers["HX-Refresh"] == "true"

    unsigned = await mine.post(f"/activities/{activity_id}", data=form)
    assert unsigned.status_code == 403
    theirs = await browser_of(bob)
    other_token = token_of((await theirs.get("/activities")).text)
    refused = await theirs.post(
        f"/activities/{activity_id}", data={**form, "title": "Mine", "csrf_token": other_token}
    )
    assert refused.status_code == 404
    gone = await theirs.post(f"/activities/{activity_id}/delete", data={"csrf_token": other_token})
    assert gone.status_code == 404
    assert (await client.get(f"/api/v1/activities/{activity_id}", headers=alice.headers)).json()[
        "title"
    ] == "Lakeside tempo"

    deleted = await mine.post(
        f"/activities/{activity_id}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert (deleted.status_code, deleted.headers["location"]) == (303, "/activities?done=deleted")
    assert "The activity was deleted." in (await mine.get(deleted.headers["location"])).text
    assert (await mine.get(f"/activities/{activity_id}")).status_code == 404


async def test_the_list_pages_with_cursors(client: httpx.AsyncClient, alice: Person, browser_of: Any) -> None:
    for day in range(23):
        await create(
            client, alice, title=f"Run {day:02d}", start_time=(START + timedelta(days=day)).isoformat()
        )
    assert (await (await browser_of(None)).get("/activities", follow_redirects=False)).headers[
        "location"
    ] == "/signin"
    mine = await browser_of(alice)
    first = await mine.get("/activities")
    titles = re.findall(r'class="activity-link" href="/activities/[0-9a-f-]+">([^<]+)</a>', first.text)
    assert titles == [f"Run {day:02d}" for day in range(22, 2, -1)]
    older = re.search(r'href="(/activities\?cursor=[^"]+)" rel="next"', first.text)
    assert older is not None
    second = await mine.get(html.unescape(older.group(1)))
    titles = re.findall(r'class="activity-link" href="/activities/[0-9a-f-]+">([^<]+)</a>', second.text)
    assert titles == ["Run 02", "Run 01", "Run 00"]
    assert 'rel="next"' not in second.text
    spoilt = await mine.get("/activities?cursor=nonsense", follow_redirects=False)
    assert (spoilt.status_code, spoilt.headers["location"]) == (303, "/activities")


async def test_miles_for_imperial_units_and_the_page_in_german_and_russian(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, browser_of: Any
) -> None:
    activity_id = (await imported(client, bus, alice, "everyone"))["activity_ids"][0]
    await client.patch("/api/v1/me/profile", json={"units": "imperial"}, headers=alice.headers)
    mine = await browser_of(alice)
    page = await mine.get(f"/activities/{activity_id}")
    assert "Splits per mile" in page.text
    assert "1.12" in page.text  # 1.8 km in miles
    # The owner's pages speak their profile's language; a visitor's, their browser's.
    await client.patch("/api/v1/me/profile", json={"language": "de"}, headers=alice.headers)
    german = await mine.get(f"/activities/{activity_id}", headers={"Accept-Language": "en"})
    assert "Zwischenzeiten pro Meile" in german.text
    assert "1,12" in german.text
    russian = await (await browser_of(None)).get(
        f"/activities/{activity_id}", headers={"Accept-Language": "ru"}
    )
    assert "Отрезки по километрам" in russian.text
    assert "1,80" in russian.text


async def test_a_device_ride_shows_speed_laps_power_and_device_beside_computed_totals(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, browser_of: Any, shared_tracks: Path
) -> None:
    ride = (shared_tracks / "fit" / "Edge810-Vector-2013-08-16-15-35-10.fit").read_bytes()
    status = await upload_and_process(client, bus, alice, ride, "edge810.fit")
    assert status["status"] == "done", status
    page = await (await browser_of(alice)).get(f"/activities/{status['activity_ids'][0]}")
    assert page.status_code == 200
    text = page.text
    charts = re.findall(r"<figcaption>([^<]+) <small>", text)
    assert charts == ["Elevation", "Speed", "Heart rate", "Power", "Cadence"]
    assert "Device and computed totals" in text
    assert text.count('<table class="activity-table compared">') == 1
    assert "Laps" in text
    assert "Best 5 min power" in text
    assert "km/h" in text
    assert len(track_of(text)[0]) > 1000


async def test_the_owner_merges_two_recordings_of_one_workout_from_the_page(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person, browser_of: Any
) -> None:
    phone, watch, _ = await two_recordings(client, bus, alice)
    mine = await browser_of(alice)
    page = (await mine.get(f"/activities/{phone}")).text
    assert f'<input type="hidden" name="other_id" value="{watch}">' in page
    token = token_of(page)

    refused = await mine.post(
        f"/activities/{phone}/merge", data={"other_id": "not-an-id", "csrf_token": token}
    )
    assert refused.status_code == 422
    assert "These activities could not be merged." in refused.text
    others = await browser_of(bob)
    assert "other_id" not in (await others.get(f"/activities/{phone}")).text
    theirs = await others.post(
        f"/activities/{phone}/merge",
        data={"other_id": watch, "csrf_token": token_of((await others.get("/activities")).text)},
    )
    assert theirs.status_code == 404

    merged = await mine.post(f"/activities/{phone}/merge", data={"other_id": watch, "csrf_token": token})
    assert (merged.status_code, merged.headers["location"]) == (303, f"/activities/{phone}?done=merged")
    assert "the other one is gone" in (await mine.get(merged.headers["location"])).text
    assert (await client.get(f"/api/v1/activities/{watch}", headers=alice.headers)).status_code == 404
    kept = (await client.get(f"/api/v1/activities/{phone}", headers=alice.headers)).json()
    assert kept["avg_heart_rate"] is not None
    assert "other_id" not in (await mine.get(f"/activities/{phone}")).text


def chart_series_of(page: str) -> dict[str, Any]:
    found = re.search(r'data-series="([^"]*)"', page)
    assert found is not None, "no charts on the page"
    document: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return document


async def test_a_ride_with_power_charts_power_and_cadence_and_leaves_gps_jumps_out_of_speed(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, browser_of: Any
) -> None:
    status = await upload_and_process(client, bus, alice, fit_workout([ride_with_power()]), "ride.fit")
    assert status["status"] == "done", status
    page = (await (await browser_of(alice)).get(f"/activities/{status['activity_ids'][0]}")).text
    assert re.findall(r"<figcaption>([^<]+) <small>", page) == ["Speed", "Heart rate", "Power", "Cadence"]
    document = chart_series_of(page)
    assert document["x_kind"] == "distance"
    assert len(document["x"]) == len(document["lat"]) == len(document["charts"][0]["values"])
    speed, _, power, cadence = (chart["values"] for chart in document["charts"])
    assert max(v for v in speed if v is not None) < 35  # km/h: the one-second jump is left out
    assert 165 < min(v for v in power if v is not None) < max(v for v in power if v is not None) < 255
    assert min(v for v in cadence if v is not None) > 80


async def test_a_swim_reads_pace_per_100_m_and_leaves_out_elevation(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, browser_of: Any
) -> None:
    time, lat, lon = line_track([1.25] * 900)  # 1:20 per 100 m
    swim = FitLeg("swim", time.tolist(), lat.tolist(), lon.tolist(), heart_rate=[130.0] * len(time))
    status = await upload_and_process(client, bus, alice, fit_workout([swim]), "swim.fit")
    assert status["status"] == "done", status
    page = (await (await browser_of(alice)).get(f"/activities/{status['activity_ids'][0]}")).text
    assert re.findall(r"<figcaption>([^<]+) <small>", page) == ["Pace", "Heart rate"]
    assert "(/100 m)" in page
    assert "1:20 <small>/100 m</small>" in page
    assert "Splits per kilometre" not in page
    [pace, _] = chart_series_of(page)["charts"]
    assert pace["kind"] == "duration"
    assert pace["invert"]
    assert 78 < min(v for v in pace["values"] if v is not None) <= max(v for v in pace["values"] if v) < 82


LEG_ROW = re.compile(r'<tr class="leg-[^"]+">\s*<th scope="row">.*?</span>([^<]+)</th>(.*?)</tr>', re.S)


def legs_of(page: str) -> list[list[str]]:
    """The legs table's rows: the leg's name, then its cells as text."""
    return [
        [name, *(re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", cells, re.S))]
        for name, cells in LEG_ROW.findall(page)
    ]


async def test_a_triathlon_shows_its_legs_with_pace_or_speed_as_each_sport_reads(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, browser_of: Any
) -> None:
    status = await upload_and_process(client, bus, alice, triathlon_fit(), "triathlon.fit")
    assert status["status"] == "done", status
    mine = await browser_of(alice)
    page = (await mine.get(f"/activities/{status['activity_ids'][0]}")).text
    assert "Legs" in page
    rows = legs_of(page)
    assert [row[0] for row in rows] == ["Pool swim", "Transition", "Ride", "Transition", "Run"]
    swim, first_transition, ride, _, run = rows
    assert swim[1:4] == ["0.75", "9:59", "1:20 /100 m"]
    assert first_transition[3] == "–"  # a transition has no pace
    assert (ride[1], ride[3]) == ("9.59", "28.8 km/h")
    assert run[3] == "5:20 /km"
    assert "Splits per kilometre" not in page

    german_profile = await client.patch("/api/v1/me/profile", json={"language": "de"}, headers=alice.headers)
    assert german_profile.status_code == 200
    german = (await mine.get(f"/activities/{status['activity_ids'][0]}")).text
    assert [row[0] for row in legs_of(german)] == [
        "Schwimmen im Becken",
        "Wechsel",
        "Radfahrt",
        "Wechsel",
        "Lauf",
    ]


async def test_a_single_sport_activity_has_no_legs_table(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, browser_of: Any
) -> None:
    status = await upload_and_process(client, bus, alice, fit_workout([ride_with_power()]), "ride.fit")
    page = (await (await browser_of(alice)).get(f"/activities/{status['activity_ids'][0]}")).text
    assert 'class="activity-table legs"' not in page


async def test_the_owner_moves_the_start_on_the_clock_it_is_shown_on(
    client: httpx.AsyncClient, alice: Person, browser_of: Any
) -> None:
    profile = await client.patch(
        "/api/v1/me/profile", json={"time_zone": "Asia/Tokyo"}, headers=alice.headers
    )
    assert profile.status_code == 200
    activity = await create(client, alice, title="Evening swim", start_time="2026-05-03T21:30:15+09:00")
    mine = await browser_of(alice)
    page = await mine.get(f"/activities/{activity['id']}")
    assert 'name="date" type="date" value="2026-05-03"' in page.text
    assert 'name="time" type="time" value="21:30"' in page.text
    token = token_of(page.text)
    form = {"title": "Evening swim", "description": "", "sport": "run", "visibility": "everyone"}
    unchanged = await mine.post(
        f"/activities/{activity['id']}",
        data={**form, "date": "2026-05-03", "time": "21:30", "csrf_token": token},
    )
    assert unchanged.status_code == 303
    api = (await client.get(f"/api/v1/activities/{activity['id']}", headers=alice.headers)).json()
    assert api["start_time"].startswith("2026-05-03T12:30:15")  # its seconds kept
    moved = await mine.post(
        f"/activities/{activity['id']}",
        data={**form, "date": "2026-05-04", "time": "06:05", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert moved.status_code == 200
    assert moved.headers["HX-Refresh"] == "true"
    api = (await client.get(f"/api/v1/activities/{activity['id']}", headers=alice.headers)).json()
    assert api["start_time"].startswith("2026-05-03T21:05:00")  # 06:05 in Tokyo
