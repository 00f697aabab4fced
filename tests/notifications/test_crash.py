"""A crash of the process running the event bus loses nothing and notifies nobody twice: the process is
killed (SIGKILL) while it turns a burst of follows into notifications, then started again — the web
server on the embedded default, or the ``athlos worker`` on NATS JetStream."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import nats
import nats.js.errors
import pytest
from sqlalchemy import func, insert, select

from athlos.accounts.models import User
from athlos.core.db import Database, utcnow
from athlos.core.events import emit
from athlos.core.events.models import HandlerFailure
from athlos.core.ids import new_id
from athlos.notifications.models import Notification
from tests import servers
from tests.processes import AthlosProcess, free_port, wait_for_http
from tests.waiting import wait_until

FOLLOWERS = 300


async def people(db: Database, count: int) -> list[User]:
    now = utcnow()
    rows = [
        {
            "id": new_id(),
            "email": f"crash-{n}-{new_id().hex[-8:]}@example.org",
            "display_name": f"Fan {n}",
            "password_hash": "-",
            "email_verified_at": now,
            "totp_enabled": False,
            "created_at": now,
            "password_changed_at": now,
        }
        for n in range(count)
    ]
    async with db.unit_of_work() as session:
        await session.execute(insert(User), rows)
    async with db.sessionmaker() as session:
        return list(await session.scalars(select(User).where(User.id.in_([row["id"] for row in rows]))))


async def notifications(db: Database) -> int:
    async with db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Notification)) or 0)


@pytest.fixture(params=["embedded", pytest.param("nats", marks=[pytest.mark.nats, pytest.mark.postgres])])
async def bus_process(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[list[str], dict[str, str]]]:
    """What runs the event handlers: ``athlos serve`` itself, or an ``athlos worker`` on a NATS stream."""
    if request.param == "embedded":
        port = free_port()
        yield ["serve"], {"ATHLOS_PORT": str(port)}
        return
    nats_url = request.getfixturevalue("nats_url")
    if not servers.uses_postgres():
        servers.missing_server("postgres")
    stream = f"athlos_crash_{os.getpid()}"
    yield (
        ["worker"],
        {
            "ATHLOS_NATS_URL": nats_url,
            "ATHLOS_NATS_STREAM": stream,
            "ATHLOS_NATS_ACK_WAIT_SECONDS": "2",
        },
    )
    connection = await nats.connect(nats_url)
    with contextlib.suppress(nats.js.errors.NotFoundError):
        await connection.jetstream().delete_stream(stream)
    await connection.close()


@pytest.mark.slow
async def test_a_killed_process_loses_no_notification_and_repeats_none(
    database_url: str, db: Database, tmp_path: Path, bus_process: tuple[list[str], dict[str, str]]
) -> None:
    args, bus_env = bus_process
    owner, *fans = await people(db, FOLLOWERS + 1)
    async with db.unit_of_work() as session:
        for fan in fans:
            emit(session, "social.followed", owner.id, {"actor_id": str(fan.id), "user_id": str(owner.id)})
    env = {
        "ATHLOS_DATABASE_URL": database_url,
        "ATHLOS_DATA_DIR": str(tmp_path / "var"),
        "ATHLOS_SECRET_KEY": "test-secret-key-that-is-long-enough-for-hmac",
        "ATHLOS_LOG_LEVEL": "warning",
        "ATHLOS_OUTBOX_POLL_SECONDS": "0.05",
        **bus_env,
    }
    first = AthlosProcess(args, env, tmp_path / "first.log").start()
    try:
        await wait_until(
            lambda: notifications(db), lambda n: n > 0, timeout=120, what="the first notifications"
        )
    finally:
        first.kill()
    at_crash = await notifications(db)
    second = AthlosProcess(args, env, tmp_path / "second.log").start()
    try:
        if "ATHLOS_PORT" in env:
            await wait_for_http(f"http://127.0.0.1:{env['ATHLOS_PORT']}", second)
        await wait_until(
            lambda: notifications(db), lambda n: n >= FOLLOWERS, timeout=180, what="every follow notified"
        )
    finally:
        second.stop()
    async with db.sessionmaker() as session:
        sources = list(await session.scalars(select(Notification.source_id)))
        parked = list(await session.scalars(select(HandlerFailure).where(HandlerFailure.parked.is_(True))))
    assert len(sources) == FOLLOWERS, f"{at_crash} were written before the crash"
    assert len(set(sources)) == FOLLOWERS
    assert parked == []
