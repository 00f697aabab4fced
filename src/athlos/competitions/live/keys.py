"""Redis keys of a live race. Every key of one race carries the hash tag ``{live:<race>}``, so in a Redis
Cluster a race lives on one shard and its Lua script touches keys of one slot."""

from __future__ import annotations

import uuid
from typing import Final

RACES: Final = "live:races"  # the races with progress in Redis (the flusher's list), outside any tag


class RaceKeys:
    def __init__(self, race_id: uuid.UUID) -> None:
        tag = f"{{live:{race_id}}}"
        self.tokens = f"{tag}:tokens"  # token hash -> registration id
        self.who = f"{tag}:who"  # registration id -> JSON of bib, name, scopes
        self.dirty = f"{tag}:dirty"  # registration id -> seq not yet in the database
        self.finished = f"{tag}:finished"  # registration id -> finish time whose Result is not written
        self.version = f"{tag}:version"  # hash: n (updates so far), at (ms of the last one)
        self.flushing = f"{tag}:flushing"  # the process flushing the race now (a lapsing claim)
        self.overall = f"{tag}:lb"

    def progress(self, registration_id: uuid.UUID | str) -> str:
        return f"{self.overall[: -len(':lb')]}:p:{registration_id}"

    def board(self, scope: str) -> str:
        """``overall``, ``country:XX``, ``region:XX-YY`` or ``category:M40``."""
        return self.overall if scope == "overall" else f"{self.overall}:{scope}"
