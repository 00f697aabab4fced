"""``GET /activities/{id}/streams``: every channel per sample, thinned to a resolution, through the one
visibility check."""

from __future__ import annotations

import math

import httpx
import numpy as np
import pytest

from athlos.activities.series import sample_indices
from athlos.core.events.embedded import EmbeddedBus
from tests.activities.conftest import Person
from tests.activities.test_api_activities import create
from tests.activities.test_api_privacy import imported
from tests.activities.uploads.test_api import run_gpx


async def test_streams_hold_every_channel_of_the_track(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    activity_id = (await imported(client, bus, alice, "everyone"))["activity_ids"][0]
    response = await client.get(f"/api/v1/activities/{activity_id}/streams", headers=alice.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["activity_id"], body["points"], body["resolution"]) == (activity_id, 601, 601)
    for channel in ("time", "distance", "lat", "lon", "altitude", "heart_rate", "speed", "pace"):
        assert len(body[channel]) == 601, channel
    assert body["cadence"] is None
    assert body["power"] is None
    assert (body["time"][0], body["time"][-1]) == (0, 600)
    # 600 s northwards at 3 m/s from 45° N 14° E: 1.8 km at a pace of 333 s/km, heart rate 150.
    assert body["distance"][-1] == pytest.approx(1800, rel=0.01)
    assert body["pace"][300] == pytest.approx(1000 / 3, rel=0.02)
    assert body["speed"][300] == pytest.approx(3, rel=0.02)
    assert set(body["heart_rate"]) == {150}
    assert (body["lat"][0], body["lon"][0]) == (45.0, 14.0)
    assert body["lat"][-1] > body["lat"][0]
    assert all(isinstance(value, float) for value in body["altitude"])


async def test_resolution_thins_evenly_and_keeps_both_ends(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    activity_id = (await imported(client, bus, alice, "everyone"))["activity_ids"][0]
    url = f"/api/v1/activities/{activity_id}/streams"
    full = (await client.get(url, headers=alice.headers)).json()
    thin = (await client.get(url, params={"resolution": 50}, headers=alice.headers)).json()
    assert (thin["points"], thin["resolution"]) == (601, 50)
    assert all(len(thin[channel]) == 50 for channel in ("time", "distance", "lat", "heart_rate"))
    assert (thin["time"][0], thin["time"][-1]) == (0, 600)
    assert thin["distance"][-1] == full["distance"][-1]
    assert thin["time"] == sorted(thin["time"])
    for bad in (1, 0, -5, 10_001, "many"):
        refused = await client.get(url, params={"resolution": bad}, headers=alice.headers)
        assert refused.status_code == 422, bad


def test_sample_indices() -> None:
    assert sample_indices(5, 10).tolist() == [0, 1, 2, 3, 4]
    picked = sample_indices(10_001, 100)
    assert (picked[0], picked[-1], picked.shape[0]) == (0, 10_000, 100)
    assert np.all(np.diff(picked) > 0)
    assert sample_indices(0, 10).tolist() == []


async def test_a_manual_activity_has_empty_streams(client: httpx.AsyncClient, alice: Person) -> None:
    activity = await create(client, alice)
    body = (await client.get(f"/api/v1/activities/{activity['id']}/streams", headers=alice.headers)).json()
    assert (body["points"], body["resolution"], body["time"]) == (0, 0, [])
    assert body["lat"] is None
    assert body["heart_rate"] is None


async def test_public_streams_are_seen_by_anyone_but_hidden_ones_by_nobody_else(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    public = (await imported(client, bus, alice, "everyone"))["activity_ids"][0]
    for headers in (bob.headers, {}):
        shown = await client.get(f"/api/v1/activities/{public}/streams", headers=headers)
        assert shown.status_code == 200
        assert math.isclose(shown.json()["distance"][-1], 1800, rel_tol=0.01)
    for visibility in ("followers", "only_me"):
        # Another file each time (the same file twice is a duplicate): the run starts further north.
        other_run = run_gpx(lat0=45.0 + len(visibility) / 1000)
        hidden = (await imported(client, bus, alice, visibility, other_run))["activity_ids"][0]
        for headers in (bob.headers, {}):
            refused = await client.get(f"/api/v1/activities/{hidden}/streams", headers=headers)
            assert (refused.status_code, refused.json()["code"]) == (404, "activity_not_found")
        assert (await client.get(f"/api/v1/activities/{hidden}/streams", headers=alice.headers)).is_success
