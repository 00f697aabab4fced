"""Event handlers of notifications: one per notification type (its event becomes notifications), the
removal of notifications whose object was deleted, and the delivery jobs of the other channels."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events import Event, on
from athlos.notifications import delivery, preferences, service
from athlos.notifications.channels import email, telegram, webpush
from athlos.notifications.registry import EMAIL, PUSH, SOURCE_DELETIONS, TELEGRAM, NotificationType
from athlos.notifications.service import DELIVERY_DUE
from athlos.notifications.types import load


def listen(kind: NotificationType) -> None:
    """Register the handler that turns ``kind``'s event into notifications (a type added by a module
    outside ``notifications.types`` calls this itself)."""

    async def notify(session: AsyncSession, event: Event) -> None:
        await service.fan_out(session, kind, event)

    notify.__qualname__ = f"notify[{kind.name}]"
    on(kind.event)(notify)


for _kind in load():
    listen(_kind)


@on(*SOURCE_DELETIONS)
async def remove_notifications_of_deleted_objects(session: AsyncSession, event: Event) -> None:
    for deleted in SOURCE_DELETIONS[event.type]:
        await service.remove_about(session, *deleted(event))


delivery.SENDERS.update({EMAIL: email.send_email, PUSH: webpush.send_push, TELEGRAM: telegram.send_telegram})


@on(DELIVERY_DUE)
async def send_delivery(session: AsyncSession, event: Event) -> None:
    await delivery.run(session, uuid.UUID(event.payload["delivery_id"]))


@on("account.profile_updated")
async def record_marketing_consent(session: AsyncSession, event: Event) -> None:
    """Keep whether (and since when) the person agreed to hear about offers, as their profile says."""
    if "marketing_consent" in event.payload:
        await preferences.record_consent(
            session,
            uuid.UUID(event.payload["user_id"]),
            bool(event.payload["marketing_consent"]),
            event.occurred_at,
        )


@on("account.signed_out_everywhere")
async def forget_devices(session: AsyncSession, event: Event) -> None:
    """Signed out everywhere (also after a password change): no browser keeps receiving pushes."""
    await service.remove_all_devices(session, uuid.UUID(event.payload["user_id"]))
