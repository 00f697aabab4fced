"""How often one person may post: follows, comments, club chat messages, each kind counted on its own,
in Redis when several processes share the counts."""

from __future__ import annotations

import uuid
from typing import Final, Literal

from athlos.core.ratelimit import RateLimiter

Posting = Literal["follow", "comment", "kudos", "report", "message"]

POSTING_LIMITS: Final[dict[Posting, str]] = {
    "follow": "60/hour",
    "comment": "20/minute",
    "kudos": "120/minute",
    "report": "20/hour",
    # Chat goes fast in bursts, but not faster than people type.
    "message": "30/minute",
}


async def count_posting(limiter: RateLimiter, kind: Posting, user_id: uuid.UUID) -> None:
    """Count one post of ``kind`` by ``user_id``; :class:`RateLimited` (429) once they post too fast."""
    await limiter.hit(POSTING_LIMITS[kind], f"social-{kind}", str(user_id))
