"""Writing events: ``emit()`` appends to the outbox inside the caller's transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.db import EVENTS_WRITTEN, utcnow
from athlos.core.events.models import OutboxRow
from athlos.core.ids import new_id


@dataclass(frozen=True, slots=True)
class Event:
    """What happened, to whom (``key``), with ids and the few facts consumers need."""

    type: str
    key: str
    payload: dict[str, Any]
    id: uuid.UUID = field(default_factory=new_id)
    occurred_at: datetime = field(default_factory=utcnow)

    def to_message(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "type": self.type,
            "key": self.key,
            "payload": self.payload,
            "occurred_at": self.occurred_at.isoformat(),
        }

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> Event:
        return cls(
            id=uuid.UUID(message["id"]),
            type=message["type"],
            key=message["key"],
            payload=message["payload"],
            occurred_at=datetime.fromisoformat(message["occurred_at"]),
        )

    @classmethod
    def from_row(cls, row: OutboxRow) -> Event:
        return cls(
            id=row.event_id, type=row.type, key=row.key, payload=row.payload, occurred_at=row.occurred_at
        )


def emit(session: AsyncSession, type: str, key: str | uuid.UUID, payload: dict[str, Any]) -> Event:
    """Record an event in the caller's transaction; it is published only if that transaction commits."""
    event = Event(type=type, key=str(key), payload=payload)
    session.add(
        OutboxRow(
            event_id=event.id,
            type=event.type,
            key=event.key,
            payload=event.payload,
            occurred_at=event.occurred_at,
        )
    )
    session.info[EVENTS_WRITTEN] = True
    return event
