"""One handler's share of a JetStream durable pull consumer: fetch, apply in lanes by key, acknowledge.

Every worker process that runs a handler pulls from the same durable consumer, so the server splits
its messages among them. A message (which may pack many events) is acknowledged only after the
delivery of each of its events is settled in the database (applied together with its processed-event
record, or its failure recorded for the retry loop). A worker killed mid-batch leaves its
unacknowledged messages to be redelivered after the ack wait, to a worker that finds the processed
records of those already applied and skips them: at least once on the bus, exactly once in effect.

Within a process, the events of fetched messages are dealt to a few lanes by their key. A lane
applies all it has waiting in one transaction (see ``delivery.deliver_leading``) and acknowledges
after the commit; lanes run at the same time, up to a number of transactions the whole process
shares, so the database round trips of one lane overlap with the work of the others while the events
of one key keep their order. Fetching goes on while lanes apply, up to about ``MAX_HELD`` events held
in the process.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Sequence

import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from athlos.core.db import Database
from athlos.core.events.delivery import BATCH_SECONDS, RetryPolicy, deliver_leading
from athlos.core.events.outbox import PACK_EVENTS, Event, unpack
from athlos.core.events.registry import Handler

log = structlog.get_logger(__name__)

# Lanes of one consumer in one process (one on SQLite, which has a single writer anyway).
LANES = 4
# Most messages asked for at once, and most events held in the process (fetched, not yet settled).
FETCH_BATCH = 512
MAX_HELD = 2 * FETCH_BATCH
# An idle consumer's pull lingers this long on the server: a message published meanwhile is handed
# over at once, and an idle worker asks about once a second per consumer, not ten times.
IDLE_WAIT_SECONDS = 1.0
# After the first message, how long to wait for the ones already waiting behind it.
GATHER_WAIT_SECONDS = 0.005


class Ticket:
    """A fetched message: acknowledged once the deliveries of all its events are settled, never if
    one of them could not be."""

    __slots__ = ("failed", "message", "unsettled")

    def __init__(self, message: Msg, events: int) -> None:
        self.message = message
        self.unsettled = events
        self.failed = False

    async def settled(self, ok: bool) -> None:
        self.unsettled -= 1
        self.failed = self.failed or not ok
        if self.unsettled == 0 and not self.failed:
            await self.message.ack()


Delivery = tuple[Ticket, Event]


class DurableConsumer:
    def __init__(
        self,
        db: Database,
        handler: Handler,
        policy: RetryPolicy,
        subscription: JetStreamContext.PullSubscription,
        transactions: asyncio.Semaphore,
    ) -> None:
        self.db = db
        self.handler = handler
        self.policy = policy
        self.subscription = subscription
        # Shared by every consumer of the process: at most this many apply transactions at once.
        self.transactions = transactions
        self.lanes = 1 if db.is_sqlite else LANES
        self._held = 0  # events fetched and not yet settled
        self._room = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        lanes: list[asyncio.Queue[Delivery | None]] = [asyncio.Queue() for _ in range(self.lanes)]
        appliers = [asyncio.create_task(self._apply_lane(lane)) for lane in lanes]
        try:
            while not stop.is_set():
                while self._held >= MAX_HELD:
                    self._room.clear()
                    await self._room.wait()
                try:
                    # A message may pack many events: ask for fewer messages the fuller the process is.
                    room = (MAX_HELD - self._held) // PACK_EVENTS
                    messages = await self._fetch(max(1, min(FETCH_BATCH, room)))
                except Exception:
                    log.exception("event_fetch_error", consumer=self.handler.name)
                    await asyncio.sleep(1.0)
                    continue
                for message in messages:
                    events = await self._decode(message)
                    if events is None:
                        continue
                    if events[0].type not in self.handler.event_types:
                        await message.ack()  # not this handler's business
                        continue
                    ticket = Ticket(message, len(events))
                    self._held += len(events)
                    for event in events:
                        lanes[zlib.crc32(event.key.encode()) % len(lanes)].put_nowait((ticket, event))
        finally:
            # Lanes finish what they hold, so a stopping worker acknowledges what it applied.
            for lane in lanes:
                lane.put_nowait(None)
            await asyncio.gather(*appliers)

    async def _fetch(self, batch: int) -> list[Msg]:
        """The next messages: waits for the first as long as the server holds the pull, then takes
        what is already waiting behind it without waiting for a full batch."""
        try:
            first = await self.subscription.fetch(1, timeout=IDLE_WAIT_SECONDS)
        except TimeoutError:
            return []
        if batch <= len(first):
            return first
        try:
            more = await self.subscription.fetch(batch - len(first), timeout=GATHER_WAIT_SECONDS)
        except TimeoutError:
            more = []  # nothing else waiting; a late answer stays queued for the next fetch
        return [*first, *more]

    async def _apply_lane(self, lane: asyncio.Queue[Delivery | None]) -> None:
        closing = False
        while not closing:
            first = await lane.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < FETCH_BATCH and not lane.empty():
                item = lane.get_nowait()
                if item is None:
                    closing = True
                    break
                batch.append(item)
            try:
                await self._settle(batch)
            finally:
                self._held -= len(batch)
                self._room.set()

    async def _settle(self, batch: Sequence[Delivery]) -> None:
        """Applies the batch in order, many events per transaction; each message is acknowledged once
        its delivery is settled in the database."""
        events = [event for _, event in batch]
        done = 0
        while done < len(batch):
            try:
                async with self.transactions:
                    results = await deliver_leading(
                        self.db, self.handler, events[done:], self.policy, BATCH_SECONDS
                    )
            except Exception:
                # The database itself failed; leave the messages unacknowledged so they come back.
                log.exception("event_delivery_error", consumer=self.handler.name, events=len(batch) - done)
                for ticket, _ in batch[done:]:
                    await ticket.settled(False)
                return
            # Acknowledged as each transaction commits, well within the server's wait for an ack.
            for ticket, _ in batch[done : done + len(results)]:
                await ticket.settled(True)
            done += len(results)

    async def _decode(self, message: Msg) -> list[Event] | None:
        try:
            return unpack(message.data)
        except (ValueError, KeyError, TypeError):
            log.error("event_undecodable", consumer=self.handler.name, subject=message.subject)
            await message.term()
            return None
