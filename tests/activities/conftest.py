"""Fixtures of the activities API tests: signed-in people."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
import pytest

from athlos.core.db import Database
from tests.accounts.factories import auth_headers, make_user


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
