"""Shared steps of the analytics tests: people, profiles and activities made through the real services,
their events delivered by the embedded bus."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import numpy as np
from sqlalchemy import select

from athlos.accounts.profiles.schemas import ProfileIn
from athlos.accounts.profiles.service import update_profile
from athlos.activities.schemas import ManualActivityIn
from athlos.activities.service import create_manual_activity, delete_activity
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.factories import auth_headers, make_user
from tests.activities.tracks import METRES_PER_DEGREE_LAT, gpx_document


async def new_person(db: Database, bus: EmbeddedBus, **profile: Any) -> uuid.UUID:
    """A user whose profile facts (if any) are set through the accounts service and delivered."""
    user = await make_user(db, email=f"{uuid.uuid4().hex}@example.org")
    if profile:
        await set_profile(db, bus, user.id, **profile)
    return user.id


async def set_profile(db: Database, bus: EmbeddedBus, user_id: uuid.UUID, **profile: Any) -> None:
    async with db.unit_of_work() as session:
        await update_profile(session, user_id, ProfileIn(**profile))
    await bus.drain()


async def headers_of(db: Database, client: httpx.AsyncClient, user_id: uuid.UUID) -> dict[str, str]:
    from athlos.accounts.models import User

    async with db.sessionmaker() as session:
        email = await session.scalar(select(User.email).where(User.id == user_id))
    assert email is not None
    return await auth_headers(client, email)


async def manual(
    db: Database,
    bus: EmbeddedBus,
    owner: uuid.UUID,
    start: datetime,
    *,
    sport: str = "run",
    distance_m: float = 5000.0,
    duration_s: float = 1800.0,
    elevation_gain_m: float | None = None,
    avg_heart_rate: float | None = None,
) -> uuid.UUID:
    """A manual activity through the activities service; its event delivered."""
    async with db.unit_of_work() as session:
        activity = await create_manual_activity(
            session,
            owner,
            ManualActivityIn(
                sport=sport,
                start_time=start,
                duration_s=duration_s,
                distance_m=distance_m,
                elevation_gain_m=elevation_gain_m,
                avg_heart_rate=avg_heart_rate,
            ),
        )
    await bus.drain()
    return activity.id


async def remove(db: Database, bus: EmbeddedBus, owner: uuid.UUID, activity_id: uuid.UUID) -> None:
    async with db.unit_of_work() as session:
        await delete_activity(session, owner, activity_id)
    await bus.drain()


def run_gpx(start: datetime, speed: float, metres: float, lat0: float = 52.52, lon0: float = 13.405) -> bytes:
    """A GPX run north from (lat0, lon0) at a steady speed, one point a second."""
    seconds = int(metres / speed) + 1
    time = start.timestamp() + np.arange(seconds + 1, dtype=float)
    north = np.arange(seconds + 1, dtype=float) * speed
    lat = lat0 + north / METRES_PER_DEGREE_LAT
    lon = np.full(time.shape, lon0)
    altitude = np.full(time.shape, 40.0)
    return gpx_document(time, lat, lon, altitude=altitude, heart_rate=np.full(time.shape, 150.0))


async def uploaded_run(
    client: httpx.AsyncClient, bus: EmbeddedBus, headers: dict[str, str], content: bytes
) -> uuid.UUID:
    """A run imported from a GPX file through the uploads API; its events delivered."""
    response = await client.post(
        "/api/v1/uploads", files={"file": ("run.gpx", content)}, data={"sport": "run"}, headers=headers
    )
    assert response.status_code == 202, response.text
    await bus.drain()
    status = await client.get(f"/api/v1/uploads/{response.json()['id']}", headers=headers)
    body = status.json()
    assert body["status"] == "done", body
    return uuid.UUID(body["activity_ids"][0])


def days(n: float) -> timedelta:
    return timedelta(days=n)
