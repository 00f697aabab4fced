"""Writing events: ``emit()`` appends to the outbox inside the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.db import EVENTS_WRITTEN, utcnow
from athlos.core.events.models import OutboxRow
from athlos.core.ids import new_id

# Most events in one bus message, and about the most bytes: a packed message costs the relay and the
# consumers one publish, one acknowledgement and one delivery for many events.
PACK_EVENTS = 100
PACK_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class Event:
    """What happened, to whom (``key``), with ids and the few facts consumers need."""

    type: str
    key: str
    payload: dict[str, Any]
    id: uuid.UUID = field(default_factory=new_id)
    occurred_at: datetime = field(default_factory=utcnow)

    def to_message(self) -> bytes:
        """The event as a bus message: JSON with the id and time as strings."""
        return orjson.dumps(self._as_json())

    def _as_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "type": self.type,
            "key": self.key,
            "payload": self.payload,
            "occurred_at": self.occurred_at,
        }

    @classmethod
    def from_message(cls, data: bytes) -> Event:
        """The event of a bus message; ``ValueError``, ``KeyError`` or ``TypeError`` if it is none."""
        return cls._from_json(orjson.loads(data))

    @classmethod
    def _from_json(cls, message: dict[str, Any]) -> Event:
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


def pack(events: Sequence[Event]) -> bytes:
    """Several events, in order, as one bus message: a JSON array of what ``to_message`` writes."""
    return orjson.dumps([event._as_json() for event in events])


def unpack(data: bytes) -> list[Event]:
    """The events of a bus message, packed or single; ``ValueError``, ``KeyError`` or ``TypeError``
    if it holds none."""
    message = orjson.loads(data)
    if isinstance(message, list):
        if not message:
            raise ValueError("an empty packed message")
        return [Event._from_json(item) for item in message]
    return [Event._from_json(message)]


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


async def emit_many(
    session: AsyncSession, type: str, events: Sequence[tuple[str | uuid.UUID, dict[str, Any]]]
) -> int:
    """Record many events of one type (a ``(key, payload)`` each) in one statement of the caller's
    transaction, for fan-outs to thousands of people; returns how many."""
    if not events:
        return 0
    now = utcnow()
    rows = [
        {"event_id": new_id(), "type": type, "key": str(key), "payload": payload, "occurred_at": now}
        for key, payload in events
    ]
    await session.execute(insert(OutboxRow), rows)
    session.info[EVENTS_WRITTEN] = True
    return len(rows)
