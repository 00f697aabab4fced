"""Shared steps of the notifications tests: raising another domain's event as it would."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from athlos.accounts.models import User
from athlos.core.db import Database
from athlos.core.events import emit
from athlos.core.events.embedded import EmbeddedBus


async def raise_event(db: Database, type: str, payload: dict[str, Any], key: str | None = None) -> None:
    """Commit ``type`` to the outbox, as the domain that owns it does."""
    async with db.unit_of_work() as session:
        emit(session, type, key or str(payload.get("user_id", uuid.uuid4())), payload)


async def follow(db: Database, bus: EmbeddedBus | None, actor: User, user: User) -> None:
    await raise_event(db, "social.followed", {"actor_id": str(actor.id), "user_id": str(user.id)})
    if bus is not None:
        await bus.drain()


async def inbox(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = await client.get("/api/v1/me/notifications", headers=headers, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def unread(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    response = await client.get("/api/v1/me/notifications/unread-count", headers=headers)
    assert response.status_code == 200, response.text
    count: int = response.json()["count"]
    return count
