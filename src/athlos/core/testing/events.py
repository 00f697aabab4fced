"""``capture_events``: the outbox events written inside a block, like Zulip's capture_send_event_calls."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events.models import OutboxRow
from athlos.core.events.outbox import Event


@dataclass
class CapturedEvents:
    events: list[Event] = field(default_factory=list)

    @property
    def types(self) -> list[str]:
        return [event.type for event in self.events]

    def of_type(self, event_type: str) -> list[Event]:
        return [event for event in self.events if event.type == event_type]

    def one(self, event_type: str) -> Event:
        found = self.of_type(event_type)
        assert len(found) == 1, f"expected one {event_type!r} event, got {self.types}"
        return found[0]


@asynccontextmanager
async def capture_events(session: AsyncSession) -> AsyncIterator[CapturedEvents]:
    """Collects, after the block, the events written to the outbox through ``session`` during it."""
    captured = CapturedEvents()
    before = await session.scalar(select(func.coalesce(func.max(OutboxRow.id), 0)))
    yield captured
    await session.flush()
    rows = await session.scalars(select(OutboxRow).where(OutboxRow.id > before).order_by(OutboxRow.id))
    captured.events.extend(Event.from_row(row) for row in rows)
