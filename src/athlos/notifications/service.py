"""The inbox: writing notifications for an event's recipients, reading, marking read, removing.

Deliveries on the other channels are queued here, one ``notification.delivery_due`` job each, in the
same transaction as the inbox rows (see ``delivery`` for what a job does).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Select, and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.db import insert_if_missing, utcnow
from athlos.core.errors import InvalidInput
from athlos.core.events import Event, emit_many
from athlos.core.ids import new_id
from athlos.core.pagination import decode_cursor, paginate
from athlos.notifications import live, preferences
from athlos.notifications import unsubscribe as unsubscribe_links
from athlos.notifications.delivery import DELIVERIES
from athlos.notifications.errors import NotificationNotFound, UnsubscribeLinkInvalid
from athlos.notifications.models import Delivery, Notification, Preference, PushSubscription, TelegramChat
from athlos.notifications.registry import (
    EMAIL,
    INBOX,
    MARKETING,
    PUSH,
    TELEGRAM,
    Gettext,
    NotificationType,
    types,
)
from athlos.notifications.schemas import PushSubscriptionIn
from athlos.settings import Settings

DELIVERY_DUE: Final = "notification.delivery_due"
# Rows per statement of a fan-out (also below every database's limit of bound parameters).
CHUNK: Final = 1000


@dataclass(frozen=True, slots=True)
class Rendered:
    id: uuid.UUID
    type: str
    created_at: datetime
    read: bool
    title: str
    body: str
    link: str


def render(row: Notification, gettext: Gettext) -> Rendered:
    kind = types.get(row.type)
    title, body = kind.texts(gettext, row.params) if kind is not None else (row.type, "")
    return Rendered(
        id=row.id,
        type=row.type,
        created_at=row.created_at,
        read=row.read_at is not None,
        title=title,
        body=body,
        link=kind.link(row.params) if kind is not None else "",
    )


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def _with_devices(session: AsyncSession, channel: str, user_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``user_ids`` who can be reached on ``channel`` at all."""
    query: Any
    found: set[uuid.UUID] = set()
    for chunk in _chunks(user_ids):
        if channel == PUSH:
            query = select(PushSubscription.user_id).where(PushSubscription.user_id.in_(chunk)).distinct()
        elif channel == TELEGRAM:
            query = select(TelegramChat.user_id).where(
                TelegramChat.user_id.in_(chunk), TelegramChat.chat_id.is_not(None)
            )
        else:
            return set(user_ids)
        found.update(await session.scalars(query))
    return found


async def fan_out(session: AsyncSession, kind: NotificationType, event: Event) -> int:
    """Write ``kind``'s notification of ``event`` for each recipient on the channels they keep, once
    per person and source; returns how many were new."""
    actor = event.payload.get("actor_id")
    recipients = list(dict.fromkeys(u for u in await kind.recipients(session, event) if str(u) != actor))
    if not recipients:
        return 0
    if kind.category == MARKETING:
        recipients = sorted(await preferences.consenting(session, recipients))
    chosen = await preferences.channels_of(session, kind, recipients)
    reachable = {
        channel: await _with_devices(session, channel, recipients)
        for channel in (PUSH, TELEGRAM)
        if any(channel in channels for channels in chosen.values())
    }
    params = await kind.facts(session, event)
    source_kind, source_id = kind.source(event)
    context_kind, context_id = kind.context(event) or (None, None)
    now = utcnow()
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    new: list[tuple[uuid.UUID, uuid.UUID]] = []
    people = [user_id for user_id in recipients if chosen[user_id]]
    for chunk in _chunks(people):
        rows = [
            {
                "id": new_id(),
                "user_id": user_id,
                "type": kind.name,
                "source_kind": source_kind,
                "source_id": source_id,
                "context_kind": context_kind,
                "context_id": context_id,
                "params": params,
                "in_inbox": INBOX in chosen[user_id],
                "created_at": now,
            }
            for user_id in chunk
        ]
        statement = (
            insert(Notification)
            .on_conflict_do_nothing(index_elements=["user_id", "type", "source_kind", "source_id"])
            .returning(Notification.id, Notification.user_id)
        )
        # Many parameter sets of one cached statement (SQLAlchemy batches them), not one huge VALUES.
        new += [(row.id, row.user_id) for row in await session.execute(statement, rows)]
    deliveries = [
        {
            "id": new_id(),
            "notification_id": notification_id,
            "user_id": user_id,
            "channel": channel,
            "status": "queued",
            "digest": chosen[user_id][channel],
            "detail": "",
            "created_at": now,
        }
        for notification_id, user_id in new
        for channel in (EMAIL, PUSH, TELEGRAM)
        if channel in chosen[user_id] and (channel not in reachable or user_id in reachable[channel])
    ]
    for chunk in _chunks(deliveries):
        await session.execute(insert(Delivery), list(chunk))
        await emit_many(session, DELIVERY_DUE, [(d["user_id"], {"delivery_id": str(d["id"])}) for d in chunk])
    inboxed = [user_id for _, user_id in new if INBOX in chosen[user_id]]
    live.changed_after_commit(session, inboxed)
    DELIVERIES.labels(INBOX, "sent").inc(len(inboxed))
    return len(new)


def _inbox(user_id: uuid.UUID) -> Select[Notification]:
    return select(Notification).where(Notification.user_id == user_id, Notification.in_inbox.is_(True))


async def inbox_page(
    session: AsyncSession, user_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[Notification], str | None]:
    """The person's notifications, newest first, a page at a time."""
    query = _inbox(user_id)
    if cursor:
        values = decode_cursor(cursor)
        try:
            created_at, last_id = datetime.fromisoformat(values[0]), uuid.UUID(values[1])
        except (IndexError, TypeError, ValueError) as exc:
            raise InvalidInput("The cursor is not valid.", code="invalid_cursor") from exc
        query = query.where(
            or_(
                Notification.created_at < created_at,
                and_(Notification.created_at == created_at, Notification.id < last_id),
            )
        )
    rows = list(
        await session.scalars(
            query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit + 1)
        )
    )
    return paginate(rows, limit, key=lambda row: (row.created_at.isoformat(), str(row.id)))


async def unread_count(session: AsyncSession, user_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count()).select_from(_inbox(user_id).where(Notification.read_at.is_(None)).subquery())
    )
    return int(count or 0)


async def mark_read(session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID] | None) -> int:
    """Mark the person's ``ids`` (all, when None) read; returns how many were unread."""
    query = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        query = query.where(Notification.id.in_(ids))
    result = await session.execute(
        query.values(read_at=utcnow()).execution_options(synchronize_session=False)
    )
    changed = int(getattr(result, "rowcount", 0) or 0)
    if changed:
        live.changed_after_commit(session, [user_id])
    return changed


async def open_notification(
    session: AsyncSession, user_id: uuid.UUID, notification_id: uuid.UUID
) -> Notification:
    """The person's notification, marked read (to follow its link)."""
    row = await session.get(Notification, notification_id)
    if row is None or row.user_id != user_id or not row.in_inbox:
        raise NotificationNotFound()
    if row.read_at is None:
        row.read_at = utcnow()
        live.changed_after_commit(session, [user_id])
    return row


async def remove_about(session: AsyncSession, kind: str, object_id: str) -> int:
    """Delete every notification whose source or context is the object ``(kind, object_id)``."""
    about = or_(
        and_(Notification.source_kind == kind, Notification.source_id == object_id),
        and_(Notification.context_kind == kind, Notification.context_id == object_id),
    )
    owners = set(await session.scalars(select(Notification.user_id).where(about, Notification.in_inbox)))
    result = await session.execute(
        delete(Notification).where(about).execution_options(synchronize_session=False)
    )
    live.changed_after_commit(session, owners)
    return int(getattr(result, "rowcount", 0) or 0)


async def unsubscribe(session: AsyncSession, settings: Settings, token: str) -> NotificationType:
    """Turn off the mail of the signed link's type for its person; the type, for the confirmation."""
    found = unsubscribe_links.read(settings, token)
    kind = types.get(found.type) if found is not None else None
    if found is None or kind is None or not kind.may_turn_off or EMAIL not in kind.offered_channels:
        raise UnsubscribeLinkInvalid()
    await insert_if_missing(
        session,
        Preference,
        {"user_id": found.user_id, "type": kind.name, "channel": EMAIL, "enabled": False, "digest": False},
        key=["user_id", "type", "channel"],
    )
    row = await session.get(Preference, (found.user_id, kind.name, EMAIL), populate_existing=True)
    if row is not None:
        row.enabled = False
    return kind


async def devices(session: AsyncSession, user_id: uuid.UUID) -> list[PushSubscription]:
    """The person's browsers that receive pushes, newest first."""
    rows = await session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id == user_id)
        .order_by(PushSubscription.created_at.desc())
        .limit(50)
    )
    return list(rows)


async def telegram_chat(session: AsyncSession, user_id: uuid.UUID) -> TelegramChat | None:
    return await session.get(TelegramChat, user_id)


async def remove_device(session: AsyncSession, user_id: uuid.UUID, subscription_id: uuid.UUID) -> None:
    await session.execute(
        delete(PushSubscription).where(
            PushSubscription.id == subscription_id, PushSubscription.user_id == user_id
        )
    )


async def remove_all_devices(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(PushSubscription).where(PushSubscription.user_id == user_id))


def device_name(user_agent: str) -> str:
    """A short name for a browser from its User-Agent ("Chrome on Android")."""
    browsers = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
    systems = (
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Linux", "Linux"),
    )
    browser = next((name for token, name in browsers if token in user_agent), "")
    system = next((name for token, name in systems if token in user_agent), "")
    return f"{browser} · {system}".strip(" ·") or user_agent[:60]


async def add_device(
    session: AsyncSession, user_id: uuid.UUID, subscription: PushSubscriptionIn, user_agent: str
) -> PushSubscription:
    """Keep a browser's push subscription (the same endpoint again replaces its keys and owner)."""
    endpoint, p256dh, auth = str(subscription.endpoint), subscription.keys.p256dh, subscription.keys.auth
    device = device_name(user_agent)
    row = await session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if row is None:
        row = PushSubscription(user_id=user_id, endpoint=endpoint, p256dh=p256dh, auth=auth, device=device)
        session.add(row)
    else:
        row.user_id, row.p256dh, row.auth, row.device = user_id, p256dh, auth, device
    await session.flush()
    return row
