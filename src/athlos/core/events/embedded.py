"""The in-process bus of the embedded deployment: the relay calls handlers directly."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import structlog

from athlos.core.db import Database
from athlos.core.events.delivery import RetryPolicy, deliver
from athlos.core.events.outbox import Event
from athlos.core.events.registry import HandlerRegistry
from athlos.core.events.relay import Wakeup, measure_lag, relay_batch, retry_due

log = structlog.get_logger(__name__)


class EmbeddedBus:
    def __init__(
        self, db: Database, handlers: HandlerRegistry, policy: RetryPolicy, poll_seconds: float = 0.2
    ) -> None:
        self.db = db
        self.handlers = handlers
        self.policy = policy
        self.poll_seconds = poll_seconds
        self.wakeup = Wakeup()
        db.commit_listeners.append(self.wakeup.set)

    async def _publish(self, events: Sequence[Event]) -> None:
        for event in events:
            for handler in self.handlers.for_type(event.type):
                await deliver(self.db, handler, event, self.policy)

    async def run_once(self) -> int:
        """Relay one batch and retry what is due; returns how much work was done."""
        return await relay_batch(self.db, self._publish) + await retry_due(
            self.db, self.handlers, self.policy
        )

    async def drain(self, max_rounds: int = 1000) -> None:
        """Run until nothing is left to relay or retry now (tests and one-shot commands)."""
        for _ in range(max_rounds):
            if await self.run_once() == 0:
                return
        raise RuntimeError("the outbox did not drain")

    async def run(self, stop: asyncio.Event) -> None:
        log.info("event_bus_started", kind="embedded", handlers=len(self.handlers.handlers))
        while not stop.is_set():
            try:
                if await self.run_once() == 0:
                    await measure_lag(self.db)
                    await self.wakeup.wait(self.poll_seconds)
            except Exception:
                log.exception("event_bus_error")
                await self.wakeup.wait(self.poll_seconds * 10)
