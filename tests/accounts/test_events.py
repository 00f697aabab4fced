"""The events account actions write: ids only, never a password or a token."""

from __future__ import annotations

import json

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts import service
from athlos.accounts.models import User
from athlos.core.db import Database
from athlos.core.ratelimit import RateLimiter
from athlos.core.testing import capture_events
from athlos.settings import Settings
from tests.accounts.factories import make_user

PASSWORD = "an unusual passphrase"


async def test_register_and_verify_emit_ids_only(session: AsyncSession, settings: Settings) -> None:
    async with capture_events(session) as captured:
        await service.register(session, settings, "new@example.org", PASSWORD, "New")
    event = captured.one("account.registered")
    user = await service.user_by_email(session, "new@example.org")
    assert user is not None
    assert event.payload == {"user_id": str(user.id)}
    assert PASSWORD not in json.dumps(event.payload)

    token = service.email_verification_token(settings, user)
    async with capture_events(session) as verified:
        await service.verify_email(session, settings, token)
        await service.verify_email(session, settings, token)  # a second click changes nothing
    assert verified.types == ["account.email_verified"]


async def test_reset_request_and_deletion_emit_their_events(db: Database, session: AsyncSession) -> None:
    user = await make_user(db, email="gone@example.org")
    async with capture_events(session) as captured:
        await service.request_password_reset(session, RateLimiter(), "gone@example.org")
        await service.request_password_reset(session, RateLimiter(), "unknown@example.org")
        await service.delete_account(session, user.id)
    assert captured.types == ["account.password_reset_requested", "account.deleted"]
    assert captured.one("account.deleted").payload == {"user_id": str(user.id)}
    assert await session.get(User, user.id) is None
