"""Fixtures of the activities tests: signed-in people, and clients of the pages signed in as them."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from athlos.core.db import Database
from tests.accounts.factories import auth_headers, make_user
from tests.accounts.test_pages import sign_in as sign_in_with_cookie


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    email: str
    headers: dict[str, str]


async def sign_in(db: Database, client: httpx.AsyncClient) -> Person:
    # An address of our own: the factory's default is derived from a time-ordered id.
    user = await make_user(db, email=f"{uuid.uuid4().hex}@example.org")
    return Person(user.id, user.email, await auth_headers(client, user.email))


@pytest.fixture
async def alice(db: Database, client: httpx.AsyncClient) -> Person:
    return await sign_in(db, client)


@pytest.fixture
async def bob(db: Database, client: httpx.AsyncClient) -> Person:
    return await sign_in(db, client)


@pytest.fixture
async def browser_of(app: FastAPI) -> AsyncIterator[Any]:
    """``await browser_of(person)``: a client of its own signed in with the page's cookie session."""
    clients: list[httpx.AsyncClient] = []

    async def open_for(person: Person | None) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        clients.append(client)
        if person is not None:
            signed = await sign_in_with_cookie(client, person.email)
            assert signed.status_code == 303, signed.text
        return client

    yield open_for
    for client in clients:
        await client.aclose()
