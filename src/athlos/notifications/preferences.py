"""Who wants what: per type and channel choices over the type's defaults, and marketing consent."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.db import insert_if_missing, utcnow
from athlos.notifications.errors import PreferenceInvalid, PreferenceNotFound
from athlos.notifications.models import PersonSettings, Preference
from athlos.notifications.registry import EMAIL, NotificationType, types

# channel -> whether it goes into the daily digest (email) rather than out at once.
Choice = dict[str, bool]


async def channels_of(
    session: AsyncSession, kind: NotificationType, user_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Choice]:
    """The channels each person receives ``kind`` on: its defaults, changed by their preferences
    (security types cannot be changed)."""
    chosen: dict[uuid.UUID, Choice] = {user_id: dict.fromkeys(kind.channels, False) for user_id in user_ids}
    if not kind.may_turn_off:
        return chosen
    offered = set(kind.offered_channels)
    for start in range(0, len(user_ids), 1000):
        rows = await session.scalars(
            select(Preference).where(
                Preference.type == kind.name, Preference.user_id.in_(user_ids[start : start + 1000])
            )
        )
        for row in rows:
            if row.channel not in offered:
                continue
            if row.enabled:
                chosen[row.user_id][row.channel] = row.channel == EMAIL and row.digest
            else:
                chosen[row.user_id].pop(row.channel, None)
    return chosen


async def consenting(session: AsyncSession, user_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``user_ids`` who agreed to hear about offers."""
    found: set[uuid.UUID] = set()
    for start in range(0, len(user_ids), 1000):
        found.update(
            await session.scalars(
                select(PersonSettings.user_id).where(
                    PersonSettings.user_id.in_(user_ids[start : start + 1000]),
                    PersonSettings.marketing_consent.is_(True),
                )
            )
        )
    return found


async def record_consent(session: AsyncSession, user_id: uuid.UUID, consent: bool, at: datetime) -> None:
    """Keep the person's marketing consent and the time it was given (unchanged when it did not change)."""
    await insert_if_missing(session, PersonSettings, {"user_id": user_id, "updated_at": at}, key=["user_id"])
    row = await session.get(PersonSettings, user_id, populate_existing=True)
    assert row is not None
    if row.marketing_consent != consent:
        row.marketing_consent = consent
        row.marketing_consent_at = at if consent else None


async def set_channel(
    session: AsyncSession,
    user_id: uuid.UUID,
    kind: NotificationType,
    channel: str,
    enabled: bool,
    digest: bool,
) -> None:
    """Choose whether ``kind`` reaches the person on ``channel`` (and, for mail, at once or in the digest)."""
    if not kind.may_turn_off or channel not in kind.offered_channels:
        raise PreferenceInvalid(f"{kind.name} on {channel} cannot be changed.")
    row = await session.get(Preference, (user_id, kind.name, channel))
    if row is None:
        session.add(
            Preference(user_id=user_id, type=kind.name, channel=channel, enabled=enabled, digest=digest)
        )
    else:
        row.enabled, row.digest = enabled, digest
    await session.flush()


async def choices(session: AsyncSession, user_id: uuid.UUID) -> list[tuple[NotificationType, Choice]]:
    """Every type the person may hear of, with the channels they receive it on."""
    return [(kind, (await channels_of(session, kind, [user_id]))[user_id]) for kind in types.all()]


async def choose(
    session: AsyncSession, user_id: uuid.UUID, type_name: str, wanted: dict[str, str | bool]
) -> tuple[NotificationType, Choice]:
    """Set the person's channels for one type: ``{"inbox": True, "email": "digest", "push": False}``
    (mail is ``"off"``, ``"immediate"`` or ``"digest"``)."""
    kind = types.get(type_name)
    if kind is None:
        raise PreferenceNotFound()
    for channel, value in wanted.items():
        digest = value == "digest"
        enabled = value in ("immediate", "digest") if channel == EMAIL else bool(value)
        await set_channel(session, user_id, kind, channel, enabled, digest)
    return kind, (await channels_of(session, kind, [user_id]))[user_id]


async def person_settings(session: AsyncSession, user_id: uuid.UUID) -> PersonSettings:
    await insert_if_missing(
        session, PersonSettings, {"user_id": user_id, "updated_at": utcnow()}, key=["user_id"]
    )
    row = await session.get(PersonSettings, user_id)
    assert row is not None
    return row


async def update_person_settings(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    quiet_hours: tuple[int, int] | None,
    pushes_per_hour: int,
) -> PersonSettings:
    row = await person_settings(session, user_id)
    row.quiet_start, row.quiet_end = quiet_hours if quiet_hours is not None else (None, None)
    row.pushes_per_hour = pushes_per_hour
    await session.flush()
    return row


def described(kind: NotificationType, choice: Choice) -> dict[str, str | bool]:
    """The choice as the API and the page show it: per offered channel on/off, mail off/immediate/digest."""
    shown: dict[str, str | bool] = {}
    for channel in kind.offered_channels:
        if channel == EMAIL:
            shown[channel] = (
                "off" if channel not in choice else ("digest" if choice[channel] else "immediate")
            )
        else:
            shown[channel] = channel in choice
    return shown


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_of(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)
