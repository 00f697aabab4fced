"""Live club chat: messages delivered per second to 1,000 open chat streams across two web processes.

Starts two ``athlos serve`` on a fresh PostgreSQL database sharing one Redis, makes one club with
``--clients`` members (sign-in sessions written directly, not through argon2 sign-ins) and opens each
member's chat stream (server-sent events), half on each process. Then ``--authors`` members post
``--messages`` messages through the API, alternating between the processes at ``--rate`` per second,
and every stream records when each message arrived. Prints one JSON document: deliveries per second
(all deliveries over the time from the first post to the last arrival) and the delivery latency p50/p95
(from just before the post was sent to its arrival on a stream).

Run: ``python bench/bench_chat.py [--clients 1000] [--messages 200] [--authors 10] [--rate 20]``; needs
PostgreSQL (``ATHLOS_BENCH_DATABASE_URL``, default a fresh local database, dropped after) and Redis
(``ATHLOS_BENCH_REDIS_URL``, default db 8 on the local server). Figures, not asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import asyncpg
from redis.asyncio import Redis
from sqlalchemy import insert
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.processes import AthlosProcess, free_port, wait_for_http  # noqa: E402

from athlos.accounts import service as accounts  # noqa: E402
from athlos.accounts.deps import SESSION_COOKIE, cookie_value  # noqa: E402
from athlos.accounts.models import User  # noqa: E402
from athlos.core.db import Database, utcnow  # noqa: E402
from athlos.core.ids import new_id  # noqa: E402
from athlos.core.migrate import upgrade  # noqa: E402
from athlos.modules import load_models  # noqa: E402
from athlos.settings import Settings  # noqa: E402
from athlos.social.clubs.models import Club, ClubMembership  # noqa: E402

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/athlos_bench_chat"
DEFAULT_REDIS = "redis://127.0.0.1:6379/8"
SECRET = "bench-chat-secret-key-shared-by-both-processes"


async def admin(url: str, statement: str) -> None:
    target = make_url(url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(target.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def seed(db: Database, settings: Settings, members: int) -> tuple[str, list[str], list[str]]:
    """One club, its members, and for each a page cookie and an API token."""
    now = utcnow()
    ids = [new_id() for _ in range(members)]
    club_id = new_id()
    async with db.unit_of_work() as session:
        await session.execute(
            insert(User),
            [
                {
                    "id": user_id,
                    "email": f"bench-{user_id.hex}@example.org",
                    "display_name": f"Member {n}",
                    "password_hash": "-",
                    "email_verified_at": now,
                    "totp_enabled": False,
                    "created_at": now,
                    "password_changed_at": now,
                }
                for n, user_id in enumerate(ids)
            ],
        )
        session.add(Club(id=club_id, name="Bench Runners", sport="run", join_policy="public"))
        await session.flush()
        await session.execute(
            insert(ClubMembership),
            [
                {
                    "club_id": club_id,
                    "user_id": user_id,
                    "role": "owner" if n == 0 else "member",
                    "joined_at": now,
                }
                for n, user_id in enumerate(ids)
            ],
        )
    cookies, tokens = [], []
    client = accounts.Client(ip="127.0.0.1", user_agent="bench")
    async with db.unit_of_work() as session:
        for user_id in ids:
            user = await session.get(User, user_id)
            assert user is not None
            pair = await accounts.start_session(session, settings, user, client)
            cookies.append(cookie_value(pair.session_id, pair.refresh_token))
            tokens.append(pair.access_token)
    return str(club_id), cookies, tokens


class Streams:
    """The open chat streams and when each message reached each of them."""

    def __init__(self, count: int) -> None:
        self.connected = 0
        self.all_connected = asyncio.Event()
        self.count = count
        self.arrivals: dict[str, list[float]] = {}
        self.expected = 0
        self.all_arrived = asyncio.Event()
        self.delivered = 0

    async def listen(self, http: aiohttp.ClientSession, url: str, cookie: str) -> None:
        async with http.get(url, headers={"Cookie": f"{SESSION_COOKIE}={cookie}"}) as response:
            assert response.status == 200, await response.text()
            self.connected += 1
            if self.connected == self.count:
                self.all_connected.set()
            event = ""
            async for raw in response.content:
                line = raw.decode().rstrip("\n")
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event == "message":
                    self.arrivals.setdefault(json.loads(line[5:])["id"], []).append(time.perf_counter())
                    self.delivered += 1
                    if self.expected and self.delivered >= self.expected:
                        self.all_arrived.set()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def run(args: argparse.Namespace, url: str, redis_url: str, tmp: Path) -> dict[str, object]:
    await asyncio.to_thread(upgrade, url)
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    load_models()
    settings = Settings(database_url=url, data_dir=tmp / "var", secret_key=SECRET, _env_file=None)  # type: ignore[call-arg]
    db = Database(url)
    club_id, cookies, tokens = await seed(db, settings, args.clients)
    await db.dispose()

    processes, urls = [], []
    for name in ("web-a", "web-b"):
        port = free_port()
        env = {
            "ATHLOS_DATABASE_URL": url,
            "ATHLOS_REDIS_URL": redis_url,
            "ATHLOS_SECRET_KEY": SECRET,
            "ATHLOS_PORT": str(port),
            "ATHLOS_LOG_LEVEL": "warning",
            "ATHLOS_DATA_DIR": str(tmp / name),
        }
        processes.append(AthlosProcess(["serve"], env, tmp / f"{name}.log").start())
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for base, process in zip(urls, processes, strict=True):
            await wait_for_http(base, process)
        streams = Streams(args.clients)
        connector = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
            listeners = []
            for n, cookie in enumerate(cookies):
                stream_url = f"{urls[n % 2]}/clubs/{club_id}/chat/stream"
                listeners.append(asyncio.create_task(streams.listen(http, stream_url, cookie)))
                if n % 50 == 49:
                    await asyncio.sleep(0.05)  # connect in waves, not all in one burst
            await asyncio.wait_for(streams.all_connected.wait(), timeout=300)
            streams.expected = args.messages * args.clients
            sent: dict[str, float] = {}
            started = time.perf_counter()
            for n in range(args.messages):
                author = tokens[n % args.authors]
                before = time.perf_counter()
                async with http.post(
                    f"{urls[n % 2]}/api/v1/clubs/{club_id}/messages",
                    json={"text": f"Bench message {n}"},
                    headers={"Authorization": f"Bearer {author}"},
                ) as response:
                    assert response.status == 201, await response.text()
                    sent[(await response.json())["id"]] = before
                pause = started + (n + 1) / args.rate - time.perf_counter()
                if pause > 0:
                    await asyncio.sleep(pause)
            with contextlib.suppress(TimeoutError):  # what did not arrive shows in the counts
                await asyncio.wait_for(streams.all_arrived.wait(), timeout=120)
            for task in listeners:
                task.cancel()
            await asyncio.gather(*listeners, return_exceptions=True)
        latencies = [at - sent[mid] for mid, ats in streams.arrivals.items() if mid in sent for at in ats]
        last = max(at for ats in streams.arrivals.values() for at in ats)
        return {
            "clients": args.clients,
            "processes": 2,
            "messages": args.messages,
            "deliveries": streams.delivered,
            "expected_deliveries": streams.expected,
            "posted_per_s": round(args.messages / (max(sent.values()) - started), 1),
            "delivered_per_s": round(streams.delivered / (last - started)),
            "delivery_p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
            "delivery_p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
            "delivery_max_ms": round(max(latencies) * 1000, 1),
            "cores": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }
    finally:
        for process in processes:
            process.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--authors", type=int, default=10, help="each posts under the per-person limit")
    parser.add_argument("--rate", type=float, default=20.0, help="messages posted per second")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-chat-"))
    url = os.environ.get("ATHLOS_BENCH_DATABASE_URL", "")
    own_database = not url
    if own_database:
        url = DEFAULT_PG
        name = make_url(url).database
        await admin(url, f'DROP DATABASE IF EXISTS "{name}"')
        await admin(url, f'CREATE DATABASE "{name}"')
    try:
        result = await run(args, url, os.environ.get("ATHLOS_BENCH_REDIS_URL", DEFAULT_REDIS), tmp)
    finally:
        if own_database:
            await admin(url, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
