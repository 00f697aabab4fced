"""Fixtures of the competitions tests: signed-in people (one of them staff), races set through the API,
runs uploaded as GPX files, profiles and loyalty balances set through their services."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.loyalty import service as loyalty
from tests.activities.conftest import Person, alice, bob, browser_of
from tests.analytics.conftest import run_gpx, set_profile
from tests.gamification.fair_play.conftest import staff, upload

__all__ = ["alice", "bob", "browser_of", "set_profile", "staff"]


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


async def set_race(client: httpx.AsyncClient, person: Person, **changes: Any) -> dict[str, Any]:
    """A window 5K run from a day ago to a day ahead, set through the API."""
    body = {
        "title": "December 5K",
        "sport": "run",
        "distance": "5k",
        "mode": "window",
        "starts_at": (now() - timedelta(days=1)).isoformat(),
        "ends_at": (now() + timedelta(days=1)).isoformat(),
        **changes,
    }
    response = await client.post("/api/v1/races", json=body, headers=person.headers)
    assert response.status_code == 201, response.text
    race: dict[str, Any] = response.json()
    return race


async def enter(client: httpx.AsyncClient, person: Person, race_id: str) -> httpx.Response:
    return await client.post(f"/api/v1/races/{race_id}/registration", headers=person.headers)


async def ran(
    client: httpx.AsyncClient,
    bus: EmbeddedBus,
    person: Person,
    metres: float,
    speed: float,
    *,
    hours_ago: float = 2,
    sport: str = "run",
) -> uuid.UUID:
    """A steady run of ``metres`` at ``speed`` m/s started ``hours_ago``, uploaded as GPX; delivered."""
    start = now() - timedelta(hours=hours_ago)
    return await upload(client, bus, person, "run.gpx", run_gpx(start, speed, metres), sport)


async def end_race(client: httpx.AsyncClient, staff: Person, race_id: str) -> None:
    """Move the race's end to a minute ago, as staff may."""
    ends = (now() - timedelta(minutes=1)).isoformat()
    response = await client.patch(f"/api/v1/races/{race_id}", json={"ends_at": ends}, headers=staff.headers)
    assert response.status_code == 200, response.text


async def give_points(db: Database, person: Person, amount: int) -> None:
    async with db.unit_of_work() as session:
        await loyalty.credit(session, person.id, amount, f"test:{uuid.uuid4().hex}")


async def points_of(db: Database, person: Person) -> tuple[int, int]:
    async with db.sessionmaker() as session:
        balance = await loyalty.balance(session, person.id)
    return balance.balance, balance.reserved
