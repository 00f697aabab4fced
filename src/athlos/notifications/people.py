"""What notifications needs to know of people, read through accounts' services: names, addresses,
languages and time zones."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts import service as accounts
from athlos.accounts.errors import InvalidCredentials
from athlos.accounts.profiles import service as profiles
from athlos.accounts.profiles.schemas import ProfileIn
from athlos.core.events import Event
from athlos.web.i18n import DEFAULT_LOCALE, LANGUAGES


@dataclass(frozen=True, slots=True)
class Person:
    id: uuid.UUID
    email: str
    display_name: str
    language: str
    zone: ZoneInfo


async def person(session: AsyncSession, user_id: uuid.UUID) -> Person | None:
    """The person with the language and time zone of their profile, or None when the account is gone."""
    try:
        user = await accounts.get_user(session, user_id)
    except InvalidCredentials:
        return None
    profile = await profiles.get_profile(session, user_id)
    try:
        zone = ZoneInfo(profile.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    language = profile.language if profile.language in LANGUAGES else DEFAULT_LOCALE
    return Person(id=user.id, email=user.email, display_name=user.display_name, language=language, zone=zone)


async def display_name(session: AsyncSession, user_id: uuid.UUID) -> str:
    try:
        return (await accounts.get_user(session, user_id)).display_name
    except InvalidCredentials:
        return ""


async def with_actor_name(session: AsyncSession, event: Event) -> dict[str, Any]:
    """The event's ids and the display name of the person who acted (``actor``)."""
    return {**event.payload, "actor": await display_name(session, uuid.UUID(event.payload["actor_id"]))}


async def set_marketing_consent(session: AsyncSession, user_id: uuid.UUID, consent: bool) -> None:
    """Change the consent in the person's profile (its truth); its event records the time here."""
    profile = await profiles.get_profile(session, user_id)
    if profile.marketing_consent != consent:
        await profiles.update_profile(session, user_id, ProfileIn(marketing_consent=consent))
