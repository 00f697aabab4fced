"""Registered devices: a token shown once, good only for uploads and recordings, revoked at once."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import numpy as np
import pytest
from sqlalchemy import select

from athlos.activities.devices.models import Device
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from tests.activities.conftest import Person
from tests.activities.recording.helpers import line_points
from tests.activities.tracks import gpx_document, line_track


def run_gpx() -> bytes:
    time, lat, lon = line_track([3.0] * 200, lat0=47.0)
    return gpx_document(time, lat, lon, altitude=400 + np.zeros(time.shape[0]))


async def register(client: httpx.AsyncClient, person: Person, name: str = "Forerunner") -> dict[str, Any]:
    response = await client.post("/api/v1/devices", json={"name": name}, headers=person.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_device_token_is_shown_once_and_kept_only_as_a_hash(
    client: httpx.AsyncClient, alice: Person, db: Database
) -> None:
    device = await register(client, alice, "  Bike computer ")
    assert device["token"].startswith("athd_")
    assert len(device["token"]) > 40
    assert device["name"] == "Bike computer"
    listed = (await client.get("/api/v1/devices", headers=alice.headers)).json()
    assert [d["id"] for d in listed] == [device["id"]]
    assert "token" not in listed[0]
    async with db.unit_of_work() as session:
        [row] = (await session.scalars(select(Device))).all()
        assert device["token"] not in row.token_hash
        assert len(row.token_hash) == 64


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "a\x00b"])
async def test_a_device_needs_a_sensible_name(client: httpx.AsyncClient, alice: Person, name: str) -> None:
    response = await client.post("/api/v1/devices", json={"name": name}, headers=alice.headers)
    assert response.status_code == 422


async def test_a_device_uploads_a_file_for_its_owner(
    client: httpx.AsyncClient, alice: Person, bus: EmbeddedBus
) -> None:
    token = (await register(client, alice))["token"]
    sent = await client.post(
        "/api/v1/device/uploads", files={"file": ("run.gpx", run_gpx())}, headers=bearer(token)
    )
    assert sent.status_code == 202, sent.text
    await bus.drain()
    upload = await client.get(f"/api/v1/device/uploads/{sent.json()['id']}", headers=bearer(token))
    assert upload.json()["status"] == "done", upload.text
    [activity_id] = upload.json()["activity_ids"]
    mine = (await client.get("/api/v1/activities", headers=alice.headers)).json()["items"]
    assert [a["id"] for a in mine] == [activity_id]


async def test_a_device_records_for_its_owner(client: httpx.AsyncClient, alice: Person) -> None:
    device = await register(client, alice)
    headers = bearer(device["token"])
    started = await client.post("/api/v1/recordings", json={"sport": "ride"}, headers=headers)
    assert started.status_code == 201, started.text
    assert started.json()["device_id"] == device["id"]
    rid = started.json()["id"]
    import time

    points = line_points(time.time() - 120, 100, speed_mps=8.0)
    sent = await client.post(
        f"/api/v1/recordings/{rid}/points", json={"seq": 0, "points": points}, headers=headers
    )
    assert sent.status_code == 200, sent.text
    # The owner sees the device's recording too, and either may finish it.
    assert (await client.get(f"/api/v1/recordings/{rid}", headers=alice.headers)).json()["points"] == 100
    finished = await client.post(f"/api/v1/recordings/{rid}/finish", headers=headers)
    assert finished.status_code == 200, finished.text
    activity = await client.get(f"/api/v1/activities/{finished.json()['activity_id']}", headers=alice.headers)
    assert activity.json()["sport"] == "ride"
    assert activity.json()["distance_m"] == pytest.approx(99 * 8.0, rel=0.01)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/activities"),
        ("POST", "/api/v1/activities"),
        ("POST", "/api/v1/uploads"),
        ("GET", "/api/v1/devices"),
        ("POST", "/api/v1/devices"),
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/me/profile"),
        ("POST", "/api/v1/me/export"),
    ],
)
async def test_a_device_token_is_refused_everywhere_else(
    client: httpx.AsyncClient, alice: Person, method: str, path: str
) -> None:
    token = (await register(client, alice))["token"]
    response = await client.request(method, path, json={"name": "another"}, headers=bearer(token))
    assert response.status_code == 401, response.text


async def test_device_endpoints_take_only_device_tokens(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    refused = await client.post(
        "/api/v1/device/uploads", files={"file": ("run.gpx", run_gpx())}, headers=alice.headers
    )
    assert refused.status_code == 401
    forged = await client.post(
        "/api/v1/device/uploads", files={"file": ("run.gpx", run_gpx())}, headers=bearer("athd_" + "x" * 43)
    )
    assert forged.status_code == 401
    token = (await register(client, alice))["token"]
    sent = await client.post(
        "/api/v1/device/uploads", files={"file": ("run.gpx", run_gpx())}, headers=bearer(token)
    )
    # Another person's upload is not the device's to see.
    other = await client.post("/api/v1/uploads", files={"file": ("run.gpx", run_gpx())}, headers=bob.headers)
    assert (
        await client.get(f"/api/v1/device/uploads/{other.json()['id']}", headers=bearer(token))
    ).status_code == 404
    assert (
        await client.get(f"/api/v1/device/uploads/{sent.json()['id']}", headers=bearer(token))
    ).status_code == 200


async def test_a_revoked_device_is_refused_at_once(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    device = await register(client, alice)
    headers = bearer(device["token"])
    started = await client.post("/api/v1/recordings", json={"sport": "run"}, headers=headers)
    rid = started.json()["id"]
    assert (await client.delete(f"/api/v1/devices/{device['id']}", headers=bob.headers)).status_code == 404
    assert (await client.get(f"/api/v1/recordings/{rid}", headers=headers)).status_code == 200

    assert (await client.delete(f"/api/v1/devices/{device['id']}", headers=alice.headers)).status_code == 204
    assert (await client.delete(f"/api/v1/devices/{device['id']}", headers=alice.headers)).status_code == 204
    assert (await client.get(f"/api/v1/recordings/{rid}", headers=headers)).status_code == 401
    upload = await client.post(
        "/api/v1/device/uploads", files={"file": ("run.gpx", run_gpx())}, headers=headers
    )
    assert upload.status_code == 401
    [listed] = (await client.get("/api/v1/devices", headers=alice.headers)).json()
    assert listed["revoked_at"] is not None
    assert listed["last_used_at"] is not None
    missing = await client.delete(f"/api/v1/devices/{uuid.uuid4()}", headers=alice.headers)
    assert missing.status_code == 404
