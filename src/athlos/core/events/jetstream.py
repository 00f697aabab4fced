"""The production bus: outbox rows are published to NATS JetStream, handlers consume durably.

Each handler is a durable pull consumer filtered on its event types, so every worker process shares
the work of each handler and a restarted worker resumes where the acknowledged messages end. A message
is acknowledged only after its delivery is settled in the database (applied, or its failure recorded
for the retry loop), so a worker killed mid-batch leaves the unsettled messages to be redelivered.

Latency and throughput: an idle consumer keeps one pull waiting on the server, which hands a new
message over the moment it is published; the messages already waiting behind it are taken along, and
a consumer's messages are applied many per transaction (see ``delivery.deliver_batch``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Sequence
from typing import Any

import nats
import structlog
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StreamConfig
from nats.js.errors import NotFoundError
from sqlalchemy.engine import make_url

from athlos.core.db import OUTBOX_CHANNEL, Database
from athlos.core.events.delivery import BATCH_SECONDS, RetryPolicy, deliver_leading
from athlos.core.events.outbox import Event
from athlos.core.events.registry import Handler, HandlerRegistry
from athlos.core.events.relay import Wakeup, measure_lag, relay_batch, retry_due

log = structlog.get_logger(__name__)

PUBLISH_CONCURRENCY = 64
# Most messages of one consumer applied in one transaction.
FETCH_BATCH = 256
# An idle consumer's pull lingers this long on the server: a message published meanwhile is handed
# over at once, and an idle worker asks about once a second per consumer, not ten times.
IDLE_WAIT_SECONDS = 1.0
# After the first message, how long to gather the ones already waiting behind it into the batch.
GATHER_WAIT_SECONDS = 0.005


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
        js = await self.connect()
        semaphore = asyncio.Semaphore(PUBLISH_CONCURRENCY)

        async def publish_one(event: Event) -> None:
            async with semaphore:
                await js.publish(
                    self.subject(event.type),
                    json.dumps(event.to_message()).encode(),
                    headers={"Nats-Msg-Id": str(event.id)},
                )

        await asyncio.gather(*(publish_one(event) for event in events))

    async def run_relay(self, stop: asyncio.Event) -> None:
        listener = await self._listen_for_commits()
        log.info("outbox_relay_started", stream=self.stream)
        try:
            while not stop.is_set():
                try:
                    moved = await relay_batch(self.db, self.publish, batch_size=500)
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
        # One durable consumer per handler and event type: a single filter subject works on every
        # JetStream server (several filter subjects need 2.10, and older servers silently ignore them).
        await asyncio.gather(
            *(
                self._consume(handler, event_type, stop)
                for handler in chosen
                for event_type in handler.event_types
            )
        )

    async def _consume(self, handler: Handler, event_type: str, stop: asyncio.Event) -> None:
        js = await self.connect()
        durable = f"{handler.durable_name}--{re.sub(r'[^A-Za-z0-9_-]', '_', event_type)}"
        config = ConsumerConfig(
            durable_name=durable,
            filter_subject=self.subject(event_type),
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.ack_wait_seconds,
            max_ack_pending=1000,
        )
        subscription = await js.pull_subscribe(
            self.subject(event_type), durable=durable, stream=self.stream, config=config
        )
        while not stop.is_set():
            try:
                messages = await self._fetch(subscription)
            except Exception:
                log.exception("event_fetch_error", consumer=handler.name)
                await asyncio.sleep(1.0)
                continue
            await self._settle_batch(handler, messages)

    async def _fetch(self, subscription: JetStreamContext.PullSubscription) -> list[Msg]:
        """The next messages: waits for the first as long as the server holds the pull, then takes
        what is already waiting behind it without waiting for a full batch."""
        try:
            first = await subscription.fetch(1, timeout=IDLE_WAIT_SECONDS)
        except TimeoutError:
            return []
        try:
            more = await subscription.fetch(FETCH_BATCH - len(first), timeout=GATHER_WAIT_SECONDS)
        except TimeoutError:
            more = []  # nothing else waiting; a late answer stays queued for the next fetch
        return [*first, *more]

    async def _settle_batch(self, handler: Handler, messages: Sequence[Msg]) -> None:
        """The batch is applied in message order (so events of one key stay in order), many events per
        transaction; each message is acknowledged once its delivery is settled in the database."""
        settled: list[tuple[Msg, Event]] = []
        for message in messages:
            event = await self._decode(handler, message)
            if event is None:
                continue
            if event.type not in handler.event_types:
                await message.ack()  # not this handler's business
                continue
            settled.append((message, event))
        if not settled:
            return
        events = [event for _, event in settled]
        done = 0
        while done < len(settled):
            try:
                results = await deliver_leading(self.db, handler, events[done:], self.policy, BATCH_SECONDS)
            except Exception:
                # The database itself failed; leave the messages unacknowledged so they come back.
                log.exception("event_delivery_error", consumer=handler.name, events=len(settled) - done)
                return
            # Acknowledged as each transaction commits, well within the server's wait for an ack.
            await asyncio.gather(*(message.ack() for message, _ in settled[done : done + len(results)]))
            done += len(results)

    async def _decode(self, handler: Handler, message: Msg) -> Event | None:
        try:
            return Event.from_message(json.loads(message.data))
        except (ValueError, KeyError, TypeError):
            log.error("event_undecodable", consumer=handler.name, subject=message.subject)
            await message.term()
            return None
