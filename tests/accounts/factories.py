"""Small async factories for accounts tests and for other domains' tests that need a user."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select

from athlos.accounts.models import User
from athlos.accounts.passwords import hash_password
from athlos.accounts.profiles.service import get_profile
from athlos.core.db import Database, utcnow
from athlos.core.ids import new_id
from athlos.settings import Settings

DEFAULT_PASSWORD = "correct horse battery"
# Cheap argon2 parameters for tests only; production keeps the defaults of Settings.
TEST_ARGON2 = {"argon2_memory_kib": 64, "argon2_time_cost": 1, "argon2_parallelism": 1}


async def make_user(
    db: Database,
    *,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    verified: bool = True,
    display_name: str | None = None,
    settings: Settings | None = None,
) -> User:
    """A user stored in its own committed transaction."""
    suffix = new_id().hex[-10:]  # the random end: two users made in the same millisecond differ
    hash_settings = settings or Settings(_env_file=None, **TEST_ARGON2)  # type: ignore[call-arg]
    user = User(
        email=(email or f"user-{suffix}@example.org").strip().lower(),
        display_name=display_name or f"Runner {suffix[:4]}",
        password_hash=await hash_password(hash_settings, password),
        email_verified_at=utcnow() if verified else None,
        totp_enabled=False,
    )
    async with db.unit_of_work() as session:
        session.add(user)
    return user


async def auth_headers(
    client: httpx.AsyncClient, email: str, password: str = DEFAULT_PASSWORD
) -> dict[str, str]:
    """Signs in through the API and returns the bearer header of the new session."""
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def set_language(db: Database, who: uuid.UUID | str, language: str) -> None:
    """The profile of the person (an id or an email) speaks ``language``: what their pages are in,
    whatever the browser asks for."""
    async with db.unit_of_work() as session:
        user_id = who
        if isinstance(who, str):
            user_id = await session.scalar(select(User.id).where(User.email == who.strip().lower()))
        assert isinstance(user_id, uuid.UUID), who
        (await get_profile(session, user_id)).language = language
