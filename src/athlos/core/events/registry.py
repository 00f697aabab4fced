"""Event handlers: ``@on("activity.created")`` registers a coroutine that applies one event."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events.outbox import Event

HandlerFn = Callable[[AsyncSession, Event], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Handler:
    name: str
    event_types: tuple[str, ...]
    fn: HandlerFn

    @property
    def durable_name(self) -> str:
        """The handler's name as a NATS consumer name (letters, digits, dashes and underscores)."""
        return re.sub(r"[^A-Za-z0-9_-]", "_", self.name)


class HandlerRegistry:
    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}

    def on(self, *event_types: str) -> Callable[[HandlerFn], HandlerFn]:
        def register(fn: HandlerFn) -> HandlerFn:
            name = f"{fn.__module__}.{fn.__qualname__}"
            self._handlers[name] = Handler(name=name, event_types=event_types, fn=fn)
            return fn

        return register

    @property
    def handlers(self) -> list[Handler]:
        return list(self._handlers.values())

    def get(self, name: str) -> Handler | None:
        return self._handlers.get(name)

    def for_type(self, event_type: str) -> list[Handler]:
        return [h for h in self._handlers.values() if event_type in h.event_types]

    def by_type(self) -> dict[str, list[Handler]]:
        grouped: dict[str, list[Handler]] = defaultdict(list)
        for handler in self._handlers.values():
            for event_type in handler.event_types:
                grouped[event_type].append(handler)
        return grouped


registry = HandlerRegistry()
on = registry.on
