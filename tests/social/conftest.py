"""Fixtures of the social tests: signed-in people, their activities, and how they relate."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from athlos.core.db import Database
from tests.activities.conftest import Person, browser_of, sign_in

__all__ = ["browser_of"]  # a fixture of signed-in page clients, shared with the social tests
from tests.activities.test_api_activities import manual


@pytest.fixture
async def alice(db: Database, client: httpx.AsyncClient) -> Person:
    return await sign_in(db, client)


@pytest.fixture
async def bob(db: Database, client: httpx.AsyncClient) -> Person:
    return await sign_in(db, client)


@pytest.fixture
async def carol(db: Database, client: httpx.AsyncClient) -> Person:
    return await sign_in(db, client)


async def post_activity(client: httpx.AsyncClient, owner: Person, **changes: Any) -> dict[str, Any]:
    """A manual activity of ``owner`` (public unless ``visibility`` says otherwise)."""
    created = await client.post("/api/v1/activities", json=manual(**changes), headers=owner.headers)
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


async def follow(client: httpx.AsyncClient, follower: Person, followee: Person) -> str:
    response = await client.post(f"/api/v1/users/{followee.id}/follow", headers=follower.headers)
    assert response.status_code == 200, response.text
    state: str = response.json()["state"]
    return state


async def set_profile(client: httpx.AsyncClient, person: Person, **changes: Any) -> None:
    response = await client.patch("/api/v1/me/profile", json=changes, headers=person.headers)
    assert response.status_code == 200, response.text


async def block(client: httpx.AsyncClient, blocker: Person, blocked: Person) -> None:
    response = await client.post(f"/api/v1/users/{blocked.id}/block", headers=blocker.headers)
    assert response.status_code == 204, response.text
