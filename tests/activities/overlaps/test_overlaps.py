"""Overlapping activities: flagged on upload, listed for their owner, and merged into one."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import numpy as np
import pytest
from sqlalchemy import select

from athlos.activities.overlaps.service import fill_channel, merge_streams
from athlos.activities.streams import Streams
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.core.events.models import OutboxRow
from tests.activities.conftest import Person
from tests.activities.tracks import TRIATHLON, gpx_document, line_track, triathlon_fit
from tests.activities.uploads.test_api import upload_and_process


def phone_gpx(offset: float = 0.0) -> bytes:
    """Dense positions every second, no heart rate."""
    time, lat, lon = line_track([3.0] * 1200)
    return gpx_document(time + offset, lat, lon, altitude=np.full(time.shape, 200.0), name="Phone run")


def watch_gpx(offset: float = 0.0) -> bytes:
    """Sparse positions every 10 s with heart rate, started a little later, stopped a little earlier."""
    time, lat, lon = line_track([3.0] * 110, step_s=10.0, lon0=14.0001)
    hr = 140.0 + (np.arange(time.shape[0]) % 20)
    return gpx_document(time + 15 + offset, lat, lon, heart_rate=hr, name="Watch run")


async def two_recordings(
    client: httpx.AsyncClient, bus: EmbeddedBus, person: Person
) -> tuple[str, str, dict[str, Any]]:
    phone = await upload_and_process(client, bus, person, phone_gpx(), "phone.gpx")
    watch = await upload_and_process(client, bus, person, watch_gpx(), "watch.gpx")
    return phone["activity_ids"][0], watch["activity_ids"][0], watch


async def test_upload_warns_and_both_list_each_other(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    phone, watch, status = await two_recordings(client, bus, alice)
    assert status["status"] == "done"
    assert any(phone in w and "'Phone run'" in w for w in status["warnings"]), status["warnings"]
    listed = (await client.get(f"/api/v1/activities/{watch}/overlaps", headers=alice.headers)).json()
    [found] = listed["items"]
    assert found["activity"]["id"] == phone
    assert found["shared_s"] == pytest.approx(1100, abs=2)
    back = (await client.get(f"/api/v1/activities/{phone}/overlaps", headers=alice.headers)).json()
    assert [item["activity"]["id"] for item in back["items"]] == [watch]

    later = await upload_and_process(client, bus, alice, phone_gpx(offset=7200), "later.gpx")
    assert not any("overlaps" in w for w in later["warnings"])
    alone = await client.get(f"/api/v1/activities/{later['activity_ids'][0]}/overlaps", headers=alice.headers)
    assert alone.json() == {"items": []}


async def test_merge_keeps_the_richer_track_and_fills_heart_rate(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, db: Database
) -> None:
    phone, watch, _ = await two_recordings(client, bus, alice)
    before = (await client.get(f"/api/v1/activities/{watch}", headers=alice.headers)).json()
    # Merging into the watch's activity: the phone's denser GPS track wins, the watch's heart rate stays.
    response = await client.post(
        f"/api/v1/activities/{watch}/merge", json={"other_id": phone}, headers=alice.headers
    )
    assert response.status_code == 200, response.text
    merged = response.json()
    assert merged["id"] == watch
    assert merged["title"] == "Watch run"
    assert merged["source"] == "merged"
    assert merged["start_time"].startswith("2024-05-04T07:30:00")
    assert merged["elapsed_time_s"] == pytest.approx(1200, abs=1)
    assert merged["distance_m"] == pytest.approx(3600, rel=0.02)
    assert 140 <= merged["avg_heart_rate"] <= 159
    assert merged["max_heart_rate"] == 159
    assert before["distance_m"] < merged["distance_m"]
    assert any(phone in w and "track is the one of that activity" in w for w in merged["warnings"])
    assert (await client.get(f"/api/v1/activities/{phone}", headers=alice.headers)).status_code == 404
    original = await client.get(f"/api/v1/activities/{watch}/original", headers=alice.headers)
    assert original.content == watch_gpx()
    async with db.unit_of_work() as session:
        rows = await session.execute(
            select(OutboxRow.type, OutboxRow.key)
            .where(OutboxRow.key.in_([phone, watch]))
            .order_by(OutboxRow.id)
        )
        events = [tuple(row) for row in rows]
    assert ("activity.deleted", phone) in events
    assert events[-1] == ("activity.updated", watch)
    listed = (await client.get(f"/api/v1/activities/{watch}/overlaps", headers=alice.headers)).json()
    assert listed == {"items": []}


async def test_only_the_owner_sees_and_merges_overlaps(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    phone, watch, _ = await two_recordings(client, bus, alice)
    assert (await client.get(f"/api/v1/activities/{watch}/overlaps", headers=bob.headers)).status_code == 404
    theirs = await client.post(
        f"/api/v1/activities/{watch}/merge", json={"other_id": phone}, headers=bob.headers
    )
    assert (theirs.status_code, theirs.json()["code"]) == (404, "activity_not_found")
    bobs = await upload_and_process(client, bus, bob, phone_gpx(), "phone.gpx")
    mixed = await client.post(
        f"/api/v1/activities/{watch}/merge", json={"other_id": bobs["activity_ids"][0]}, headers=alice.headers
    )
    assert mixed.status_code == 404
    anonymous = await client.get(f"/api/v1/activities/{watch}/overlaps")
    assert anonymous.status_code == 401
    assert (await client.get(f"/api/v1/activities/{watch}", headers=alice.headers)).status_code == 200


async def test_merge_refuses_itself_and_activities_apart(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    phone, _, _ = await two_recordings(client, bus, alice)
    later = (await upload_and_process(client, bus, alice, phone_gpx(offset=7200), "later.gpx"))[
        "activity_ids"
    ][0]
    cases = {phone: "merge_same_activity", later: "activities_do_not_overlap"}
    for other, code in cases.items():
        response = await client.post(
            f"/api/v1/activities/{phone}/merge", json={"other_id": other}, headers=alice.headers
        )
        assert (response.status_code, response.json()["code"]) == (422, code)
    unknown = await client.post(
        f"/api/v1/activities/{phone}/merge", json={"other_id": str(uuid.uuid4())}, headers=alice.headers
    )
    assert unknown.status_code == 404
    bad = await client.post(f"/api/v1/activities/{phone}/merge", json={"other": phone}, headers=alice.headers)
    assert bad.status_code == 422


def test_channels_are_filled_by_time_only_where_the_other_recorded() -> None:
    time = np.arange(0.0, 60.0)
    values = np.full(60, np.nan)
    other_time = np.array([10.0, 20.0, 30.0, 50.0])
    other = np.array([100.0, 110.0, 120.0, 130.0])
    filled = fill_channel(time, values, other_time, other)
    assert np.isnan(filled[:10]).all()  # before the other recording
    assert filled[15] == pytest.approx(105.0)
    assert np.isnan(filled[40])  # a 20 s gap in the other recording is not bridged
    assert filled[50] == 130.0
    assert np.isnan(filled[55])
    base = Streams.from_columns(time, {"lat": np.full(60, 45.0), "lon": np.full(60, 14.0)})
    extra = Streams.from_columns(
        other_time, {"heart_rate": other, "lat": np.full(4, 46.0), "lon": np.full(4, 15.0)}
    )
    merged = merge_streams(base, extra)
    assert (merged.lat == 45.0).all()
    assert merged.heart_rate[20] == 110.0
    assert merge_streams(Streams.empty(), extra) is extra


async def test_merging_a_recording_into_an_activity_typed_in_keeps_its_file(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    typed = await client.post(
        "/api/v1/activities",
        json={
            "sport": "run",
            "start_time": "2024-05-04T07:29:00Z",
            "duration_s": 1300,
            "distance_m": 3500,
            "title": "Saturday long run",
        },
        headers=alice.headers,
    )
    assert typed.status_code == 201, typed.text
    recorded = await upload_and_process(client, bus, alice, phone_gpx(), "phone.gpx")
    assert any(typed.json()["id"] in w for w in recorded["warnings"])
    response = await client.post(
        f"/api/v1/activities/{typed.json()['id']}/merge",
        json={"other_id": recorded["activity_ids"][0]},
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    merged = response.json()
    assert (merged["title"], merged["manual"], merged["has_original"]) == ("Saturday long run", False, True)
    assert merged["distance_m"] == pytest.approx(3600, rel=0.02)
    assert merged["start_time"].startswith("2024-05-04T07:30:00")
    await bus.drain()  # the deleted activity's handler leaves the file the merged one now refers to
    original = await client.get(f"/api/v1/activities/{merged['id']}/original", headers=alice.headers)
    assert (original.status_code, original.content) == (200, phone_gpx())


async def test_a_triathlon_keeps_its_legs_through_a_merge(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    triathlon = (await upload_and_process(client, bus, alice, triathlon_fit(), "triathlon.fit"))[
        "activity_ids"
    ][0]
    # A chest strap's recording of most of it: heart rate every 5 s, positions on the same line.
    time, lat, lon = line_track([speed for _, speed, seconds in TRIATHLON for _ in range(seconds)])
    every = slice(60, 2700, 5)
    strap = gpx_document(time[every], lat[every], lon[every], heart_rate=[150.0] * len(time[every]))
    other = (await upload_and_process(client, bus, alice, strap, "strap.gpx"))["activity_ids"][0]
    before = (await client.get(f"/api/v1/activities/{triathlon}", headers=alice.headers)).json()

    merged = await client.post(
        f"/api/v1/activities/{triathlon}/merge", json={"other_id": other}, headers=alice.headers
    )
    assert merged.status_code == 200, merged.text
    after = merged.json()
    assert after["avg_heart_rate"] == pytest.approx(150, abs=1)  # filled from the strap
    assert [leg["sport"] for leg in after["legs"]] == [leg["sport"] for leg in before["legs"]]
    assert [leg["first_sample"] for leg in after["legs"]] == [leg["first_sample"] for leg in before["legs"]]
    for key in ("distance_m", "moving_time_s"):
        assert after[key] == pytest.approx(sum(leg[key] for leg in after["legs"]), abs=0.2), key
    read = (await client.get(f"/api/v1/activities/{triathlon}", headers=alice.headers)).json()
    assert read["legs"] == after["legs"]
