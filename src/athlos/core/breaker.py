"""Circuit breakers around outbound calls (mail, the OpenID provider, push services, the shop).

One breaker per outbound service, by name. Closed, calls go through; after ``failure_threshold``
failures in a row it opens and calls fail fast with :class:`CircuitOpen` instead of waiting on a dead
server; after ``cooldown_seconds`` it is half-open and lets one trial call through (the others still fail
fast); the trial's success closes it, its failure opens it again. Any success closes it.

The state lives in Redis when ``ATHLOS_REDIS_URL`` is set, so every process stops calling a dead server
together, and in this process otherwise (or while Redis itself cannot be reached). An event handler
whose call meets an open breaker raises, so the event bus retries it later, by then perhaps closed.

Use it around any outbound call, as a context manager or a decorator::

    async with circuit(settings, "smtp:mail.example:587", failure=is_server_trouble):
        await aiosmtplib.send(...)
"""

from __future__ import annotations

import asyncio
import enum
import functools
import math
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import ParamSpec, Protocol, TypeVar

import structlog
from prometheus_client import Counter, Gauge
from redis.asyncio import Redis
from redis.exceptions import RedisError

from athlos.core.errors import ServiceUnavailable
from athlos.settings import Settings

log = structlog.get_logger(__name__)

STATE = Gauge("athlos_circuit_breaker_state", "Outbound circuit: 0 closed, 1 half-open, 2 open", ["service"])
OPENED = Counter("athlos_circuit_breaker_opened_total", "Times an outbound circuit opened", ["service"])
REJECTED = Counter(
    "athlos_circuit_breaker_rejected_total", "Outbound calls failed fast by an open circuit", ["service"]
)

P = ParamSpec("P")
T = TypeVar("T")


class BreakerState(enum.IntEnum):
    CLOSED = 0
    HALF_OPEN = 1
    OPEN = 2


class CircuitOpen(ServiceUnavailable):
    code = "circuit_open"

    def __init__(self, service: str, retry_after: float) -> None:
        seconds = max(1, math.ceil(retry_after))
        super().__init__(
            f"{service} is not answering; calls to it resume in {seconds} s.",
            headers={"Retry-After": str(seconds)},
            service=service,
            retry_after=seconds,
        )


@dataclass(frozen=True, slots=True)
class BreakerPolicy:
    failure_threshold: int = 5
    cooldown_seconds: float = 30.0
    # How long a trial call may take before another caller may try in its place.
    trial_seconds: float = 60.0

    @classmethod
    def from_settings(cls, settings: Settings) -> BreakerPolicy:
        return cls(
            settings.breaker_failure_threshold,
            settings.breaker_cooldown_seconds,
            settings.breaker_trial_seconds,
        )


@dataclass(frozen=True, slots=True)
class Admission:
    allowed: bool
    state: BreakerState
    retry_after: float = 0.0


class BreakerStore(Protocol):
    async def admit(self, name: str, policy: BreakerPolicy) -> Admission: ...

    async def failed(self, name: str, policy: BreakerPolicy) -> bool:
        """Count a failure; whether it opened the circuit."""
        ...

    async def succeeded(self, name: str) -> None: ...

    async def state(self, name: str) -> BreakerState: ...


@dataclass
class _Circuit:
    failures: int = 0
    opened_until: float | None = None
    trial_until: float = 0.0


class MemoryBreakerStore:
    """The circuits of this process; no awaits inside, so each step is atomic on the event loop."""

    def __init__(self) -> None:
        self._circuits: dict[str, _Circuit] = {}

    async def admit(self, name: str, policy: BreakerPolicy) -> Admission:
        circuit = self._circuits.get(name)
        if circuit is None or circuit.opened_until is None:
            return Admission(True, BreakerState.CLOSED)
        now = time.monotonic()
        if now < circuit.opened_until:
            return Admission(False, BreakerState.OPEN, circuit.opened_until - now)
        if now >= circuit.trial_until:
            circuit.trial_until = now + policy.trial_seconds
            return Admission(True, BreakerState.HALF_OPEN)
        return Admission(False, BreakerState.HALF_OPEN, circuit.trial_until - now)

    async def failed(self, name: str, policy: BreakerPolicy) -> bool:
        circuit = self._circuits.setdefault(name, _Circuit())
        circuit.failures += 1
        now = time.monotonic()
        if circuit.opened_until is not None and now < circuit.opened_until:
            return False  # a late failure of a call let through before it opened
        if circuit.opened_until is None and circuit.failures < policy.failure_threshold:
            return False
        circuit.opened_until, circuit.trial_until = now + policy.cooldown_seconds, 0.0
        return True

    async def succeeded(self, name: str) -> None:
        self._circuits.pop(name, None)

    async def state(self, name: str) -> BreakerState:
        circuit = self._circuits.get(name)
        if circuit is None or circuit.opened_until is None:
            return BreakerState.CLOSED
        return BreakerState.OPEN if time.monotonic() < circuit.opened_until else BreakerState.HALF_OPEN


# Redis keeps per circuit a hash {failures, opened_until} and a trial lease; times are Redis's clock,
# the same for every process. Each script is one atomic step.
_NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) + tonumber(t[2]) / 1000000 "
_ADMIT = (
    _NOW
    + """
local opened_until = tonumber(redis.call('HGET', KEYS[1], 'opened_until'))
if not opened_until then return {0, '0'} end
if now < opened_until then return {2, tostring(opened_until - now)} end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return {1, '0'} end
return {3, tostring(redis.call('PTTL', KEYS[2]) / 1000)}
"""
)
_FAILED = (
    _NOW
    + """
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local opened_until = tonumber(redis.call('HGET', KEYS[1], 'opened_until'))
local opened = 0
if not (opened_until and now < opened_until) and (opened_until or failures >= tonumber(ARGV[1])) then
  redis.call('HSET', KEYS[1], 'opened_until', tostring(now + tonumber(ARGV[2])))
  redis.call('DEL', KEYS[2])
  opened = 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return opened
"""
)
_STATE = (
    _NOW
    + """
local opened_until = tonumber(redis.call('HGET', KEYS[1], 'opened_until'))
if not opened_until then return 0 end
if now < opened_until then return 2 end
return 1
"""
)
# A circuit no call has touched for a day is forgotten (closed).
_KEEP_MS = 24 * 3600 * 1000


class RedisBreakerStore:
    """Circuits shared by every process through Redis; this process's own while Redis is away."""

    def __init__(self, redis: Redis, fallback: MemoryBreakerStore, prefix: str = "athlos:breaker:") -> None:
        self.redis = redis
        self.fallback = fallback
        self.prefix = prefix
        self._admit = redis.register_script(_ADMIT)
        self._failed = redis.register_script(_FAILED)
        self._state = redis.register_script(_STATE)

    def _keys(self, name: str) -> list[str]:
        return [f"{self.prefix}{name}", f"{self.prefix}{name}:trial"]

    async def admit(self, name: str, policy: BreakerPolicy) -> Admission:
        try:
            code, wait = await self._admit(self._keys(name), [math.ceil(policy.trial_seconds * 1000)])
        except (RedisError, OSError):
            log.warning("breaker_store_unreachable", service=name)
            return await self.fallback.admit(name, policy)
        state = (BreakerState.CLOSED, BreakerState.HALF_OPEN, BreakerState.OPEN, BreakerState.HALF_OPEN)[code]
        return Admission(code in (0, 1), state, float(wait))

    async def failed(self, name: str, policy: BreakerPolicy) -> bool:
        arguments = [policy.failure_threshold, policy.cooldown_seconds, _KEEP_MS]
        try:
            return bool(await self._failed(self._keys(name), arguments))
        except (RedisError, OSError):
            return await self.fallback.failed(name, policy)

    async def succeeded(self, name: str) -> None:
        try:
            await self.redis.delete(*self._keys(name))
        except (RedisError, OSError):
            await self.fallback.succeeded(name)

    async def state(self, name: str) -> BreakerState:
        try:
            return BreakerState(int(await self._state(self._keys(name)[:1])))
        except (RedisError, OSError):
            return await self.fallback.state(name)


Failure = Callable[[Exception], bool]


def _every_exception(_: Exception) -> bool:
    return True


class CircuitBreaker:
    """The breaker of one outbound service. ``failure`` says which exceptions of the call count against
    the service (by default all; e.g. not a mail server's permanent refusal of one address)."""

    def __init__(
        self, name: str, store: BreakerStore, policy: BreakerPolicy, failure: Failure = _every_exception
    ) -> None:
        self.name = name
        self.store = store
        self.policy = policy
        self.failure = failure

    async def __aenter__(self) -> CircuitBreaker:
        admission = await self.store.admit(self.name, self.policy)
        _known.add(self.name)
        STATE.labels(self.name).set(admission.state)
        if not admission.allowed:
            REJECTED.labels(self.name).inc()
            raise CircuitOpen(self.name, admission.retry_after)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is None or (isinstance(exc, Exception) and not self.failure(exc)):
            # The service answered (perhaps refusing this one call): it is up.
            await self.store.succeeded(self.name)
            STATE.labels(self.name).set(BreakerState.CLOSED)
        elif isinstance(exc, Exception) and await self.store.failed(self.name, self.policy):
            OPENED.labels(self.name).inc()
            STATE.labels(self.name).set(BreakerState.OPEN)
            log.warning("circuit_opened", service=self.name, error=f"{type(exc).__name__}: {exc}")

    def __call__(self, fn: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        """Guard every call of ``fn``."""

        @functools.wraps(fn)
        async def guarded(*args: P.args, **kwargs: P.kwargs) -> T:
            async with self:
                return await fn(*args, **kwargs)

        return guarded

    async def state(self) -> BreakerState:
        return await self.store.state(self.name)


_memory = MemoryBreakerStore()
# One Redis client per event loop and URL (a client's connections belong to the loop that made them).
_redis_stores: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, RedisBreakerStore]] = (
    weakref.WeakKeyDictionary()
)
# The circuits this process has used, for the gauge on /metrics.
_known: set[str] = set()


def breaker_store(redis_url: str | None) -> BreakerStore:
    if not redis_url:
        return _memory
    stores = _redis_stores.setdefault(asyncio.get_running_loop(), {})
    if redis_url not in stores:
        stores[redis_url] = RedisBreakerStore(Redis.from_url(redis_url), _memory)
    return stores[redis_url]


def circuit(settings: Settings, name: str, failure: Failure = _every_exception) -> CircuitBreaker:
    """The breaker of the outbound service ``name``, stored as the settings say."""
    return CircuitBreaker(
        name, breaker_store(settings.redis_url), BreakerPolicy.from_settings(settings), failure
    )


def local_circuit(name: str, policy: BreakerPolicy, failure: Failure = _every_exception) -> CircuitBreaker:
    """A breaker of this process only: for the shared stores themselves (Redis), which cannot hold it."""
    return CircuitBreaker(name, _memory, policy, failure)


async def measure_breakers(settings: Settings) -> None:
    """Set the state gauge of every circuit this process has used, as the store sees it now (other
    processes may have opened or closed it since)."""
    store = breaker_store(settings.redis_url)
    for name in sorted(_known):
        STATE.labels(name).set(await store.state(name))
