"""A delivery job: one notification on one channel, sent by the worker, never inside a request.

The job decides first whether to send at all — the person turned the channel off, already read it in
the app, the account is gone, quiet hours (wait), the push cap (skip) — then hands it to the channel.
Sending errors raise, so the event bus retries with backoff; a channel that must wait raises
``Deferred``. Each settled delivery is counted per channel and outcome on ``/metrics``.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from prometheus_client import Counter
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.db import utcnow
from athlos.core.events.delivery import Deferred
from athlos.notifications.models import Delivery, Notification, PersonSettings
from athlos.notifications.people import Person, person
from athlos.notifications.registry import SECURITY, NotificationType, types
from athlos.settings import Settings, get_settings

DELIVERIES = Counter(
    "athlos_notifications_deliveries_total",
    "Notifications per channel: sent, suppressed (turned off, read, over the cap) or failed attempts",
    ["channel", "outcome"],
)


def current_settings() -> Settings:
    """The process's settings (jobs run in web and worker processes alike; tests point them elsewhere)."""
    return get_settings()


class Suppressed(Exception):
    """This delivery is not to be sent (``reason`` is kept on it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Job:
    session: AsyncSession
    settings: Settings
    delivery: Delivery
    notification: Notification
    kind: NotificationType
    person: Person
    person_settings: PersonSettings | None


# channel -> its sender; a sender returns the deliveries it settled as sent (a digest settles many).
Sender = Callable[[Job], Awaitable[list[Delivery]]]
SENDERS: dict[str, Sender] = {}


def settle(delivery: Delivery, status: str, detail: str = "") -> None:
    delivery.status = status
    delivery.detail = detail[:200]
    delivery.settled_at = utcnow()
    DELIVERIES.labels(delivery.channel, status).inc()


def quiet_until(settings: PersonSettings | None, zone_now: datetime) -> datetime | None:
    """When the person's quiet hours end, if ``zone_now`` (their local time) is inside them."""
    if settings is None or settings.quiet_start is None or settings.quiet_end is None:
        return None
    start, end = settings.quiet_start, settings.quiet_end
    minute = zone_now.hour * 60 + zone_now.minute
    inside = start <= minute < end if start <= end else (minute >= start or minute < end)
    if not inside or start == end:
        return None
    ends = datetime.combine(zone_now.date(), time(end // 60, end % 60), tzinfo=zone_now.tzinfo)
    return ends if ends > zone_now else ends + timedelta(days=1)


async def run(session: AsyncSession, delivery_id: uuid.UUID) -> None:
    """Apply one delivery job (idempotent: a settled delivery is left as it is)."""
    delivery = await session.get(Delivery, delivery_id)
    if delivery is None or delivery.status != "queued":
        return  # gone with its notification, or settled (a digest took it along)
    notification = await session.get(Notification, delivery.notification_id)
    kind = types.get(notification.type) if notification is not None else None
    someone = await person(session, delivery.user_id)
    if notification is None or kind is None or someone is None:
        settle(delivery, "suppressed", "gone")
        return
    if kind.category != SECURITY and notification.in_inbox and notification.read_at is not None:
        settle(delivery, "suppressed", "read in the app")
        return
    sender = SENDERS.get(delivery.channel)
    if sender is None:
        settle(delivery, "suppressed", "no such channel")
        return
    job = Job(
        session=session,
        settings=current_settings(),
        delivery=delivery,
        notification=notification,
        kind=kind,
        person=someone,
        person_settings=await session.get(PersonSettings, delivery.user_id),
    )
    try:
        for sent in await sender(job):
            settle(sent, "sent")
    except Suppressed as suppressed:
        settle(delivery, "suppressed", suppressed.reason)
    except Deferred:
        raise
    except Exception:
        # Counted per failed attempt; the event bus tries again with backoff.
        DELIVERIES.labels(delivery.channel, "failed").inc()
        raise


def defer_until(when: datetime, reason: str) -> Deferred:
    return Deferred(max((when - utcnow()).total_seconds(), 1.0), reason)
