"""Throttling password guessing, per account and per IP, in the limiter's storage (Redis when shared).

Five failed sign-ins within the window lock the account (or the IP) for a while; each further lock in
the same day doubles the lock's length. While locked, no password is even checked, so a correct guess
during a lockout does not sign in. An unknown email is throttled exactly like a known one.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from athlos.accounts.errors import TooManyAttempts
from athlos.core.ratelimit import RateLimiter

ACCOUNT_FAILURES = 5
# Many people can share one address (offices, mobile carriers), so an IP gets more room than an account.
IP_FAILURES = 20
FAILURE_WINDOW_SECONDS = 15 * 60
FIRST_LOCK_SECONDS = 60
MAX_LOCK_SECONDS = 24 * 60 * 60
LOCK_MEMORY_SECONDS = 24 * 60 * 60


@dataclass(frozen=True, slots=True)
class Subject:
    kind: str  # "account" or "ip"
    value: str
    max_failures: int

    def key(self, what: str) -> str:
        return f"login:{what}:{self.kind}:{self.value}"


def subjects(email: str, ip: str) -> tuple[Subject, Subject]:
    return Subject("account", email, ACCOUNT_FAILURES), Subject("ip", ip, IP_FAILURES)


class LoginThrottle:
    def __init__(self, limiter: RateLimiter) -> None:
        self.storage = limiter.storage

    async def check(self, *subjects: Subject) -> None:
        """Raise :class:`TooManyAttempts` when any subject is locked."""
        for subject in subjects:
            if await self.storage.get(subject.key("lock")) > 0:
                expires = await self.storage.get_expiry(subject.key("lock"))
                raise TooManyAttempts(
                    max(1, math.ceil(expires - time.time())),
                    "Too many failed sign-in attempts; try again later.",
                )

    async def failed(self, *subjects: Subject) -> list[Subject]:
        """Count a failure; returns the subjects this failure locked."""
        locked = []
        for subject in subjects:
            failures = await self.storage.incr(subject.key("failures"), FAILURE_WINDOW_SECONDS)
            if failures >= subject.max_failures:
                await self._lock(subject)
                locked.append(subject)
        return locked

    async def succeeded(self, subject: Subject) -> None:
        await self.storage.clear(subject.key("failures"))

    async def _lock(self, subject: Subject) -> None:
        level = await self.storage.incr(subject.key("locks"), LOCK_MEMORY_SECONDS)
        seconds = min(FIRST_LOCK_SECONDS * 2 ** (level - 1), MAX_LOCK_SECONDS)
        await self.storage.clear(subject.key("failures"))
        await self.storage.clear(subject.key("lock"))
        await self.storage.incr(subject.key("lock"), seconds)

    async def lock_seconds_left(self, subject: Subject) -> int:
        if await self.storage.get(subject.key("lock")) <= 0:
            return 0
        return max(0, math.ceil(await self.storage.get_expiry(subject.key("lock")) - time.time()))
