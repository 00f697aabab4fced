"""Live recording ingest: batches of points per second, their latency, and the time to finish a long run.

In one process, through the ASGI app (no network): PHONES recordings are started at once, each sends
BATCHES batches of BATCH points (a phone sends 10 fixes every ~10 s), with CONCURRENCY requests in flight
over all phones; then each recording is finished (points → summary, streams, GPX original). Prints one
JSON document: batches/s, points/s, batch latency p50/p95/p99 (ms), finish time p50/max (ms) and the
points per finished recording.

``--database-url`` (default: a fresh SQLite file; give a PostgreSQL URL to measure that),
``--phones 20 --batches 360 --batch 10 --concurrency 8``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from athlos.accounts.models import User  # noqa: E402
from athlos.accounts.passwords import hash_password  # noqa: E402
from athlos.app import create_app  # noqa: E402
from athlos.core.db import utcnow  # noqa: E402
from athlos.core.logging import configure_logging  # noqa: E402
from athlos.core.migrate import upgrade  # noqa: E402
from athlos.core.runtime import Runtime  # noqa: E402
from athlos.modules import load_handlers, load_models  # noqa: E402
from athlos.settings import Settings  # noqa: E402

PASSWORD = "bench password 1234"
CHEAP_ARGON2 = {"argon2_memory_kib": 64, "argon2_time_cost": 1, "argon2_parallelism": 1}
M_PER_DEG = 111_257.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def batch_points(t0: float, index: int, size: int) -> list[dict[str, Any]]:
    first = index * size
    return [
        {"t": t0 + i, "lat": 52.5 + i * 3.0 / M_PER_DEG, "lon": 13.4, "alt": 40.0, "hr": 150, "accuracy": 4.0}
        for i in range(first, first + size)
    ]


async def run(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    settings = Settings(
        database_url=args.database_url,
        data_dir=data_dir,
        secret_key="bench-secret-key-that-is-long-enough-for-hmac",
        log_level="warning",
        log_json=False,
        _env_file=None,  # type: ignore[call-arg]
        **CHEAP_ARGON2,
    )
    configure_logging("warning", json_output=False)
    runtime = Runtime.create(settings)
    app = create_app(settings, run_event_bus=False)
    app.state.runtime = runtime
    email = f"bench-{uuid.uuid4().hex[:8]}@example.org"
    async with runtime.db.unit_of_work() as session:
        session.add(
            User(
                email=email,
                display_name="Bench",
                password_hash=await hash_password(settings, PASSWORD),
                email_verified_at=utcnow(),
                totp_enabled=False,
            )
        )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        login = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        t0 = time.time() - args.batches * args.batch - 60
        started_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 - 1))
        ids = []
        for _ in range(args.phones):
            answer = await client.post(
                "/api/v1/recordings", json={"sport": "run", "started_at": started_at}, headers=headers
            )
            ids.append(answer.json()["id"])
        jobs = [(rid, index) for index in range(args.batches) for rid in ids]
        latencies: list[float] = []
        gate = asyncio.Semaphore(args.concurrency)

        async def send(rid: str, index: int) -> None:
            body = {"seq": index, "points": batch_points(t0, index, args.batch)}
            async with gate:
                began = time.perf_counter()
                answer = await client.post(f"/api/v1/recordings/{rid}/points", json=body, headers=headers)
                latencies.append((time.perf_counter() - began) * 1000)
            assert answer.status_code == 200, answer.text

        began = time.perf_counter()
        await asyncio.gather(*(send(rid, index) for rid, index in jobs))
        ingest_s = time.perf_counter() - began
        finishes: list[float] = []
        points = []
        for rid in ids:
            began = time.perf_counter()
            answer = await client.post(f"/api/v1/recordings/{rid}/finish", headers=headers)
            finishes.append((time.perf_counter() - began) * 1000)
            assert answer.status_code == 200, answer.text
            points.append(answer.json()["points"])
    await runtime.close()
    return {
        "database": args.database_url.split(":", 1)[0],
        "phones": args.phones,
        "batches_per_phone": args.batches,
        "points_per_batch": args.batch,
        "concurrency": args.concurrency,
        "batches_per_s": round(len(jobs) / ingest_s, 1),
        "points_per_s": round(len(jobs) * args.batch / ingest_s, 1),
        "batch_ms": {
            "p50": round(statistics.median(latencies), 2),
            "p95": round(percentile(latencies, 0.95), 2),
            "p99": round(percentile(latencies, 0.99), 2),
        },
        "finish_ms": {"p50": round(statistics.median(finishes), 1), "max": round(max(finishes), 1)},
        "points_per_recording": points[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--phones", type=int, default=20)
    parser.add_argument("--batches", type=int, default=360)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if not args.database_url:
            args.database_url = f"sqlite+aiosqlite:///{folder}/bench.db"
        load_models()
        load_handlers()
        upgrade(args.database_url)
        print(json.dumps(asyncio.run(run(args, Path(folder) / "var")), indent=2))


if __name__ == "__main__":
    main()
