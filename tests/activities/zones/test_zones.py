"""Privacy zones: the owner's circles, and the positions inside them hidden from everyone else through
every endpoint that returns activity data, while times and distances stay."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import numpy as np
import pytest
from defusedxml import ElementTree

from athlos.accounts.data_rights.service import load_holders
from athlos.activities.access import position_filter, viewable_streams
from athlos.activities.gpx_export import GPX_NS
from athlos.activities.models import Activity
from athlos.activities.streams import Streams
from athlos.activities.zones import service as zones
from athlos.core import data_rights
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from tests.activities.conftest import Person
from tests.activities.test_api_privacy import imported

HOME = {"name": "Home", "lat": 45.0, "lon": 14.0, "radius_m": 300}
ZONES = "/api/v1/me/privacy-zones"


async def add_zone(client: httpx.AsyncClient, person: Person, **changes: Any) -> dict[str, Any]:
    response = await client.post(ZONES, json={**HOME, **changes}, headers=person.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_zones_are_created_listed_changed_and_deleted_by_their_owner_only(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    home = await add_zone(client, alice)
    work = await add_zone(client, alice, name="Work", lat=45.1, lon=14.1, radius_m=2000)
    assert (home["name"], home["lat"], home["lon"], home["radius_m"]) == ("Home", 45.0, 14.0, 300)
    listed = (await client.get(ZONES, headers=alice.headers)).json()
    assert [zone["id"] for zone in listed] == [home["id"], work["id"]]
    assert (await client.get(ZONES, headers=bob.headers)).json() == []
    changed = await client.patch(f"{ZONES}/{home['id']}", json={"radius_m": 500}, headers=alice.headers)
    assert (changed.status_code, changed.json()["radius_m"], changed.json()["name"]) == (200, 500, "Home")
    for response in (
        await client.patch(f"{ZONES}/{home['id']}", json={"radius_m": 800}, headers=bob.headers),
        await client.delete(f"{ZONES}/{home['id']}", headers=bob.headers),
        await client.delete(f"{ZONES}/{uuid.uuid4()}", headers=alice.headers),
    ):
        assert (response.status_code, response.json()["code"]) == (404, "privacy_zone_not_found")
    assert (await client.delete(f"{ZONES}/{work['id']}", headers=alice.headers)).status_code == 204
    listed = (await client.get(ZONES, headers=alice.headers)).json()
    assert [(zone["id"], zone["radius_m"]) for zone in listed] == [(home["id"], 500)]
    assert (await client.get(ZONES)).status_code == 401
    assert (await client.post(ZONES, json=HOME)).status_code == 401


@pytest.mark.parametrize(
    "changes",
    [
        {"radius_m": 99},
        {"radius_m": 2001},
        {"lat": 90.5},
        {"lon": -181},
        {"name": ""},
        {"name": "x" * 101},
        {"name": "nul\u0000"},
        {"colour": "red"},
    ],
)
async def test_bad_zones_are_refused(
    client: httpx.AsyncClient, alice: Person, changes: dict[str, Any]
) -> None:
    response = await client.post(ZONES, json={**HOME, **changes}, headers=alice.headers)
    assert response.status_code == 422, response.text
    assert (await client.get(ZONES, headers=alice.headers)).json() == []


async def test_at_most_twenty_zones(client: httpx.AsyncClient, alice: Person) -> None:
    for k in range(zones.MAX_ZONES):
        await add_zone(client, alice, name=f"Zone {k}")
    refused = await client.post(ZONES, json=HOME, headers=alice.headers)
    assert (refused.status_code, refused.json()["code"]) == (422, "too_many_privacy_zones")
    assert len((await client.get(ZONES, headers=alice.headers)).json()) == zones.MAX_ZONES


def test_hide_positions_blanks_only_the_points_inside() -> None:
    lat = np.array([45.0, 45.001, 45.002, 45.01, np.nan])
    lon = np.full(5, 14.0)
    streams = Streams.from_columns(np.arange(5.0), {"lat": lat, "lon": lon, "heart_rate": np.full(5, 120.0)})
    circle = zones.Circle(45.0, 14.0, 150)  # 0 m and ~111 m inside, ~222 m and ~1.1 km outside
    shown = zones.hide_positions(streams, (circle,))
    assert np.isnan(shown.lat[:2]).all()
    assert np.isnan(shown.lon[:2]).all()
    np.testing.assert_array_equal(shown.lat[2:4], lat[2:4])
    np.testing.assert_array_equal(shown.heart_rate, streams.heart_rate)
    np.testing.assert_array_equal(shown.time, streams.time)
    assert zones.hide_positions(streams, ()) is streams
    assert np.isfinite(streams.lat[0])  # the original is untouched
    # Across the antimeridian the distance is still small.
    assert zones.inside_any(np.array([0.0]), np.array([179.9995]), (zones.Circle(0.0, -179.9995, 200),))[0]
    assert zones.start_hidden(45.001, 14.0, (circle,))
    assert not zones.start_hidden(45.003, 14.0, (circle,))
    assert not zones.start_hidden(None, None, (circle,))


def positions(values: list[float | None]) -> int:
    return sum(value is not None for value in values)


async def test_others_see_the_track_trimmed_on_every_endpoint_and_the_owner_sees_all(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    activity_id = (await imported(client, bus, alice, "everyone"))["activity_ids"][0]
    await add_zone(client, alice)  # the run starts at the zone's centre and leaves it after ~100 s
    await add_zone(client, alice, name="Far away", lat=-33.9, lon=151.2)

    own = (await client.get(f"/api/v1/activities/{activity_id}", headers=alice.headers)).json()
    own_streams = (
        await client.get(f"/api/v1/activities/{activity_id}/streams", headers=alice.headers)
    ).json()
    own_gpx = (await client.get(f"/api/v1/activities/{activity_id}/gpx", headers=alice.headers)).content
    assert (own["start_lat"], own["start_lon"]) == (45.0, 14.0)
    assert positions(own_streams["lat"]) == 601
    assert own_gpx.count(b"<trkpt") == 601

    for headers in (bob.headers, {}):
        shown = (await client.get(f"/api/v1/activities/{activity_id}", headers=headers)).json()
        assert (shown["start_lat"], shown["start_lon"]) == (None, None)
        assert shown["distance_m"] == own["distance_m"]
        assert shown["moving_time_s"] == own["moving_time_s"]

        streams = (await client.get(f"/api/v1/activities/{activity_id}/streams", headers=headers)).json()
        hidden = [i for i, value in enumerate(streams["lat"]) if value is None]
        assert hidden == list(range(len(hidden)))
        assert 95 <= len(hidden) <= 105, hidden
        assert positions(streams["lon"]) == 601 - len(hidden)
        for key in ("time", "distance", "heart_rate", "altitude", "pace"):
            assert streams[key] == own_streams[key], key
        first_shown = len(hidden)
        assert zones.distance_m(streams["lat"][first_shown], streams["lon"][first_shown], HOME_CIRCLE) > 300

        gpx = (await client.get(f"/api/v1/activities/{activity_id}/gpx", headers=headers)).content
        points = ElementTree.fromstring(gpx).findall(f".//{{{GPX_NS}}}trkpt")
        assert len(points) == 601 - len(hidden)
        lat = np.array([float(p.get("lat")) for p in points])
        lon = np.array([float(p.get("lon")) for p in points])
        assert not zones.inside_any(lat, lon, (HOME_CIRCLE,)).any()

    # Deleting the zone shows everything again.
    for zone in (await client.get(ZONES, headers=alice.headers)).json():
        await client.delete(f"{ZONES}/{zone['id']}", headers=alice.headers)
    again = (await client.get(f"/api/v1/activities/{activity_id}/streams", headers=bob.headers)).json()
    assert positions(again["lat"]) == 601


HOME_CIRCLE = zones.Circle(HOME["lat"], HOME["lon"], HOME["radius_m"])


async def test_followers_are_others_too(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, alice: Person
) -> None:
    """Whoever may see a followers-only activity, only its owner sees positions inside the zones."""
    activity_id = uuid.UUID((await imported(client, bus, alice, "followers"))["activity_ids"][0])
    await add_zone(client, alice)
    async with db.unit_of_work() as session:
        activity = await session.get(Activity, activity_id)
        assert activity is not None
        follower = uuid.uuid4()
        assert (await position_filter(session, follower, activity)).circles == (HOME_CIRCLE,)
        assert (await position_filter(session, alice.id, activity)).circles == ()
        full, shown = await viewable_streams(session, follower, activity)
        assert np.isfinite(full.lat).all()
        assert 95 <= int(np.isnan(shown.lat).sum()) <= 105


async def test_zones_are_exported_and_erased_with_the_persons_data(
    client: httpx.AsyncClient, db: Database, alice: Person, bob: Person, tmp_path: Any
) -> None:
    await add_zone(client, alice)
    await add_zone(client, bob, name="Bob's home")
    load_holders()
    async with db.unit_of_work() as session:
        exported, _ = await data_rights.export_all(session, alice.id, tmp_path)
    assert [zone["name"] for zone in exported["activities"]["privacy_zones"]] == ["Home"]
    async with db.unit_of_work() as session:
        await data_rights.erase_all(session, alice.id, tmp_path)
    async with db.unit_of_work() as session:
        assert await zones.list_zones(session, alice.id) == []
        assert [zone.name for zone in await zones.list_zones(session, bob.id)] == ["Bob's home"]


async def test_the_privacy_zones_page_adds_lists_and_removes_zones(
    client: httpx.AsyncClient, app: Any, alice: Person, bob: Person
) -> None:
    from tests.accounts.test_pages import sign_in
    from tests.activities.test_activity_pages import token_of

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as pages:
        assert (await pages.get("/privacy-zones")).headers["location"] == "/signin"
        assert (await sign_in(pages, alice.email)).status_code == 303
        page = await pages.get("/privacy-zones")
        assert "You have no privacy zones yet." in page.text
        token = token_of(page.text)
        form = {"name": "Home", "lat": "45.0", "lon": "14.0", "radius_m": "400", "csrf_token": token}
        added = await pages.post("/privacy-zones", data=form)
        assert (added.status_code, added.headers["location"]) == (303, "/privacy-zones")
        [zone] = (await client.get(ZONES, headers=alice.headers)).json()
        assert (zone["name"], zone["lat"], zone["lon"], zone["radius_m"]) == ("Home", 45.0, 14.0, 400)
        assert "45.00000, 14.00000 · 400 m" in (await pages.get("/privacy-zones")).text
        for bad in ({"radius_m": "50"}, {"lat": "north"}, {"lon": "nan"}, {"name": " "}):
            refused = await pages.post("/privacy-zones", data={**form, **bad})
            assert refused.status_code == 422, bad
            assert "form-error" in refused.text
        # Another person's zone cannot be removed from here.
        bobs = await add_zone(client, bob)
        await pages.post(f"/privacy-zones/{bobs['id']}/delete", data={"csrf_token": token})
        assert len((await client.get(ZONES, headers=bob.headers)).json()) == 1
        removed = await pages.post(f"/privacy-zones/{zone['id']}/delete", data={"csrf_token": token})
        assert removed.status_code == 303
        assert (await client.get(ZONES, headers=alice.headers)).json() == []
