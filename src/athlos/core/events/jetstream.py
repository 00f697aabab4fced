"""The production bus: outbox rows are published to NATS JetStream, handlers consume durably.

The relay claims a batch of outbox rows in one statement and publishes it without waiting message by
message: every message goes out at once and the server's acknowledgements are awaited together, before
the claim commits (see ``relay.relay_batch``). A message packs many events of one type, in order (see
``packed_messages``), and carries a digest of its content as ``Nats-Msg-Id``, so the server drops a
batch republished after a crash.

Each handler is a durable pull consumer filtered on its event types, so every worker process shares
the work of each handler and a restarted worker resumes where the acknowledged messages end (see
``consumer.DurableConsumer`` for how a process applies and acknowledges them).

Latency and throughput: an idle consumer keeps one pull waiting on the server, which hands a new
message over the moment it is published; under load a consumer fetches while its lanes apply, and
each lane applies what it has waiting in one transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
from collections.abc import Iterator, Sequence
from typing import Any

import nats
import structlog
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StreamConfig
from nats.js.errors import NotFoundError
from sqlalchemy.engine import make_url

from athlos.core.db import OUTBOX_CHANNEL, Database
from athlos.core.events.consumer import MAX_HELD, DurableConsumer
from athlos.core.events.delivery import RetryPolicy
from athlos.core.events.outbox import PACK_BYTES, PACK_EVENTS, Event, pack
from athlos.core.events.registry import Handler, HandlerRegistry
from athlos.core.events.relay import Wakeup, measure_lag, relay_batch, retry_due

log = structlog.get_logger(__name__)

# Longest the relay waits for the server to acknowledge a published batch before it tries again.
PUBLISH_ACK_TIMEOUT_SECONDS = 10.0
# Apply transactions open at once in a worker process, over all its consumers and lanes.
APPLY_TRANSACTIONS = 8


def packed_messages(events: Sequence[Event]) -> Iterator[tuple[str, bytes]]:
    """``events`` as bus messages of one type each, in order within a type: up to ``PACK_EVENTS``
    events and about ``PACK_BYTES`` per message."""
    by_type: dict[str, list[Event]] = {}
    for event in events:
        by_type.setdefault(event.type, []).append(event)
    for event_type, of_type in by_type.items():
        for start in range(0, len(of_type), PACK_EVENTS):
            chunk = of_type[start : start + PACK_EVENTS]
            data = pack(chunk)
            while len(data) > PACK_BYTES and len(chunk) > 1:
                # Large payloads: halve until the message fits.
                half = len(chunk) // 2
                yield from packed_messages(chunk[:half])
                chunk = chunk[half:]
                data = pack(chunk)
            yield event_type, data


def message_id(data: bytes) -> str:
    """The message's ``Nats-Msg-Id``: a digest of its content, so the server drops a message
    republished after a crash and never one that holds other events."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class JetStreamBus:
    def __init__(
        self,
        db: Database,
        handlers: HandlerRegistry,
        policy: RetryPolicy,
        *,
        url: str,
        stream: str = "athlos",
        poll_seconds: float = 0.2,
        ack_wait_seconds: float = 30.0,
    ) -> None:
        self.db = db
        self.handlers = handlers
        self.policy = policy
        self.url = url
        self.stream = stream
        self.poll_seconds = poll_seconds
        # Redelivery of a message whose worker died; longer than any handler should run.
        self.ack_wait_seconds = ack_wait_seconds
        self.wakeup = Wakeup()
        self._nc: NATS | None = None
        self._js: JetStreamContext | None = None

    def subject(self, event_type: str) -> str:
        return f"{self.stream}.events.{event_type}"

    async def connect(self) -> JetStreamContext:
        if self._js is None:
            self._nc = await nats.connect(self.url, name="athlos", max_reconnect_attempts=-1)
            self._js = self._nc.jetstream()
            await self._ensure_stream(self._js)
        return self._js

    async def _ensure_stream(self, js: JetStreamContext) -> None:
        config = StreamConfig(
            name=self.stream,
            subjects=[f"{self.stream}.events.>"],
            duplicate_window=300.0,
            max_age=7 * 24 * 3600.0,
        )
        try:
            await js.stream_info(self.stream)
        except NotFoundError:
            await js.add_stream(config)

    async def close(self) -> None:
        if self._nc is not None:
            # Every message is acknowledged (or left to redeliver) before this point; a drain would
            # only wait on the idle pull subscriptions.
            with contextlib.suppress(Exception):
                await self._nc.close()
        self._nc = None
        self._js = None

    # --- publishing -------------------------------------------------------------------------------

    async def publish(self, events: Sequence[Event]) -> None:
        """Publish ``events`` in order and return once the server has stored every one of them."""
        js = await self.connect()
        acks = [
            await js.publish_async(self.subject(event_type), data, headers={"Nats-Msg-Id": message_id(data)})
            for event_type, data in packed_messages(events)
        ]
        async with asyncio.timeout(PUBLISH_ACK_TIMEOUT_SECONDS):
            await asyncio.gather(*acks)

    async def run_relay(self, stop: asyncio.Event) -> None:
        listener = await self._listen_for_commits()
        log.info("outbox_relay_started", stream=self.stream)
        try:
            while not stop.is_set():
                try:
                    moved = await relay_batch(self.db, self.publish)
                    moved += await retry_due(self.db, self.handlers, self.policy)
                    if moved == 0:
                        await measure_lag(self.db)
                        await self.wakeup.wait(self.poll_seconds)
                except Exception:
                    log.exception("outbox_relay_error")
                    await self.wakeup.wait(self.poll_seconds * 10)
        finally:
            if listener is not None:
                with contextlib.suppress(Exception):
                    await listener.close()

    async def _listen_for_commits(self) -> Any:
        """On PostgreSQL, wake the relay as soon as any process commits events."""
        if self.db.is_sqlite:
            self.db.commit_listeners.append(self.wakeup.set)
            return None
        import asyncpg

        url = make_url(self.db.url).set(drivername="postgresql")
        connection = await asyncpg.connect(url.render_as_string(hide_password=False))
        await connection.add_listener(OUTBOX_CHANNEL, lambda *_: self.wakeup.set())
        return connection

    # --- consuming --------------------------------------------------------------------------------

    async def run_consumers(self, stop: asyncio.Event, handlers: Sequence[Handler] | None = None) -> None:
        chosen = list(handlers if handlers is not None else self.handlers.handlers)
        await self.connect()
        log.info("event_consumers_started", stream=self.stream, handlers=[h.name for h in chosen])
        transactions = asyncio.Semaphore(APPLY_TRANSACTIONS)
        # One durable consumer per handler and event type: a single filter subject works on every
        # JetStream server (several filter subjects need 2.10, and older servers silently ignore them).
        consumers = [
            DurableConsumer(
                self.db, handler, self.policy, await self._subscribe(handler, event_type), transactions
            )
            for handler in chosen
            for event_type in handler.event_types
        ]
        await asyncio.gather(*(consumer.run(stop) for consumer in consumers))

    async def _subscribe(self, handler: Handler, event_type: str) -> JetStreamContext.PullSubscription:
        js = await self.connect()
        durable = f"{handler.durable_name}--{re.sub(r'[^A-Za-z0-9_-]', '_', event_type)}"
        config = ConsumerConfig(
            durable_name=durable,
            filter_subject=self.subject(event_type),
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.ack_wait_seconds,
            # Room for a few worker processes, each holding up to MAX_HELD events (as many messages at most).
            max_ack_pending=4 * MAX_HELD,
        )
        return await js.pull_subscribe(
            self.subject(event_type), durable=durable, stream=self.stream, config=config
        )
