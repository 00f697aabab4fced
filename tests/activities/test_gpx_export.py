"""``GET /activities/{id}/gpx``: a GPX 1.1 export that our own importer (and others) read back."""

from __future__ import annotations

import httpx
import numpy as np
import pytest
from defusedxml import ElementTree

from athlos.activities.gpx_export import GPX_NS, activity_gpx, gpx_time, segments
from athlos.activities.importers.detect import parse_bytes
from athlos.activities.metrics import summarize
from athlos.activities.streams import Streams
from athlos.core.events.embedded import EmbeddedBus
from tests.activities.conftest import Person
from tests.activities.test_api_activities import create
from tests.activities.test_api_privacy import imported
from tests.activities.tracks import T0, line_track
from tests.activities.uploads.test_api import run_gpx

NS = {"g": GPX_NS}


async def test_export_reads_back_as_the_same_activity(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    activity_id = (await imported(client, bus, alice, "everyone"))["activity_ids"][0]
    await client.patch(
        f"/api/v1/activities/{activity_id}",
        json={"title": "Tempo <run> & more", "description": "Windy"},
        headers=alice.headers,
    )
    response = await client.get(f"/api/v1/activities/{activity_id}/gpx", headers=alice.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/gpx+xml")
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"Tempo -run- _ more.gpx\"; filename*=UTF-8''Tempo%20-run-%20%26%20more.gpx"
    )
    root = ElementTree.fromstring(response.content)
    assert root.get("version") == "1.1"
    assert root.findtext("g:trk/g:name", namespaces=NS) == "Tempo <run> & more"
    assert root.findtext("g:trk/g:desc", namespaces=NS) == "Windy"
    assert len(root.findall("g:trk/g:trkseg/g:trkpt", NS)) == 601

    [again] = parse_bytes(response.content, "export.gpx").activities
    [original] = parse_bytes(run_gpx(), "run.gpx").activities
    assert again.sport == "run"
    assert again.name == "Tempo <run> & more"
    assert len(again.streams) == len(original.streams)
    np.testing.assert_allclose(again.streams.time, original.streams.time)
    np.testing.assert_allclose(again.streams.lat, original.streams.lat, atol=1e-7)
    np.testing.assert_allclose(again.streams.altitude, original.streams.altitude, atol=0.06)
    np.testing.assert_array_equal(again.streams.heart_rate, original.streams.heart_rate)
    exported, imported_first = summarize(again), summarize(original)
    for key in ("distance_m", "moving_time_s", "elapsed_time_s", "avg_heart_rate"):
        assert exported[key] == pytest.approx(imported_first[key], rel=0.001), key


def test_heart_rate_cadence_power_and_gaps() -> None:
    time, lat, lon = line_track([3.0] * 9)
    lat[4:6] = np.nan  # two samples without a position split the track
    streams = Streams.from_columns(
        time + 0.25,
        {
            "lat": lat,
            "lon": lon,
            "heart_rate": np.full(10, 141.0),
            "cadence": np.full(10, 88.0),
            "power": np.full(10, 250.0),
        },
    )
    assert segments(streams) == [(0, 4), (6, 10)]
    document = activity_gpx(title="Ride", description="", sport="ride", start_time=T0, streams=streams)
    root = ElementTree.fromstring(document)
    assert [len(seg.findall("g:trkpt", NS)) for seg in root.findall("g:trk/g:trkseg", NS)] == [4, 4]
    first = root.find("g:trk/g:trkseg/g:trkpt", NS)
    assert first is not None
    assert first.findtext("g:time", namespaces=NS) == gpx_time(T0 + 0.25) == "2024-05-04T07:30:00.250Z"
    assert root.find("g:trk/g:desc", NS) is None
    [back] = parse_bytes(document, "ride.gpx").activities
    assert back.sport == "ride"
    assert set(back.streams.heart_rate.tolist()) == {141.0}
    assert set(back.streams.cadence.tolist()) == {88.0}
    assert set(back.streams.power.tolist()) == {250.0}


async def test_public_export_for_anyone_hidden_for_nobody_else_and_none_without_a_track(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    public = (await imported(client, bus, alice, "everyone"))["activity_ids"][0]
    for headers in (bob.headers, {}):
        shown = await client.get(f"/api/v1/activities/{public}/gpx", headers=headers)
        assert shown.status_code == 200
        assert shown.content.count(b"<trkpt") == 601
    await client.patch(f"/api/v1/activities/{public}", json={"visibility": "only_me"}, headers=alice.headers)
    for headers in (bob.headers, {}):
        hidden = await client.get(f"/api/v1/activities/{public}/gpx", headers=headers)
        assert (hidden.status_code, hidden.json()["code"]) == (404, "activity_not_found")
    manual = await create(client, alice)
    trackless = await client.get(f"/api/v1/activities/{manual['id']}/gpx", headers=alice.headers)
    assert (trackless.status_code, trackless.json()["code"]) == (404, "track_not_found")
