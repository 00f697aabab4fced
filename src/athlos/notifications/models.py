"""Tables of notifications: the inbox, each channel's deliveries, preferences, devices and chats."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Final

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow

USERS_ID: Final = "accounts_user.id"


class Notification(UUIDPrimaryKey, Base):
    """One thing told to one person, by type, with the facts its texts are rendered from.

    ``source`` is what it is about (a follow, a comment, an event) and makes it unique per person and
    type; ``context`` is what holds the source (the activity a comment is on). Deleting either removes
    the notification.
    """

    __tablename__ = "notifications_notification"
    __table_args__ = (
        UniqueConstraint("user_id", "type", "source_kind", "source_id"),
        Index("ix_notifications_notification_inbox", "user_id", "in_inbox", "created_at"),
        Index("ix_notifications_notification_source", "source_kind", "source_id"),
        Index("ix_notifications_notification_context", "context_kind", "context_id"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(64))
    source_kind: Mapped[str] = mapped_column(String(32))
    source_id: Mapped[str] = mapped_column(String(80))
    context_kind: Mapped[str | None] = mapped_column(String(32))
    context_id: Mapped[str | None] = mapped_column(String(80))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Security mail (a reset link) is sent but never listed in the inbox.
    in_inbox: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class Delivery(UUIDPrimaryKey, Base):
    """A notification on its way through one channel (email, push, telegram); one job each."""

    __tablename__ = "notifications_delivery"
    __table_args__ = (
        Index("ix_notifications_delivery_person", "user_id", "channel", "status", "settled_at"),
    )

    notification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notifications_notification.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    # queued, sent, failed or suppressed (turned off, already read, gone, over the cap).
    status: Mapped[str] = mapped_column(String(16), default="queued")
    digest: Mapped[bool] = mapped_column(Boolean, default=False)
    detail: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    settled_at: Mapped[datetime | None]


class Preference(Base):
    """A person's choice for one type on one channel, where it differs from the type's default."""

    __tablename__ = "notifications_preference"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    type: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    # Email only: gathered into the daily digest instead of sent at once.
    digest: Mapped[bool] = mapped_column(Boolean, default=False)


class PersonSettings(Base):
    """What holds for all of a person's notifications: quiet hours, the push cap, marketing consent."""

    __tablename__ = "notifications_person"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    # Minutes after local midnight; both set or neither. Start after end spans midnight.
    quiet_start: Mapped[int | None] = mapped_column(Integer)
    quiet_end: Mapped[int | None] = mapped_column(Integer)
    pushes_per_hour: Mapped[int] = mapped_column(Integer, default=10)
    marketing_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    marketing_consent_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PushSubscription(UUIDPrimaryKey, Base):
    """A browser's Web Push subscription, one per device."""

    __tablename__ = "notifications_push_subscription"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    device: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sent_at: Mapped[datetime | None]


class TelegramChat(Base):
    """A person's Telegram chat with the bot, or the one-time code that will link it."""

    __tablename__ = "notifications_telegram_chat"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[datetime | None]
    linked_at: Mapped[datetime | None]
    username: Mapped[str] = mapped_column(Text, default="")
