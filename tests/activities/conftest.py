"""Fixtures of the activities API tests: signed-in people and helpers to drive uploads."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
import pytest

from athlos.accounts.models import SignInSession
from athlos.accounts.tokens import issue_access_token
from athlos.core.db import Database
from athlos.settings import Settings
from tests.accounts.factories import auth_headers, make_user


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    email: str
    headers: dict[str, str]


async def sign_in(db: Database, client: httpx.AsyncClient, settings: Settings) -> Person:
    # An address of our own: the factory's default is derived from a time-ordered id.
    user = await make_user(db, email=f"{uuid.uuid4().hex}@example.org")
    probe = await client.post("/api/v1/auth/login", json={})
    if probe.status_code != 404:
        return Person(user.id, user.email, await auth_headers(client, user.email))
    # Until the accounts API is mounted, sign in the way its login does: a session and a token.
    async with db.unit_of_work() as session:
        sign_in_session = SignInSession(user_id=user.id)
        session.add(sign_in_session)
        await session.flush()
        token = issue_access_token(settings, user.id, sign_in_session.id)
    return Person(user.id, user.email, {"Authorization": f"Bearer {token}"})


@pytest.fixture
async def alice(db: Database, client: httpx.AsyncClient, settings: Settings) -> Person:
    return await sign_in(db, client, settings)


@pytest.fixture
async def bob(db: Database, client: httpx.AsyncClient, settings: Settings) -> Person:
    return await sign_in(db, client, settings)
