"""Latency of the progress dashboard and of the activity page on PostgreSQL with a realistic volume.

Seeds USERS people × PER_USER activities (default 10,000 × 200) with COPY straight into the activities
tables and the analytics read model (as the event handlers would have left it: facts with local days,
record histories, cohort facts), starts ``athlos serve`` on that database, signs a sample of people in,
then measures, for random people of the sample at a modest concurrency with an async httpx client:

- ``GET /progress`` (the dashboard page, cookie session),
- ``GET /api/v1/me/progress?period=week`` (bearer token),
- the activity page ``GET /activities/{id}`` of one of their activities (``GET /api/v1/activities/{id}``
  when the page does not exist).

Prints one JSON document (p50/p95/p99 in ms, requests/s per endpoint). The goal is p95 < 50 ms.

``--database-url`` (default: database ``athlos_bench_pages`` on the local PostgreSQL, re-created unless
``--reuse`` finds it seeded), ``--users 10000 --per-user 200 --sample 200 --requests 1000
--concurrency 1,8 --workers 2``; /healthz and /api/v1/me/profile are measured beside them as baselines of
the machine's state.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import numpy as np
from sqlalchemy import Table
from sqlalchemy.engine import make_url

from athlos.accounts.passwords import hash_password
from athlos.analytics import periods
from athlos.core.db import Base
from athlos.core.migrate import upgrade
from athlos.modules import load_models
from athlos.settings import Settings

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/athlos_bench_pages"
PASSWORD = "bench password 1234"
CHEAP_ARGON2 = {"argon2_memory_kib": 64, "argon2_time_cost": 1, "argon2_parallelism": 1}
SECRET = "bench-secret-key-that-is-long-enough-for-hmac"
CHUNK_USERS = 250
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

# sport: (share, median distance m, speed m/s, elevation m per km)
SPORTS = {
    "run": (0.45, 8000, 3.0, 8),
    "ride": (0.25, 35000, 7.5, 10),
    "walk": (0.12, 4000, 1.4, 5),
    "trail_run": (0.05, 12000, 2.4, 40),
    "hike": (0.05, 11000, 1.2, 60),
    "pool_swim": (0.04, 1800, 0.6, 0),
    "strength": (0.04, 0, 0.0, 0),
}
RUN_EFFORTS = {"400m": 400, "1k": 1000, "1mile": 1609.344, "5k": 5000, "10k": 10000, "half_marathon": 21097.5}
# country: (share, time zone, regions)
PLACES = {
    "DE": (0.35, "Europe/Berlin", ["DE-BY", "DE-BE", "DE-NW", "DE-HH", "DE-BW", "DE-HE"]),
    "RU": (0.30, "Europe/Moscow", ["RU-MOW", "RU-SPE", "RU-SVE", "RU-NVS", "RU-KDA"]),
    "AT": (0.10, "Europe/Vienna", ["AT-9", "AT-6", "AT-7"]),
    "FR": (0.10, "Europe/Paris", ["FR-IDF", "FR-ARA", "FR-PAC"]),
    "US": (0.15, "America/New_York", ["US-NY", "US-CA", "US-TX", "US-MA"]),
}


def plain_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def copier(table: Table) -> tuple[list[str], Callable[[dict[str, Any]], tuple[Any, ...]]]:
    """The table's columns, and a function making a COPY row from the given values and the defaults."""
    names = [column.name for column in table.columns]
    defaults: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if default is None or (not getattr(default, "is_scalar", False) and not default.is_callable):
            defaults[column.name] = None
        elif default.is_callable:
            defaults[column.name] = default.arg(None)  # type: ignore[attr-defined]
        else:
            defaults[column.name] = default.arg  # type: ignore[attr-defined]
    json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}

    def row(values: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for name in names:
            value = values.get(name, defaults[name])
            out.append(json.dumps(value) if name in json_columns and value is not None else value)
        return tuple(out)

    return names, row


def person_facts(rng: random.Random, user_id: uuid.UUID) -> dict[str, Any]:
    country = rng.choices(list(PLACES), weights=[p[0] for p in PLACES.values()])[0]
    _, zone, regions = PLACES[country]
    region = rng.choice(regions)
    return {
        "user_id": user_id,
        "time_zone": zone,
        "birth_year": int(np.clip(rng.gauss(1985, 12), 1940, 2010)),
        "sex": rng.choices(["female", "male", "other"], weights=[45, 53, 2])[0],
        "profile_country": country,
        "profile_region": region,
        "geo_country": country,
        "geo_region": region,
        "country": country,
        "region": region,
        "in_comparisons": rng.random() < 0.6,
    }


def activities_of(
    rng: random.Random,
    np_rng: np.random.Generator,
    owner: dict[str, Any],
    n: int,
    now: datetime,
    days: int = 730,
):
    """``n`` activities over the last ``days``: (activity row values, analytics fact values)."""
    sports = rng.choices(list(SPORTS), weights=[s[0] for s in SPORTS.values()], k=n)
    starts = sorted(now - timedelta(seconds=float(s)) for s in np_rng.uniform(3600, days * 86400, n))
    zone = owner["time_zone"]
    for sport, start in zip(sports, starts, strict=True):
        _, median, speed, climb = SPORTS[sport]
        distance = float(median * np_rng.lognormal(0, 0.35)) if median else 0.0
        moving = (
            distance / (speed * float(np_rng.normal(1, 0.08))) if speed else float(np_rng.uniform(1800, 4200))
        )
        elevation = distance / 1000 * climb * float(np_rng.uniform(0.3, 1.7))
        efforts: dict[str, float] = {}
        if sport in ("run", "trail_run"):
            pace = moving / distance if distance else 0
            for name, metres in RUN_EFFORTS.items():
                if metres <= distance:
                    efforts[name] = round(metres * pace * float(np_rng.uniform(0.9, 1.0)), 1)
        elif sport == "ride" and moving > 1200:
            efforts = {"power_5min": round(float(np_rng.normal(260, 40)), 1), "power_20min": 230.0}
        activity_id = uuid.uuid4()
        summary = {
            "sport": sport,
            "start_time": start.isoformat(),
            "distance_m": distance,
            "elapsed_time_s": moving * 1.05,
            "moving_time_s": moving,
            "elevation_gain_m": elevation,
            "source": "device",
            "warnings": [],
            "splits": {},
            "laps": [],
            "best_efforts": efforts,
            "start_lat": None,
            "start_lon": None,
        }
        activity = {
            "id": activity_id,
            "owner_id": owner["user_id"],
            "sport": sport,
            "title": f"Bench {sport}",
            "description": "",
            "visibility": "everyone",
            "start_time": start,
            "distance_m": distance,
            "elapsed_time_s": moving * 1.05,
            "moving_time_s": moving,
            "elevation_gain_m": elevation,
            "avg_heart_rate": float(np_rng.normal(145, 10)),
            "max_heart_rate": 180.0,
            "calories": moving / 60 * 10,
            "source": "device",
            "summary": summary,
            "manual": False,
            "has_gps": True,
            "created_at": start,
            "updated_at": start,
        }
        day = periods.local_day(start, zone)
        fact = {
            "activity_id": activity_id,
            "owner_id": owner["user_id"],
            "sport": sport,
            "start_time": start,
            "local_date": day,
            "week_start": periods.week_start(day),
            "month_start": periods.month_start(day),
            "year": day.year,
            "distance_m": distance,
            "moving_time_s": moving,
            "elapsed_time_s": moving * 1.05,
            "elevation_gain_m": elevation,
            "best_efforts": efforts,
            "country": owner["country"],
            "region": owner["region"],
        }
        yield activity, fact


def record_steps(owner: uuid.UUID, facts: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The record histories the handler would build from these facts (in time order)."""
    best: dict[tuple[str, str], float] = {}
    for fact in facts:
        for effort, value in sorted(fact["best_efforts"].items()):
            key = (fact["sport"], effort)
            previous = best.get(key)
            higher = effort.startswith("power_")
            if previous is None or (value > previous if higher else value < previous):
                best[key] = value
                yield {
                    "owner_id": owner,
                    "sport": fact["sport"],
                    "effort": effort,
                    "value": value,
                    "activity_id": fact["activity_id"],
                    "achieved_at": fact["start_time"],
                    "previous_value": previous,
                }


RowMaker = Callable[[dict[str, Any]], tuple[Any, ...]]


def add_history(
    history: Iterator[tuple[dict[str, Any], dict[str, Any]]],
    owner: dict[str, Any],
    now: datetime,
    makers: tuple[
        Callable[..., tuple[Any, ...]],
        Callable[..., tuple[Any, ...]],
        Callable[..., tuple[Any, ...]],
        list[int],
    ],
    into: tuple[list[Any], list[Any], list[Any]],
) -> None:
    """One person's activities as COPY rows: the activities, their analytics facts, the record history."""
    activity_row, fact_row, record_row, keep = makers
    activities, fact_rows, records = into
    facts = []
    for activity, fact in history:
        activities.append(activity_row(activity))
        fact_rows.append(fact_row({**fact, "updated_at": now}))
        facts.append(fact)
    for step in record_steps(owner["user_id"], facts):
        full = record_row(step)
        records.append(tuple(full[i] for i in keep))


async def seed(url: str, users: int, per_user: int, seed_value: int) -> dict[str, Any]:
    load_models()
    tables = Base.metadata.tables
    user_cols, user_row = copier(tables["accounts_user"])
    activity_cols, activity_row = copier(tables["activities_activity"])
    fact_cols, fact_row = copier(tables["analytics_activity_fact"])
    person_cols, person_row = copier(tables["analytics_person"])
    record_cols, record_row = copier(tables["analytics_personal_record"])
    keep = [i for i, name in enumerate(record_cols) if name != "id"]
    record_cols_no_id = [record_cols[i] for i in keep]
    makers = (activity_row, fact_row, record_row, keep)
    settings = Settings(_env_file=None, **CHEAP_ARGON2)  # type: ignore[call-arg]
    password_hash = await hash_password(settings, PASSWORD)
    rng = random.Random(seed_value)
    np_rng = np.random.default_rng(seed_value)
    now = datetime.now(UTC)
    started = time.perf_counter()
    counts = {"users": 0, "activities": 0, "records": 0}
    connection = await asyncpg.connect(plain_url(url))
    try:
        restore = await drop_indexes_and_foreign_keys(connection, SEEDED_TABLES)
        for first in range(0, users, CHUNK_USERS):
            user_rows, person_rows, activity_rows, fact_rows, record_rows = [], [], [], [], []
            for i in range(first, min(first + CHUNK_USERS, users)):
                user_id = uuid.uuid4()
                user_rows.append(
                    user_row(
                        {
                            "id": user_id,
                            "email": f"bench-{i}@example.org",
                            "display_name": f"Bench {i}",
                            "password_hash": password_hash,
                            "email_verified_at": now,
                            "totp_enabled": False,
                            "created_at": now,
                            "password_changed_at": now - timedelta(days=1),
                        }
                    )
                )
                owner = person_facts(rng, user_id)
                person_rows.append(person_row({**owner, "updated_at": now}))
                history = activities_of(rng, np_rng, owner, per_user, now)
                add_history(history, owner, now, makers, (activity_rows, fact_rows, record_rows))
            await copy_batch(
                connection,
                {
                    "accounts_user": (user_cols, user_rows),
                    "activities_activity": (activity_cols, activity_rows),
                    "analytics_activity_fact": (fact_cols, fact_rows),
                    "analytics_person": (person_cols, person_rows),
                    "analytics_personal_record": (record_cols_no_id, record_rows),
                },
            )
            counts["users"] += len(user_rows)
            counts["activities"] += len(activity_rows)
            counts["records"] += len(record_rows)
        await fill_period_totals(connection)
        copied = time.perf_counter()
        for statement in restore:
            await connection.execute(statement)
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()
    return {
        **counts,
        "seconds": round(time.perf_counter() - started, 1),
        "index_and_vacuum_seconds": round(time.perf_counter() - copied, 1),
    }


async def copy_batch(connection: asyncpg.Connection, batch: dict[str, tuple[list[str], list[Any]]]) -> None:
    """Copy each table's rows (its columns, its records) in one transaction."""
    async with connection.transaction():
        for table, (columns, records) in batch.items():
            await connection.copy_records_to_table(table, records=records, columns=columns)


PERIOD_TOTALS = tuple(
    "INSERT INTO analytics_period_total (owner_id, sport, period, start, count, distance_m, moving_time_s) "
    + select
    for select in (
        "SELECT owner_id, sport, 'week', week_start, count(*), sum(distance_m), sum(moving_time_s) "
        "FROM analytics_activity_fact GROUP BY owner_id, sport, week_start",
        "SELECT owner_id, sport, 'month', month_start, count(*), sum(distance_m), sum(moving_time_s) "
        "FROM analytics_activity_fact GROUP BY owner_id, sport, month_start",
        "SELECT owner_id, sport, 'year', make_date(year, 1, 1), count(*), sum(distance_m), "
        "sum(moving_time_s) FROM analytics_activity_fact GROUP BY owner_id, sport, year",
    )
)


async def fill_period_totals(connection: asyncpg.Connection) -> None:
    """Each person's totals per sport and period, summed from the facts as the handlers keep them."""
    for statement in PERIOD_TOTALS:
        await connection.execute(statement)


SEEDED_TABLES = [
    "analytics_period_total",
    "accounts_user",
    "activities_activity",
    "analytics_activity_fact",
    "analytics_person",
    "analytics_personal_record",
]


async def drop_indexes_and_foreign_keys(connection: asyncpg.Connection, tables: list[str]) -> list[str]:
    """Drop the tables' secondary indexes and foreign keys for a fast COPY; returns what restores them."""
    foreign_keys = await connection.fetch(
        "SELECT conrelid::regclass::text AS tab, conname, pg_get_constraintdef(oid) AS def "
        "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY($1::text[])",
        tables,
    )
    indexes = await connection.fetch(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY($1::text[]) "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        tables,
    )
    for fk in foreign_keys:
        await connection.execute(f'ALTER TABLE {fk["tab"]} DROP CONSTRAINT "{fk["conname"]}"')
    for index in indexes:
        await connection.execute(f'DROP INDEX "{index["indexname"]}"')
    return [index["indexdef"] for index in indexes] + [
        f'ALTER TABLE {fk["tab"]} ADD CONSTRAINT "{fk["conname"]}" {fk["def"]}' for fk in foreign_keys
    ]


async def prepare_database(url: str, users: int, per_user: int, reuse: bool) -> dict[str, Any]:
    parsed = make_url(url)
    admin = await asyncpg.connect(plain_url(parsed.set(database="postgres").render_as_string(False)))
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", parsed.database)
        if exists and reuse:
            probe = await asyncpg.connect(plain_url(url))
            try:
                seeded = await probe.fetchval("SELECT count(*) FROM accounts_user WHERE email LIKE 'bench-%'")
            except asyncpg.PostgresError:
                seeded = 0
            finally:
                await probe.close()
            if seeded == users:
                return await top_up(url, users)
        await admin.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{parsed.database}"')
    finally:
        await admin.close()
    await asyncio.to_thread(upgrade, url)
    return await seed(url, users, per_user, 42)


async def top_up(url: str, users: int) -> dict[str, Any]:
    """A seeded database from an earlier run: migrated to the current schema, derived tables filled."""
    await asyncio.to_thread(upgrade, url)
    connection = await asyncpg.connect(plain_url(url))
    try:
        if not await connection.fetchval("SELECT count(*) FROM analytics_period_total"):
            await fill_period_totals(connection)
            await connection.execute("VACUUM ANALYZE analytics_period_total")
        activities = await connection.fetchval("SELECT count(*) FROM activities_activity")
    finally:
        await connection.close()
    return {"reused": True, "users": users, "activities": activities}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError("athlos serve exited early")
            try:
                if (await client.get(base + "/healthz", timeout=1)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not answer")


async def sign_in(client: httpx.AsyncClient, email: str) -> tuple[dict[str, str], dict[str, str]]:
    """A bearer header (API) and a cookie header (pages) of two sign-in sessions of ``email``."""
    login = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    login.raise_for_status()
    bearer = {"Authorization": f"Bearer {login.json()['access_token']}"}
    async with httpx.AsyncClient(base_url=str(client.base_url), timeout=30) as browser:
        form = await browser.get("/signin")
        token = TOKEN.search(form.text)
        assert token is not None
        signed = await browser.post(
            "/signin", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
        )
        assert signed.status_code == 303, signed.text[:300]
        cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
    return bearer, {"Cookie": cookie}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))
    return round(ordered[index], 2)


async def measure(
    client: httpx.AsyncClient, requests: list[tuple[str, dict[str, str]]], concurrency: int
) -> dict[str, Any]:
    for url, headers in requests[: min(20, len(requests))]:  # warm up
        await client.get(url, headers=headers)
    latencies: list[float] = []
    errors = 0
    queue = iter(requests)

    async def worker() -> None:
        nonlocal errors
        for url, headers in queue:
            began = time.perf_counter()
            try:
                response = await client.get(url, headers=headers)
            except httpx.TransportError:
                # A kept-alive connection the server had just closed; not a slow answer of ours.
                errors += 1
                continue
            latencies.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200:
                errors += 1

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - began
    return {
        "requests": len(latencies),
        "errors": errors,
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "mean_ms": round(statistics.fmean(latencies), 2),
    }


def start_server(env: dict[str, str], workers: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "athlos", "serve", "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def run(args: argparse.Namespace) -> dict[str, Any]:
    seeded = await prepare_database(args.database_url, args.users, args.per_user, args.reuse)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data_dir:
        env = {
            **os.environ,
            "ATHLOS_DATABASE_URL": args.database_url,
            "ATHLOS_DATA_DIR": data_dir,
            "ATHLOS_SECRET_KEY": SECRET,
            "ATHLOS_PORT": str(port),
            "ATHLOS_LOG_LEVEL": "warning",
            # Quotas would throttle a benchmark; ATHLOS_RATE_LIMIT_ENABLED=true measures them.
            "ATHLOS_RATE_LIMIT_ENABLED": os.environ.get("ATHLOS_RATE_LIMIT_ENABLED", "false"),
            **{f"ATHLOS_{k.upper()}": str(v) for k, v in CHEAP_ARGON2.items()},
        }
        server = start_server(env, args.workers)
        try:
            await wait_ready(base, server)
            return await measure_all(args, base, seeded)
        finally:
            server.terminate()
            server.wait(timeout=60)


async def measure_all(args: argparse.Namespace, base: str, seeded: dict[str, Any]) -> dict[str, Any]:
    rng = random.Random(7)
    people = rng.sample(range(args.users), min(args.sample, args.users))
    limits = httpx.Limits(max_connections=max(args.concurrency) * 2)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        sessions = []
        for i in people:
            sessions.append(await sign_in(client, f"bench-{i}@example.org"))
        connection = await asyncpg.connect(plain_url(args.database_url))
        try:
            owned: list[list[str]] = []
            for i in people:
                rows = await connection.fetch(
                    "SELECT a.id FROM activities_activity a JOIN accounts_user u ON u.id = a.owner_id "
                    "WHERE u.email = $1 LIMIT 20",
                    f"bench-{i}@example.org",
                )
                owned.append([str(row["id"]) for row in rows])
        finally:
            await connection.close()
        first_id = owned[0][0]
        page_exists = (await client.get(f"/activities/{first_id}", headers=sessions[0][1])).status_code == 200
        activity_path = "/activities/{}" if page_exists else "/api/v1/activities/{}"
        picks = [rng.randrange(len(people)) for _ in range(args.requests)]
        targets: dict[str, list[tuple[str, dict[str, str]]]] = {
            "/progress": [("/progress", sessions[p][1]) for p in picks],
            "/api/v1/me/progress?period=week": [
                ("/api/v1/me/progress?period=week", sessions[p][0]) for p in picks
            ],
            activity_path.format("{id}"): [
                (activity_path.format(rng.choice(owned[p])), sessions[p][1 if page_exists else 0])
                for p in picks
            ],
            # Baselines on the same machine at the same time: no database, and one signed-in row read.
            "/healthz (baseline)": [("/healthz", {}) for _ in picks],
            "/api/v1/me/profile (baseline)": [("/api/v1/me/profile", sessions[p][0]) for p in picks],
        }
        runs = []
        for concurrency in args.concurrency:
            results = {
                name: await measure(client, requests, concurrency) for name, requests in targets.items()
            }
            runs.append({"concurrency": concurrency, "endpoints": results})
    return {
        "benchmark": "pages",
        "database": "postgresql",
        "seeded": seeded,
        "serve_processes": args.workers,
        "people_sampled": len(people),
        "cpu_count": os.cpu_count(),
        "load_average_after": os.getloadavg(),
        "goal_p95_ms": 50,
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("ATHLOS_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--per-user", type=int, default=200)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=lambda text: [int(n) for n in text.split(",")], default=[1, 8])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args)), indent=2, default=str))


if __name__ == "__main__":
    main()
