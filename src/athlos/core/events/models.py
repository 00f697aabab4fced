"""Tables of the event bus: the outbox, what each consumer has applied, and failing deliveries."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast

from sqlalchemy import JSON, Index, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, BigIntPK, utcnow


class OutboxRow(Base):
    __tablename__ = "core_outbox"
    __table_args__ = (
        Index(
            "ix_core_outbox_unpublished",
            "id",
            postgresql_where=text("published_at IS NULL"),
            sqlite_where=text("published_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    event_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    type: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(default=None)


class ProcessedEvent(Base):
    """Written in the same transaction as a handler's effect: the record that makes it idempotent."""

    __tablename__ = "core_processed_event"

    consumer: Mapped[str] = mapped_column(String(200), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(default=utcnow)


class HandlerFailure(Base):
    """A delivery that raised: retried with backoff, then parked for an operator to look at."""

    __tablename__ = "core_handler_failure"
    __table_args__ = (Index("ix_core_handler_failure_due", "parked", "next_attempt_at"),)

    consumer: Mapped[str] = mapped_column(String(200), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    event_type: Mapped[str] = mapped_column(String(100))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    parked: Mapped[bool] = mapped_column(default=False)
    first_failed_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# The tables themselves, for the bus's set-based statements that need no ORM objects.
OUTBOX = cast(Table, OutboxRow.__table__)
PROCESSED = cast(Table, ProcessedEvent.__table__)
