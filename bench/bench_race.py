"""A mass live race: N participants stream progress, 1,000 spectators watch the leaderboard.

``--participants 50000 --interval 5 --seconds 60`` seeds one live race on PostgreSQL with its
participants made in bulk with SQL (each with their own live token), starts ``--serve-processes``
``athlos serve`` processes on PostgreSQL + Redis, and ``--generators`` load-generator processes that hold
one WebSocket per participant (``/api/v1/races/{id}/live/ws``), spread over the serve processes as a
load balancer would. After a warm-up (every participant connected and one update acknowledged) each
participant sends an update every ``--interval`` s for ``--seconds`` s; a spectator process holds
``--spectators`` server-sent event streams of the overall leaderboard and measures how old the newest
update in each snapshot is when it arrives. At the end every participant's last acknowledged update is
compared with what Redis (their hash and the leaderboard's score) and, once the flusher has drained, the
database hold. ``redis-benchmark`` measures ZADD/s on the same machine in the same run.

PostgreSQL: ``ATHLOS_BENCH_DATABASE_URL`` (default a fresh local database, dropped after); Redis:
``ATHLOS_BENCH_REDIS_URL`` (default db 15, flushed). One JSON object on stdout. Figures, not asserts.
"""

# A benchmark coordinating its processes through files in a run folder: polling and blocking calls are
# what it means to do here.
# ruff: noqa: ASYNC109, ASYNC110, ASYNC220, ASYNC240
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import orjson
from redis.asyncio import Redis
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.processes import AthlosProcess, free_port, wait_for_http  # noqa: E402

from athlos.accounts.models import User  # noqa: E402
from athlos.competitions.live.keys import RaceKeys  # noqa: E402
from athlos.competitions.models import LiveProgress, Race, Registration  # noqa: E402
from athlos.core.db import Database, utcnow  # noqa: E402
from athlos.core.ids import new_id  # noqa: E402
from athlos.core.migrate import upgrade  # noqa: E402
from athlos.modules import load_models  # noqa: E402

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/athlos_live_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
SECRET = "bench-race-secret-key-shared-by-every-process"
RACE_M = 42195.0
WARM_UP_S = 600.0  # the race started this long before the run: elapsed times are plausible


def token_of(seed: str, n: int) -> str:
    return f"lv_{seed}_{n}"


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 2)


def raise_file_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def admin(url: str, statement: str) -> None:
    target = make_url(url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(target.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


# --- seeding -------------------------------------------------------------------------------------------


async def seed(url: str, redis_url: str, participants: int, token_seed: str) -> tuple[uuid.UUID, list[str]]:
    """The race, its participants (users and entries in bulk), and the race's token map in Redis, as
    issuing each token through the API would leave it."""
    load_models()
    db = Database(url)
    now = utcnow()
    race_id = new_id()
    registrations: list[str] = []
    async with db.unit_of_work() as session:
        session.add(
            Race(
                id=race_id,
                title="Bench marathon",
                sport="running",
                distance_m=RACE_M,
                mode="live",
                starts_at=now - timedelta(seconds=WARM_UP_S),
                ends_at=now + timedelta(hours=6),
            )
        )
    countries = [("DE", "DE-BE"), ("DE", "DE-BY"), ("RU", "RU-MOW"), ("FR", "FR-IDF"), ("US", "US-CA")]
    redis = Redis.from_url(redis_url)
    for start in range(0, participants, 5000):
        chunk = range(start, min(start + 5000, participants))
        users = [new_id() for _ in chunk]
        entries = [new_id() for _ in chunk]
        async with db.unit_of_work() as session:
            await session.execute(
                insert(User),
                [
                    {
                        "id": user_id,
                        "email": f"runner-{n}-{user_id.hex[-6:]}@bench.example.org",
                        "display_name": f"Runner {n}",
                        "password_hash": "-",
                        "email_verified_at": now,
                        "totp_enabled": False,
                        "created_at": now,
                        "password_changed_at": now,
                        "is_staff": False,
                    }
                    for n, user_id in zip(chunk, users, strict=True)
                ],
            )
            await session.execute(
                insert(Registration),
                [
                    {
                        "id": entry_id,
                        "race_id": race_id,
                        "user_id": user_id,
                        "bib": n + 1,
                        "country": countries[n % 5][0],
                        "region": countries[n % 5][1],
                        "category": ("F" if n % 2 else "M") + str(20 + 10 * (n % 5)),
                        "live_token_hash": hashlib.sha256(token_of(token_seed, n).encode()).hexdigest(),
                        "registered_at": now,
                    }
                    for n, user_id, entry_id in zip(chunk, users, entries, strict=True)
                ],
            )
        pipe = redis.pipeline(transaction=False)
        for n, entry_id in zip(chunk, entries, strict=True):
            digest = hashlib.sha256(token_of(token_seed, n).encode()).hexdigest()
            pipe.hset(RaceKeys(race_id).tokens, digest, str(entry_id))
        await pipe.execute()
        registrations += [str(e) for e in entries]
    await redis.aclose()
    await db.dispose()
    return race_id, registrations


def redis_zadd_per_s(redis_url: str) -> dict[str, Any]:
    binary = shutil.which("redis-benchmark")
    if binary is None:
        return {"redis_zadd_per_s": None, "redis_zadd_reason": "redis-benchmark is not installed"}
    parsed = make_url(redis_url.replace("redis://", "redis+x://", 1))
    command = [binary, "-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 6379)]
    command += ["--dbnum", str(parsed.database or 0), "-t", "zadd", "-n", "200000", "-c", "50", "-P", "16"]
    output = subprocess.run([*command, "-q", "--csv"], capture_output=True, text=True, timeout=120).stdout
    for line in output.splitlines():
        cells = [cell.strip('"') for cell in line.split(",")]
        if cells and cells[0].upper().startswith("ZADD"):
            return {"redis_zadd_per_s": round(float(cells[1]))}
    return {"redis_zadd_per_s": None, "redis_zadd_reason": f"no ZADD line in: {output[-200:]}"}


# --- the load generator (its own process) ------------------------------------------------------------


async def participant(
    n: int,
    args: argparse.Namespace,
    http: aiohttp.ClientSession,
    ports: list[int],
    go: asyncio.Event,
    start_at: list[float],
    stats: dict[str, Any],
    ready: list[int],
    gate: asyncio.Semaphore,
) -> None:
    """One phone: a raw aiohttp WebSocket, frames formatted as text (no JSON encoder), acks read with
    orjson; the generators share the machine's cores with the serve processes."""
    port = ports[n % len(ports)]
    speed = 2.5 + (n % 200) / 100.0  # 2.5 .. 4.5 m/s
    url = f"ws://127.0.0.1:{port}/api/v1/races/{args.race}/live/ws"
    async with gate:
        socket = await http.ws_connect(url, compress=0, timeout=aiohttp.ClientWSTimeout(ws_close=1))
        await socket.send_str(f'{{"token":"{token_of(args.token_seed, n)}"}}')
    race_start = args.race_start
    seq = 1
    sent: dict[int, float] = {}
    bodies: dict[int, float] = {}

    def update(seq: int) -> tuple[str, float]:
        elapsed = round(time.time() - race_start, 1)
        distance = round(speed * elapsed, 1)
        return f'{{"seq":{seq},"distance_m":{distance!r},"elapsed_s":{elapsed!r}}}', distance

    frame, distance = update(seq)
    await socket.send_str(frame)
    answer = orjson.loads((await socket.receive()).data)
    if answer.get("accepted"):
        stats["last"][n] = (seq, distance)
    ready[0] += 1

    async def receive() -> None:
        async for message in socket:
            if message.type is not aiohttp.WSMsgType.TEXT:
                continue
            got = time.perf_counter()
            ack = orjson.loads(message.data)
            if ack.get("accepted") is True:
                begun = sent.pop(ack["seq"], None)
                if begun is not None:
                    stats["latencies"].append((got - begun) * 1000)
                    stats["accepted"] += 1
                    stats["last"][n] = (ack["seq"], bodies.pop(ack["seq"], 0.0))
            else:
                sent.pop(ack.get("seq"), None)
                stats["errors"] += 1
                stats["codes"][str(ack.get("code"))] = stats["codes"].get(str(ack.get("code")), 0) + 1

    # Reading from now on also answers the server's pings (aiohttp pongs as it reads), through the
    # warm-up too: an unread socket would be closed as dead.
    reader = asyncio.create_task(receive())
    await go.wait()
    when = start_at[0] + random.random() * args.interval
    end = start_at[0] + args.seconds
    try:
        while when < end:
            await asyncio.sleep(max(0.0, when - time.time()))
            seq += 1
            frame, bodies[seq] = update(seq)
            sent[seq] = time.perf_counter()
            stats["offered"] += 1
            try:
                await socket.send_str(frame)
            except Exception:
                stats["errors"] += 1
                stats["codes"]["send_failed"] = stats["codes"].get("send_failed", 0) + 1
            when += args.interval
        deadline = time.time() + 15
        while sent and time.time() < deadline:
            await asyncio.sleep(0.05)
        stats["errors"] += len(sent)
        if sent:
            stats["codes"]["no_answer"] = stats["codes"].get("no_answer", 0) + len(sent)
    finally:
        reader.cancel()
        await socket.close()


async def generate(args: argparse.Namespace) -> None:
    raise_file_limit()
    ports = [int(p) for p in args.ports.split(",")]
    mine = [n for n in range(args.participants) if n % args.generators == args.index]
    stats: dict[str, Any] = {
        "offered": 0,
        "accepted": 0,
        "errors": 0,
        "latencies": [],
        "last": {},
        "codes": {},
    }
    go = asyncio.Event()
    start_at = [0.0]
    ready = [0]
    gate = asyncio.Semaphore(100)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=None)) as http:
        tasks = [
            asyncio.create_task(participant(n, args, http, ports, go, start_at, stats, ready, gate))
            for n in mine
        ]
        run_dir = Path(args.run_dir)
        while ready[0] < len(mine):
            failed = [t for t in tasks if t.done() and t.exception() is not None]
            if failed:
                raise failed[0].exception()  # type: ignore[misc]
            await asyncio.sleep(0.1)
        (run_dir / f"ready-{args.index}").write_text("1")
        go_file = run_dir / "go"
        while not go_file.exists():
            await asyncio.sleep(0.02)
        start_at[0] = float(go_file.read_text())
        go.set()
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    broken = [repr(o) for o in outcomes if isinstance(o, BaseException)]
    stats["errors"] += len(broken)
    stats["broken"] = broken[:5]
    (run_dir / f"result-{args.index}.json").write_text(json.dumps(stats))


# --- the spectators (their own process) --------------------------------------------------------------


async def spectate(args: argparse.Namespace) -> None:
    raise_file_limit()
    ports = [int(p) for p in args.ports.split(",")]
    run_dir = Path(args.run_dir)
    staleness: list[float] = []
    counts = {"connected": 0, "events": 0, "failed": 0}
    window = [0.0, 0.0]

    async def watch(http: aiohttp.ClientSession, n: int) -> None:
        url = f"http://127.0.0.1:{ports[n % len(ports)]}/api/v1/races/{args.race}/live/stream"
        try:
            async with http.get(url) as response:
                assert response.status == 200
                counts["connected"] += 1
                event = ""
                async for raw in response.content:
                    line = raw.decode().rstrip("\n")
                    if line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("data:") and event == "board":
                        now = time.time()
                        if window[0] <= now <= window[1]:
                            snapshot = json.loads(line[5:])
                            staleness.append(now * 1000 - snapshot["updated_at_ms"])
                            counts["events"] += 1
        except (aiohttp.ClientError, TimeoutError, AssertionError):
            counts["failed"] += 1

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=None)) as http:
        tasks = [asyncio.create_task(watch(http, n)) for n in range(args.spectators)]
        while counts["connected"] + counts["failed"] < args.spectators:
            await asyncio.sleep(0.1)
        (run_dir / "ready-spectators").write_text("1")
        go_file = run_dir / "go"
        while not go_file.exists():
            await asyncio.sleep(0.02)
        window[0] = float(go_file.read_text()) + 1.0  # once updates flow
        window[1] = window[0] - 1.0 + args.seconds
        await asyncio.sleep(max(0.0, window[1] - time.time()) + 0.5)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    (run_dir / "result-spectators.json").write_text(json.dumps({"staleness": staleness, **counts}))


# --- the run ----------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def wait_for_files(paths: list[Path], processes: list[subprocess.Popen[bytes]], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not all(p.exists() for p in paths):
        for process in processes:
            if process.poll() not in (None, 0):
                raise RuntimeError(f"a helper process failed with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"not ready within {timeout}s: {[str(p) for p in paths if not p.exists()]}")
        await asyncio.sleep(0.2)


async def check_lost(
    url: str, redis_url: str, race_id: uuid.UUID, registrations: list[str], last: dict[int, tuple[int, float]]
) -> dict[str, Any]:
    keys = RaceKeys(race_id)
    redis = Redis.from_url(redis_url)
    lost_redis = 0
    for start in range(0, len(registrations), 5000):
        chunk = range(start, min(start + 5000, len(registrations)))
        pipe = redis.pipeline(transaction=False)
        for n in chunk:
            pipe.hget(keys.progress(registrations[n]), "seq")
            pipe.zscore(keys.overall, registrations[n])
        answers = await pipe.execute()
        for i, n in enumerate(chunk):
            seq, score = answers[2 * i], answers[2 * i + 1]
            acked = last.get(n)
            if acked is None:
                continue
            if (
                seq is None
                or int(seq) < acked[0]
                or score is None
                or (int(seq) == acked[0] and abs(score - acked[1]) > 0.05)
            ):
                lost_redis += 1
    # The flusher drains what is dirty; then the database must hold every acknowledged seq too.
    deadline = time.monotonic() + 60
    while await redis.hlen(keys.dirty) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    dirty_left = int(await redis.hlen(keys.dirty))
    await redis.aclose()
    db = Database(url)
    async with db.sessionmaker() as session:
        rows = dict((await session.execute(select(LiveProgress.registration_id, LiveProgress.seq))).all())
        stored = int((await session.execute(select(func.count()).select_from(LiveProgress))).scalar_one())
    await db.dispose()
    lost_db = sum(1 for n, (seq, _) in last.items() if rows.get(uuid.UUID(registrations[n]), -1) < seq)
    return {
        "lost_updates": lost_redis,
        "lost_in_database": lost_db,
        "database_rows": stored,
        "dirty_left": dirty_left,
    }


async def run(args: argparse.Namespace, url: str, redis_url: str, run_dir: Path) -> dict[str, Any]:
    raise_file_limit()
    await asyncio.to_thread(upgrade, url)
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    token_seed = secrets.token_hex(6)
    seeded_at = time.monotonic()
    race_id, registrations = await seed(url, redis_url, args.participants, token_seed)
    seed_s = time.monotonic() - seeded_at
    zadd = await asyncio.to_thread(redis_zadd_per_s, redis_url)
    race_start = time.time() - WARM_UP_S
    servers: list[AthlosProcess] = []
    helpers: list[subprocess.Popen[bytes]] = []
    ports = [free_port() for _ in range(args.serve_processes)]
    try:
        for n, port in enumerate(ports):
            env = {
                "ATHLOS_DATABASE_URL": url,
                "ATHLOS_REDIS_URL": redis_url,
                "ATHLOS_SECRET_KEY": SECRET,
                "ATHLOS_PORT": str(port),
                "ATHLOS_LOG_LEVEL": "warning",
                "ATHLOS_RATE_LIMIT_ENABLED": "false",
                "ATHLOS_DATABASE_POOL_SIZE": "5",
                "ATHLOS_DATABASE_MAX_OVERFLOW": "5",
                "ATHLOS_DATA_DIR": str(run_dir / f"var-{n}"),
            }
            servers.append(AthlosProcess(["serve"], env, run_dir / f"serve-{n}.log").start())
        for port, server in zip(ports, servers, strict=True):
            await wait_for_http(f"http://127.0.0.1:{port}", server)
        common = [
            "--race",
            str(race_id),
            "--race-start",
            str(race_start),
            "--token-seed",
            token_seed,
            "--ports",
            ",".join(map(str, ports)),
            "--run-dir",
            str(run_dir),
            "--participants",
            str(args.participants),
            "--interval",
            str(args.interval),
            "--seconds",
            str(args.seconds),
            "--generators",
            str(args.generators),
            "--spectators",
            str(args.spectators),
        ]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
        script = str(Path(__file__).resolve())
        helpers.append(subprocess.Popen([sys.executable, script, "--role", "spectators", *common], env=env))
        for index in range(args.generators):
            helpers.append(
                subprocess.Popen(
                    [sys.executable, script, "--role", "generator", "--index", str(index), *common], env=env
                )
            )
        ready = [run_dir / f"ready-{i}" for i in range(args.generators)] + [run_dir / "ready-spectators"]
        warm_from = time.monotonic()
        await wait_for_files(ready, helpers, timeout=600)
        warm_up_s = time.monotonic() - warm_from
        cpu_before = {s.pid: cpu_seconds(s.pid) for s in servers}
        load_before = os.getloadavg()
        start = time.time() + 1.0
        (run_dir / "go").write_text(repr(start))
        results = [run_dir / f"result-{i}.json" for i in range(args.generators)] + [
            run_dir / "result-spectators.json"
        ]
        await wait_for_files(results, helpers, timeout=args.seconds + 120)
        load_after = os.getloadavg()
        cpu_used = {pid: round(cpu_seconds(pid) - before, 1) for pid, before in cpu_before.items()}
        generated = [json.loads(p.read_text()) for p in results[:-1]]
        watched = json.loads(results[-1].read_text())
        last = {int(n): tuple(v) for g in generated for n, v in g["last"].items()}
        lost = await check_lost(url, redis_url, race_id, registrations, last)
    finally:
        for helper in helpers:
            if helper.poll() is None:
                helper.terminate()
                helper.wait(timeout=30)
        for server in servers:
            server.stop()
        if args.keep_logs:
            for log in run_dir.glob("serve-*.log"):
                shutil.copy(log, Path(args.keep_logs) / log.name)
    offered = sum(g["offered"] for g in generated)
    accepted = sum(g["accepted"] for g in generated)
    errors = sum(g["errors"] for g in generated)
    latencies = [x for g in generated for x in g["latencies"]]
    codes: dict[str, int] = {}
    for g in generated:
        for code, count in g["codes"].items():
            codes[code] = codes.get(code, 0) + count
    return {
        "participants": args.participants,
        "interval_s": args.interval,
        "seconds": args.seconds,
        "offered_updates_per_s": round(offered / args.seconds, 1),
        "accepted_updates_per_s": round(accepted / args.seconds, 1),
        "accepted_share": round(accepted / offered, 4) if offered else None,
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "errors": errors,
        "error_rate": round(errors / offered, 5) if offered else None,
        "error_codes": codes,
        **lost,
        "leaderboard_staleness_p50_ms": percentile(watched["staleness"], 0.50),
        "leaderboard_staleness_p95_ms": percentile(watched["staleness"], 0.95),
        "spectators": watched["connected"],
        "spectator_failures": watched["failed"],
        "spectator_events": watched["events"],
        "transport": "websocket (one per participant); leaderboards over server-sent events",
        "serve_processes": args.serve_processes,
        "generator_processes": args.generators,
        **zadd,
        "seed_s": round(seed_s, 1),
        "warm_up_s": round(warm_up_s, 1),
        "serve_cpu_s": cpu_used,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "cores": os.cpu_count(),
    }


async def main(args: argparse.Namespace) -> None:
    url = os.environ.get("ATHLOS_BENCH_DATABASE_URL", "")
    own = not url
    url = url or DEFAULT_PG
    redis_url = os.environ.get("ATHLOS_BENCH_REDIS_URL", DEFAULT_REDIS)
    name = make_url(url).database
    if own:
        await admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin(url, f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory(prefix="bench-race-") as tmp:
            result = await run(args, url, redis_url, Path(tmp))
    finally:
        if own:
            await admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(json.dumps(result))


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--spectators", type=int, default=1000)
    parser.add_argument("--serve-processes", type=int, default=4)
    parser.add_argument("--generators", type=int, default=4)
    parser.add_argument("--keep-logs", default="", help="copy the serve processes' logs into this folder")
    # The helper processes' own arguments.
    parser.add_argument("--role", choices=["main", "generator", "spectators"], default="main")
    parser.add_argument("--index", type=int, default=0)
    parser.add_argument("--race", default="")
    parser.add_argument("--race-start", type=float, default=0.0)
    parser.add_argument("--token-seed", default="")
    parser.add_argument("--ports", default="")
    parser.add_argument("--run-dir", default="")
    return parser.parse_args()


if __name__ == "__main__":
    parsed = arguments()
    if parsed.role == "generator":
        asyncio.run(generate(parsed))
    elif parsed.role == "spectators":
        asyncio.run(spectate(parsed))
    else:
        asyncio.run(main(parsed))
