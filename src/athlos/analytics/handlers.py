"""Event consumers that keep the analytics read model; each is idempotent on redelivery."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.analytics import ingest
from athlos.core.events import Event, on


@on("activity.created", "activity.updated")
async def keep_activity_facts(session: AsyncSession, event: Event) -> None:
    await ingest.apply_activity(session, event.payload)


@on("activity.deleted")
async def forget_activity_facts(session: AsyncSession, event: Event) -> None:
    await ingest.remove_activity(session, event.payload)


@on("account.profile_updated")
async def keep_profile_facts(session: AsyncSession, event: Event) -> None:
    await ingest.apply_profile(session, event.payload)


@on("account.deleted")
async def forget_person(session: AsyncSession, event: Event) -> None:
    await ingest.erase_person(session, uuid.UUID(event.payload["user_id"]))
