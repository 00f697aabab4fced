"""Notification fan-out: one event to N recipients (inbox rows + queued pushes), then push sends/s.

For each size N: N people (the first ``--sends`` of them with a push subscription at a local push
endpoint) get one notification of a broadcast type; we time ``fan_out`` up to its commit (inbox rows,
push deliveries and their outbox jobs all written), then run the queued push jobs through the embedded
bus — each encrypted (RFC 8291) and VAPID-signed for its device — and report sends/s. One JSON
document on stdout.

Needs ATHLOS_BENCH_DATABASE_URL (default: a fresh database on the local PostgreSQL, dropped after);
``--sqlite`` uses a temporary SQLite file instead. ``--sizes 1000,10000 --sends 2000``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
from aiohttp import web
from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.notifications.push_service import Device  # noqa: E402

from athlos.accounts.models import User  # noqa: E402
from athlos.core.db import Base, Database, utcnow  # noqa: E402
from athlos.core.events import Event, registry  # noqa: E402
from athlos.core.events.delivery import RetryPolicy  # noqa: E402
from athlos.core.events.embedded import EmbeddedBus  # noqa: E402
from athlos.core.ids import new_id  # noqa: E402
from athlos.core.migrate import upgrade  # noqa: E402
from athlos.modules import load_handlers, load_models  # noqa: E402
from athlos.notifications import delivery, service  # noqa: E402
from athlos.notifications.models import Delivery, Notification, PushSubscription  # noqa: E402
from athlos.notifications.registry import ACTIVITY, INBOX, PUSH, NotificationType  # noqa: E402
from athlos.settings import Settings  # noqa: E402

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/athlos_bench_notifications"


async def admin(url: str, statement: str) -> None:
    target = make_url(url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(target.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


class PushEndpoint:
    """A push service that takes everything (201) and counts it."""

    def __init__(self) -> None:
        self.received = 0

    async def handle(self, request: web.Request) -> web.Response:
        await request.read()
        self.received += 1
        return web.Response(status=201)


async def seed(db: Database, size: int, sends: int, endpoint: str) -> list[uuid.UUID]:
    ids = [new_id() for _ in range(size)]
    now = utcnow()
    devices = [Device(endpoint=f"{endpoint}/push/{n}").subscription() for n in range(min(sends, size))]
    async with db.unit_of_work() as session:
        for start in range(0, size, 1000):
            chunk = ids[start : start + 1000]
            await session.execute(
                insert(User),
                [
                    {
                        "id": user_id,
                        "email": f"bench-{user_id.hex}@example.org",
                        "display_name": "Bench",
                        "password_hash": "-",
                        "email_verified_at": now,
                        "totp_enabled": False,
                        "created_at": now,
                        "password_changed_at": now,
                    }
                    for user_id in chunk
                ],
            )
        for start in range(0, len(devices), 1000):
            await session.execute(
                insert(PushSubscription),
                [
                    {
                        "id": new_id(),
                        "user_id": ids[start + n],
                        "endpoint": device["endpoint"],
                        "p256dh": device["keys"]["p256dh"],
                        "auth": device["keys"]["auth"],
                        "device": "bench",
                        "created_at": now,
                    }
                    for n, device in enumerate(devices[start : start + 1000])
                ],
            )
    return ids


async def empty(db: Database) -> None:
    async with db.unit_of_work() as session:
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(delete(table))


async def run_size(
    db: Database, settings: Settings, size: int, sends: int, pushes: PushEndpoint, url: str
) -> dict:
    await empty(db)
    ids = await seed(db, size, sends, url)

    async def everyone(_session: object, _event: Event) -> list[uuid.UUID]:
        return ids

    kind = NotificationType(
        name="bench.broadcast",
        event="bench.broadcast",
        category=ACTIVITY,
        texts=lambda _, p: ("A new challenge starts today", "Join it from the challenges page."),
        channels=frozenset({INBOX, PUSH}),
        recipients=everyone,  # type: ignore[arg-type]
    )
    event = Event(type=kind.event, key="bench", payload={"challenge_id": str(new_id())})
    started = time.perf_counter()
    async with db.unit_of_work() as session:
        written = await service.fan_out(session, kind, event)
    fan_out_seconds = time.perf_counter() - started
    async with db.sessionmaker() as session:
        inbox_rows = await session.scalar(select(func.count()).select_from(Notification))
        queued = await session.scalar(select(func.count()).select_from(Delivery))

    from athlos.notifications.registry import types

    types._types[kind.name] = kind  # the delivery jobs look the type up by name
    bus = EmbeddedBus(db, registry, RetryPolicy(max_attempts=3, backoff_seconds=0.0))
    pushes.received = 0
    started = time.perf_counter()
    await bus.drain(max_rounds=100_000)
    send_seconds = time.perf_counter() - started
    del types._types[kind.name]
    return {
        "recipients": size,
        "written": written,
        "inbox_rows": inbox_rows,
        "pushes_queued": queued,
        "fan_out_seconds": round(fan_out_seconds, 3),
        "rows_per_second": round((inbox_rows or 0) / fan_out_seconds),
        "pushes_sent": pushes.received,
        "push_seconds": round(send_seconds, 3),
        "pushes_per_second": round(pushes.received / send_seconds, 1) if send_seconds else None,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--sends", type=int, default=2000, help="recipients with a push subscription")
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    load_models()
    load_handlers()
    tmp = Path(tempfile.mkdtemp(prefix="bench-notifications-"))
    own_database = False
    if args.sqlite:
        url = f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
    else:
        url = os.environ.get("ATHLOS_BENCH_DATABASE_URL", "")
        if not url:
            url, own_database = DEFAULT_PG, True
            name = make_url(url).database
            await admin(url, f'DROP DATABASE IF EXISTS "{name}"')
            await admin(url, f'CREATE DATABASE "{name}"')
    await asyncio.to_thread(upgrade, url)
    settings = Settings(database_url=url, data_dir=tmp / "var", secret_key="bench-" * 8, _env_file=None)  # type: ignore[call-arg]
    delivery.current_settings = lambda: settings  # type: ignore[assignment]
    pushes = PushEndpoint()
    app = web.Application()
    app.router.add_post("/push/{name}", pushes.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    db = Database(url)
    results = []
    try:
        for size in (int(part) for part in args.sizes.split(",")):
            results.append(await run_size(db, settings, size, args.sends, pushes, f"http://127.0.0.1:{port}"))
    finally:
        await db.dispose()
        await runner.cleanup()
        if own_database:
            await admin(url, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    print(
        json.dumps(
            {
                "benchmark": "notifications_fan_out",
                "database": make_url(url).get_backend_name(),
                "cpus": os.cpu_count(),
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
