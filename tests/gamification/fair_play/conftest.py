"""Fixtures of the fair play tests: signed-in people, and real tracks uploaded as they are or doctored."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from athlos.accounts.staff.access import ADMIN
from athlos.accounts.staff.service import grant_area
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from tests.activities.conftest import Person, alice, bob, browser_of, sign_in

__all__ = ["alice", "bob", "browser_of"]  # the activities tests' signed-in people and page clients

TIME = re.compile(r"<time>([^<]+)</time>")


async def staff_of(db: Database, client: httpx.AsyncClient, area: str = ADMIN) -> Person:
    """A signed-in person holding the staff ``area`` (admin: every area)."""
    person = await sign_in(db, client)
    async with db.unit_of_work() as session:
        await grant_area(session, person.id, area)
    return person


@pytest.fixture
async def staff(db: Database, client: httpx.AsyncClient) -> Person:
    return await staff_of(db, client)


def compressed(gpx: str, factor: float) -> str:
    """The GPX track with every point's time moved ``factor`` times as far from the first one: the same
    route covered ``1 / factor`` times as fast (a doctored file)."""
    track = gpx.index("<trk>")
    head, body = gpx[:track], gpx[track:]
    times = [datetime.fromisoformat(t.replace("Z", "+00:00")) for t in TIME.findall(body)]
    first = times[0]

    def moved(match: re.Match[str]) -> str:
        at = datetime.fromisoformat(match.group(1).replace("Z", "+00:00"))
        return f"<time>{(first + (at - first) * factor).strftime('%Y-%m-%dT%H:%M:%S.%fZ')}</time>"

    return head + TIME.sub(moved, body)


def duration_s(gpx: str) -> float:
    body = gpx[gpx.index("<trk>") :]
    times = [datetime.fromisoformat(t.replace("Z", "+00:00")) for t in TIME.findall(body)]
    return (times[-1] - times[0]).total_seconds()


async def upload(
    client: httpx.AsyncClient, bus: EmbeddedBus, person: Person, name: str, content: bytes, sport: str
) -> uuid.UUID:
    """An activity imported through the uploads API; its events delivered."""
    response = await client.post(
        "/api/v1/uploads", files={"file": (name, content)}, data={"sport": sport}, headers=person.headers
    )
    assert response.status_code == 202, response.text
    await bus.drain()
    body = (await client.get(f"/api/v1/uploads/{response.json()['id']}", headers=person.headers)).json()
    assert body["status"] == "done", body
    return uuid.UUID(body["activity_ids"][0])


async def eligibility(client: httpx.AsyncClient, person: Person, activity_id: uuid.UUID) -> dict[str, object]:
    response = await client.get(f"/api/v1/activities/{activity_id}/eligibility", headers=person.headers)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def read(shared_tracks: Path, name: str) -> bytes:
    return (shared_tracks / name).read_bytes()
