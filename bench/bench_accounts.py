"""Sign-in cost with the production argon2id parameters, and ``GET /api/v1/me`` under concurrency.

Starts a real ``athlos serve`` on a fresh database (SQLite, or PostgreSQL when ``ATHLOS_DATABASE_URL``
names an empty one), registers one person, then measures:
- login latency (p50/p95) over sequential sign-ins, and the bare argon2id hash time;
- ``GET /api/v1/me`` requests per second and latency (p50/p95/p99) with N concurrent connections, measured
  by wrk (one bearer token, so every request resolves the token and reads the account), and the same
  through an in-process httpx client for comparison when wrk is not installed.

Run: ``python bench/bench_accounts.py [--logins 50] [--clients 100] [--seconds 10] [--workers 1]``.
Figures, not asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_http import REPORT
from tests.processes import AthlosProcess, free_port, wait_for_http_sync

from athlos.accounts.passwords import hasher
from athlos.core.migrate import upgrade
from athlos.settings import Settings

PASSWORD = "a benchmark passphrase"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(latencies: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 2),
        "max_ms": round(max(latencies) * 1000, 2),
    }


async def measure_logins(base_url: str, count: int) -> list[float]:
    latencies = []
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for _ in range(count):
            started = time.perf_counter()
            response = await client.post(
                "/api/v1/auth/login", json={"email": "bench@example.org", "password": PASSWORD}
            )
            latencies.append(time.perf_counter() - started)
            response.raise_for_status()
    return latencies


async def measure_me(base_url: str, token: str, clients: int, seconds: float) -> tuple[int, list[float]]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:

        async def one_client() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()

        await asyncio.gather(*(one_client() for _ in range(clients)))
    return len(latencies), latencies


def wrk(url: str, clients: int, seconds: float, headers: list[str]) -> dict[str, object]:
    """One wrk run at ``clients`` connections after a 2 s warm-up; a request slower than 30 s is an error."""
    command = ["wrk", "-t", str(min(2, clients)), "-c", str(clients), "--timeout", "30s", *headers]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(REPORT)
        script.flush()
        subprocess.run([*command, "-d", "2s", url], check=True, capture_output=True)
        out = subprocess.run(
            [*command, "-d", f"{int(seconds)}s", "-s", script.name, url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    report: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    duration = float(report.pop("duration_us")) / 1e6  # type: ignore[arg-type]
    report["requests_per_second"] = round(float(report["requests"]) / duration, 1)  # type: ignore[arg-type]
    return {"tool": "wrk", "clients": clients, "seconds": seconds, **report}


def wrk_me(base_url: str, token: str, clients: int, seconds: float) -> dict[str, object]:
    """``GET /api/v1/me`` (token checked, session and account read), and ``/healthz`` as the baseline of
    the same server at the same moment."""
    me = wrk(f"{base_url}/api/v1/me", clients, seconds, ["-H", f"Authorization: Bearer {token}"])
    baseline = wrk(f"{base_url}/healthz", clients, seconds, [])
    return {**me, "healthz_baseline": baseline}


def bare_hash_seconds(repeat: int = 10) -> float:
    argon2 = hasher(Settings(_env_file=None))  # type: ignore[call-arg]
    started = time.perf_counter()
    for _ in range(repeat):
        argon2.hash(PASSWORD)
    return (time.perf_counter() - started) / repeat


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--logins", type=int, default=50)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1, help="athlos serve processes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "var"
        database_url = os.environ.get("ATHLOS_DATABASE_URL") or f"sqlite+aiosqlite:///{folder}/athlos.db"
        upgrade(database_url)
        port = free_port()
        env = {
            "ATHLOS_DATABASE_URL": database_url,
            "ATHLOS_DATA_DIR": str(data_dir),
            "ATHLOS_SECRET_KEY": "bench-secret-key-that-is-long-enough-for-hmac",
            "ATHLOS_PORT": str(port),
            "ATHLOS_LOG_LEVEL": "warning",
            # Quotas would throttle a benchmark; ATHLOS_RATE_LIMIT_ENABLED=true measures them.
            "ATHLOS_RATE_LIMIT_ENABLED": os.environ.get("ATHLOS_RATE_LIMIT_ENABLED", "false"),
        }
        server = AthlosProcess(
            ["serve", "--workers", str(args.workers)], env, Path(folder) / "server.log"
        ).start()
        base_url = f"http://127.0.0.1:{port}"
        try:
            wait_for_http_sync(base_url, server)
            httpx.post(
                f"{base_url}/api/v1/auth/register",
                json={"email": "bench@example.org", "password": PASSWORD, "display_name": "Bench"},
            ).raise_for_status()
            logins = asyncio.run(measure_logins(base_url, args.logins))
            token = httpx.post(
                f"{base_url}/api/v1/auth/login", json={"email": "bench@example.org", "password": PASSWORD}
            ).json()["access_token"]
            if shutil.which("wrk"):
                me: dict[str, object] = wrk_me(base_url, token, args.clients, args.seconds)
            else:
                requests, latencies = asyncio.run(measure_me(base_url, token, args.clients, args.seconds))
                me = {
                    "tool": "httpx",
                    "clients": args.clients,
                    "seconds": args.seconds,
                    "requests": requests,
                    "requests_per_second": round(requests / args.seconds, 1),
                    **summary(latencies),
                }
        finally:
            server.stop()
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    print(
        json.dumps(
            {
                "benchmark": "accounts",
                "cpu_count": os.cpu_count(),
                "database": database_url.split(":", 1)[0],
                "argon2id": {
                    "memory_kib": settings.argon2_memory_kib,
                    "time_cost": settings.argon2_time_cost,
                    "parallelism": settings.argon2_parallelism,
                    "bare_hash_ms": round(bare_hash_seconds() * 1000, 2),
                },
                "login": {"count": len(logins), **summary(logins)},
                "serve_processes": args.workers,
                "me": me,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
