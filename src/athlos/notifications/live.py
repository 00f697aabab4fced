"""Telling open pages that a person's unread count changed, in every web process.

After a transaction that changed someone's inbox commits, their id is published on the notifications
hub's Redis channel (:mod:`athlos.core.live`); each web process wakes the streams of those people, which
read the count again. Without Redis (one process, the embedded default) the wake-up stays in the process.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.live import Hub
from athlos.settings import get_settings

CHANNEL = "athlos:notifications:changed"


def redis_url() -> str | None:
    """Where changes are published; the process's settings (tests point it elsewhere)."""
    return get_settings().redis_url


hub = Hub(CHANNEL, lambda: redis_url())


def changed_after_commit(session: AsyncSession, user_ids: Iterable[uuid.UUID]) -> None:
    """Announce that these people's inboxes changed, if and when the session's transaction commits."""
    hub.after_commit(session, sorted((str(user_id), None) for user_id in set(user_ids)))
