"""The pilot's load: 100,000 people in 10 countries, two ``athlos serve`` and one ``athlos worker``.

Seeds (or reuses: a seeded database keeps a marker row in ``bench_pilot_seed``) ``--people`` people in
ten countries with a sparse year of activities on PostgreSQL, copied in bulk as ``bench_pages.py`` does
(activities, analytics facts, period totals, personal records): 10 % train 1-2 times a week (≈ 80 a
year), 30 % about once a month, the rest 0-3 times a year. Each run then adds what the journeys need
through the real services or plain SQL: sign-in sessions (bearer tokens) for ``--users`` simulated
people, follows (each simulated person follows 30 people, among them simulated ones, so feeds fill),
a regional challenge, the catalogue (``examples/catalog/products.json`` through the import service) and
a promotion for it.

Then it starts two ``athlos serve`` processes and one ``athlos worker`` on PostgreSQL + Redis + NATS
JetStream, and ``--generators`` load-generator processes of its own: an aiohttp closed-loop generator
(each simulated person waits an exponential think time of mean ``--think`` s between requests), not
Locust, whose gevent monkey-patching does not mix with the asyncio clients used here. Requests go
round-robin to the two serve processes; as a load balancer does, a request whose connection is refused
is sent to the other one. The mix: feed, dashboard (``/api/v1/me/progress``), activity pages, leaderboard
reads, challenge pages; uploads of a real GPX (times shifted so each is new), kudos, comments, challenge
joins, shop clicks (``/shop/go/<id>``) and the shop's HMAC-signed purchase webhook for a click made.

``--faults``: a third into the run one serve process is SIGKILLed and restarted, at two thirds the
worker. After the run the outbox drains and the bench checks that every committed event was applied by
each of its handlers exactly once (``core_processed_event``, none parked) and that every acknowledged
upload ended as an activity.

PostgreSQL: ``ATHLOS_BENCH_DATABASE_URL`` (default ``athlos_pilot_bench``, kept for reuse); Redis
``ATHLOS_BENCH_REDIS_URL`` (default db 12, flushed); NATS ``ATHLOS_BENCH_NATS_URL``. One JSON object
on stdout. Figures, not asserts. The world it seeds is ``pilot_world.py``, the generator ``pilot_load.py``.
"""

# A benchmark coordinating its processes through files in a run folder: polling and blocking calls are
# what it means to do here.
# ruff: noqa: ASYNC109, ASYNC220, ASYNC240
from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from redis.asyncio import Redis

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_pages import (  # noqa: E402
    plain_url,
)
from bench.bench_race import percentile, wait_for_files  # noqa: E402
from bench.pilot_load import SHOP_SECRET, Generator  # noqa: E402
from bench.pilot_world import PLACES, SECRET, journeys, prepare, simulated_people  # noqa: E402
from tests.processes import AthlosProcess, free_port, wait_for_http  # noqa: E402

from athlos.core.events import registry  # noqa: E402
from athlos.modules import load_handlers  # noqa: E402

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/athlos_pilot_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
DEFAULT_NATS = "nats://127.0.0.1:4222"


# A handler that asked for its event again later (a training not yet due): not applied yet, by design.
DEFERRED = "f.last_error LIKE 'deferred:%' AND f.next_attempt_at > now()"


# --- the run ---------------------------------------------------------------------------------------------


async def warm_up(ports: list[int], plan: dict[str, Any]) -> None:
    """A few reads of each kind on each server before the clock starts: templates compiled, pools open."""
    sims = plan["sims"][:10]
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
        for port in ports:
            for sim in sims:
                auth = {"Authorization": f"Bearer {sim['token']}"}
                paths = ["/api/v1/feed", "/api/v1/me/progress?period=week", "/api/v1/leaderboards"]
                paths += [f"/activities/{a}" for a in sim["activities"][:1]]
                paths.append(f"/api/v1/challenges/{plan['challenge']}/leaderboard")
                for path in paths:
                    async with http.get(f"http://127.0.0.1:{port}{path}", headers=auth) as response:
                        await response.read()


async def drained(url: str, uploads: list[str], timeout: float) -> dict[str, Any]:
    """Wait for the outbox to be published, every handler to have applied its events and the uploads to
    finish; then count what was published and applied, and what is missing."""
    load_handlers()
    expected = {t: [h.name for h in hs] for t, hs in registry.by_type().items()}
    connection = await asyncpg.connect(plain_url(url))
    deadline = time.monotonic() + timeout
    try:
        while True:
            published = await connection.fetch(
                "SELECT type, count(*) AS n FROM core_outbox WHERE published_at IS NOT NULL GROUP BY type"
            )
            unpublished = int(
                await connection.fetchval("SELECT count(*) FROM core_outbox WHERE published_at IS NULL")
            )
            missing = int(
                await connection.fetchval(
                    "SELECT count(*) FROM core_outbox o "  # noqa: S608 (no input in it)
                    "CROSS JOIN LATERAL unnest($1::text[], $2::text[]) AS h(t, c) WHERE h.t = o.type "
                    "AND NOT EXISTS (SELECT 1 FROM core_processed_event p "
                    "WHERE p.consumer = h.c AND p.event_id = o.event_id) AND NOT EXISTS "
                    f"(SELECT 1 FROM core_handler_failure f WHERE {DEFERRED} "
                    "AND f.consumer = h.c AND f.event_id = o.event_id)",
                    [t for t, names in expected.items() for _ in names],
                    [name for names in expected.values() for name in names],
                )
            )
            processing = int(
                await connection.fetchval(
                    "SELECT count(*) FROM activities_upload "
                    "WHERE id = ANY($1::uuid[]) AND status = 'processing'",
                    uploads,
                )
            )
            if (not unpublished and not missing and not processing) or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        applied = int(await connection.fetchval("SELECT count(*) FROM core_processed_event"))
        twice = int(
            await connection.fetchval(
                "SELECT count(*) FROM (SELECT consumer, event_id FROM core_processed_event "
                "GROUP BY consumer, event_id HAVING count(*) > 1) AS d"
            )
        )
        parked = int(await connection.fetchval("SELECT count(*) FROM core_handler_failure WHERE parked"))
        deferred = int(
            await connection.fetchval(f"SELECT count(*) FROM core_handler_failure f WHERE {DEFERRED}")  # noqa: S608
        )
        found = int(
            await connection.fetchval(
                "SELECT count(*) FROM activities_upload u WHERE u.id = ANY($1::uuid[]) AND EXISTS "
                "(SELECT 1 FROM activities_activity a WHERE a.upload_id = u.id)",
                uploads,
            )
        )
        statuses = dict(
            await connection.fetch(
                "SELECT status, count(*) FROM activities_upload WHERE id = ANY($1::uuid[]) GROUP BY status",
                uploads,
            )
        )
    finally:
        await connection.close()
    events = sum(int(r["n"]) for r in published)
    wanted = sum(int(r["n"]) * len(expected.get(r["type"], [])) for r in published)
    return {
        "events_published": events,
        "events_unpublished": unpublished,
        "handler_applications_expected": wanted,
        "events_applied": applied,
        "applications_missing": missing,
        "applied_twice": twice,
        "parked": parked,
        "deferred_by_design": deferred,
        "exactly_once": not unpublished and not missing and not twice and not parked,
        "uploads_acknowledged": len(uploads),
        "uploads_found": found,
        "upload_statuses": statuses,
    }


def summarise(samples: list[list[Any]], seconds: float, faults: dict[str, Any] | None) -> dict[str, Any]:
    by_kind: dict[str, list[list[Any]]] = defaultdict(list)
    for sample in samples:
        by_kind[sample[0]].append(sample)
    kinds: dict[str, Any] = {}
    for kind, rows in sorted(by_kind.items()):
        latencies = [r[2] for r in rows if r[3]]
        errors: dict[str, int] = defaultdict(int)
        for r in rows:
            if not r[3]:
                errors[r[4]] += 1
        kinds[kind] = {
            "requests": len(rows),
            "requests_per_s": round(len(rows) / seconds, 2),
            "p50_ms": percentile(latencies, 0.50),
            "p95_ms": percentile(latencies, 0.95),
            "p99_ms": percentile(latencies, 0.99),
            "errors": sum(errors.values()),
            "error_codes": dict(errors),
        }
    total = len(samples)
    failed = sum(1 for s in samples if not s[3])
    out: dict[str, Any] = {
        "requests": total,
        "requests_per_s": round(total / seconds, 1),
        "error_rate": round(failed / total, 5) if total else None,
        "errors": failed,
        "kinds": kinds,
    }
    if faults is not None:
        buckets: dict[int, list[bool]] = defaultdict(list)
        for s in samples:
            buckets[int(s[1])].append(s[3])
        window = [faults["serve_killed_at_s"], faults["worker_killed_at_s"] + 10]
        faults["errors_during_faults"] = sum(
            1 for s in samples if not s[3] and window[0] <= s[1] <= window[1]
        )
        faults["seconds_unavailable"] = sum(1 for oks in buckets.values() if sum(oks) < len(oks) / 2)
        faults["seconds_with_errors"] = sum(1 for oks in buckets.values() if not all(oks))
        faults["answered_fraction"] = round((total - failed) / total, 5) if total else None
        out["faults"] = faults
    return out


def serve_env(
    url: str, redis_url: str, nats_url: str, stream: str, run_dir: Path, port: int, n: int
) -> dict[str, str]:
    return {
        "ATHLOS_DATABASE_URL": url,
        "ATHLOS_REDIS_URL": redis_url,
        "ATHLOS_NATS_URL": nats_url,
        "ATHLOS_NATS_STREAM": stream,
        "ATHLOS_SECRET_KEY": SECRET,
        "ATHLOS_SHOP_WEBHOOK_SECRET": SHOP_SECRET,
        "ATHLOS_PORT": str(port),
        "ATHLOS_LOG_LEVEL": "warning",
        "ATHLOS_RATE_LIMIT_ENABLED": "false",
        "ATHLOS_DATABASE_POOL_SIZE": "5",
        "ATHLOS_DATABASE_MAX_OVERFLOW": "10",
        "ATHLOS_DATA_DIR": str(run_dir / "var"),
        "ATHLOS_SHUTDOWN_GRACE_SECONDS": "1",
    }


async def run(
    args: argparse.Namespace, url: str, redis_url: str, nats_url: str, run_dir: Path
) -> dict[str, Any]:
    seeded = await prepare(url, args.people)
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    sims = await simulated_people(url, args.people, args.users)
    plan = {**await journeys(url), "sims": sims}
    (run_dir / "plan.json").write_text(json.dumps(plan))
    stream = f"athlos_pilot_{secrets.token_hex(4)}"
    ports = [free_port() for _ in range(2)]
    envs = [serve_env(url, redis_url, nats_url, stream, run_dir, port, n) for n, port in enumerate(ports)]
    servers = [
        AthlosProcess(["serve"], env, run_dir / f"serve-{n}.log").start() for n, env in enumerate(envs)
    ]
    worker = AthlosProcess(["worker"], envs[0], run_dir / "worker.log").start()
    generators: list[subprocess.Popen[bytes]] = []
    faults: dict[str, Any] | None = None
    try:
        for port, server in zip(ports, servers, strict=True):
            await wait_for_http(f"http://127.0.0.1:{port}", server)
        await warm_up(ports, plan)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
        common = [
            "--ports",
            ",".join(map(str, ports)),
            "--run-dir",
            str(run_dir),
            "--seconds",
            str(args.seconds),
        ]
        common += ["--generators", str(args.generators), "--think", str(args.think)]
        for index in range(args.generators):
            generators.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        str(Path(__file__).resolve()),
                        "--role",
                        "generator",
                        "--index",
                        str(index),
                        *common,
                    ],
                    env=env,
                )
            )
        await wait_for_files([run_dir / f"ready-{i}" for i in range(args.generators)], generators, 120)
        load_before = os.getloadavg()
        start = time.time() + 1.0
        (run_dir / "go").write_text(repr(start))
        if args.faults:
            faults = await inject_faults(args, start, servers, worker, ports)
        await wait_for_files(
            [run_dir / f"result-{i}.json" for i in range(args.generators)], generators, args.seconds + 120
        )
        load_after = os.getloadavg()
        results = [json.loads((run_dir / f"result-{i}.json").read_text()) for i in range(args.generators)]
        uploads = [u for r in results for u in r["uploads"]]
        checked = await drained(url, uploads, timeout=120)
    finally:
        for generator in generators:
            if generator.poll() is None:
                generator.terminate()
        for process in [*servers, worker]:
            process.stop()
    samples = [s for r in results for s in r["samples"]]
    return {
        "benchmark": "pilot",
        "people": args.people,
        "countries": len(PLACES),
        "serve_processes": len(servers),
        "workers": 1,
        "users_simulated": args.users,
        "think_s": args.think,
        "load_tool": f"aiohttp closed loop, {args.generators} generator processes",
        "seconds": args.seconds,
        **summarise(samples, args.seconds, faults),
        "retried_on_other_server": sum(r["retried"] for r in results),
        **checked,
        "seeded": seeded,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "cpu_count": os.cpu_count(),
    }


async def inject_faults(
    args: argparse.Namespace,
    start: float,
    servers: list[AthlosProcess],
    worker: AthlosProcess,
    ports: list[int],
) -> dict[str, Any]:
    """SIGKILL one serve process a third into the run and restart it; at two thirds, the worker."""
    serve_at, worker_at = args.seconds / 3, 2 * args.seconds / 3  # planned; reported as they happened
    await asyncio.sleep(max(0.0, start + serve_at - time.time()))
    killed_serve_at = time.time() - start  # before the kill: clients see it before kill() returns
    servers[1].kill()
    servers[1].start()
    await wait_for_http(f"http://127.0.0.1:{ports[1]}", servers[1])
    back_at = time.time() - start
    await asyncio.sleep(max(0.0, start + worker_at - time.time()))
    killed_at = time.time() - start
    worker.kill()
    worker.start()
    return {
        "serve_killed_at_s": round(killed_serve_at, 1),
        "serve_back_at_s": round(back_at, 1),
        "worker_killed_at_s": round(killed_at, 1),
    }


async def main(args: argparse.Namespace) -> None:
    url = os.environ.get("ATHLOS_BENCH_DATABASE_URL", DEFAULT_PG)
    redis_url = os.environ.get("ATHLOS_BENCH_REDIS_URL", DEFAULT_REDIS)
    nats_url = os.environ.get("ATHLOS_BENCH_NATS_URL", DEFAULT_NATS)
    with tempfile.TemporaryDirectory(prefix="bench-pilot-") as tmp:
        try:
            result = await run(args, url, redis_url, nats_url, Path(tmp))
        finally:
            if args.keep_logs:
                for log in Path(tmp).glob("*.log"):
                    (Path(args.keep_logs) / log.name).write_bytes(log.read_bytes())
    print(json.dumps(result))


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=200, help="simulated people sending requests")
    parser.add_argument(
        "--think", type=float, default=2.0, help="mean pause between one person's requests, s"
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--generators", type=int, default=2)
    parser.add_argument("--faults", action="store_true", help="SIGKILL a serve process, then the worker")
    parser.add_argument("--keep-logs", default="", help="copy the processes' logs into this folder")
    parser.add_argument("--role", choices=["main", "generator"], default="main")
    parser.add_argument("--index", type=int, default=0)
    parser.add_argument("--ports", default="")
    parser.add_argument("--run-dir", default="")
    return parser.parse_args()


def generate(args: argparse.Namespace) -> None:
    plan = json.loads((Path(args.run_dir) / "plan.json").read_text())
    asyncio.run(Generator(args, plan).run())


if __name__ == "__main__":
    parsed = arguments()
    if parsed.role == "generator":
        generate(parsed)
    else:
        asyncio.run(main(parsed))
