"""Domain events: written to a transactional outbox, relayed to handlers at least once, applied once."""

from athlos.core.events.outbox import Event, emit, emit_many
from athlos.core.events.registry import Handler, HandlerRegistry, on, registry

__all__ = ["Event", "Handler", "HandlerRegistry", "emit", "emit_many", "on", "registry"]
