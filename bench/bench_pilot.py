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
on stdout. Figures, not asserts.
"""

# A benchmark coordinating its processes through files in a run folder: polling and blocking calls are
# what it means to do here.
# ruff: noqa: ASYNC109, ASYNC110, ASYNC220, ASYNC240
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import numpy as np
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_pages import (  # noqa: E402
    activities_of,
    add_history,
    copier,
    copy_batch,
    drop_indexes_and_foreign_keys,
    fill_period_totals,
    plain_url,
)
from bench.bench_race import percentile, wait_for_files  # noqa: E402
from tests.processes import AthlosProcess, free_port, wait_for_http  # noqa: E402
from tests.shared_data import TRACKS  # noqa: E402

from athlos.accounts.tokens import issue_access_token, token_hash  # noqa: E402
from athlos.commerce.catalog.models import Product  # noqa: E402
from athlos.commerce.catalog.service import import_feed  # noqa: E402
from athlos.commerce.promotions.models import Promotion  # noqa: E402
from athlos.commerce.promotions.schemas import PromotionIn  # noqa: E402
from athlos.commerce.promotions.service import create_promotion  # noqa: E402
from athlos.commerce.shop.signing import signed_headers  # noqa: E402
from athlos.core.db import Base, Database  # noqa: E402
from athlos.core.events import registry  # noqa: E402
from athlos.core.migrate import upgrade  # noqa: E402
from athlos.gamification.challenges.models import Challenge  # noqa: E402
from athlos.gamification.challenges.schemas import ChallengeIn  # noqa: E402
from athlos.gamification.challenges.service import create_challenge  # noqa: E402
from athlos.modules import load_handlers, load_models  # noqa: E402
from athlos.settings import Settings  # noqa: E402

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/athlos_pilot_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
DEFAULT_NATS = "nats://127.0.0.1:4222"
SECRET = "bench-pilot-secret-key-shared-by-every-process"
SHOP_SECRET = "bench-pilot-shop-webhook-secret"
CATALOG = REPO / "examples" / "catalog" / "products.json"
GPX = TRACKS / "gpx" / "cerknicko-jezero.gpx"
CHUNK = 1000
CHALLENGE_REGION = ("DE", "DE-BY")
# country: (share, time zone, regions)
PLACES = {
    "DE": (0.18, "Europe/Berlin", ["DE-BY", "DE-BE", "DE-NW", "DE-HH"]),
    "RU": (0.16, "Europe/Moscow", ["RU-MOW", "RU-SPE", "RU-SVE"]),
    "AT": (0.06, "Europe/Vienna", ["AT-9", "AT-6"]),
    "FR": (0.10, "Europe/Paris", ["FR-IDF", "FR-ARA"]),
    "US": (0.14, "America/New_York", ["US-NY", "US-CA", "US-TX"]),
    "ES": (0.08, "Europe/Madrid", ["ES-MD", "ES-CT"]),
    "IT": (0.08, "Europe/Rome", ["IT-RM", "IT-MI"]),
    "PL": (0.07, "Europe/Warsaw", ["PL-14", "PL-12"]),
    "NL": (0.06, "Europe/Amsterdam", ["NL-NH", "NL-ZH"]),
    "CH": (0.07, "Europe/Zurich", ["CH-ZH", "CH-BE"]),
}
# kind: share of the requests
MIX = {
    "feed": 18,
    "dashboard": 14,
    "activity": 18,
    "leaderboard": 10,
    "challenge": 5,
    "upload": 3,
    "kudos": 10,
    "comment": 5,
    "challenge_join": 3,
    "shop_click": 9,
    "purchase_webhook": 5,
}
SEED_TABLES = [
    "analytics_period_total",
    "accounts_user",
    "accounts_profile",
    "activities_activity",
    "analytics_activity_fact",
    "analytics_person",
    "analytics_personal_record",
]


def email_of(n: int) -> str:
    return f"pilot-{n}@bench.example.org"


def yearly_count(rng: random.Random) -> int:
    kind = rng.random()
    if kind < 0.10:
        return rng.randint(52, 104)
    if kind < 0.40:
        return rng.randint(6, 18)
    return rng.randint(0, 3)


def person_of(rng: random.Random, user_id: uuid.UUID) -> dict[str, Any]:
    country = rng.choices(list(PLACES), weights=[p[0] for p in PLACES.values()])[0]
    _, zone, regions = PLACES[country]
    region = rng.choice(regions)
    return {
        "user_id": user_id,
        "time_zone": zone,
        "birth_year": rng.randint(1950, 2006),
        "sex": rng.choices(["female", "male", "other"], weights=[45, 53, 2])[0],
        "profile_country": country,
        "profile_region": region,
        "geo_country": country,
        "geo_region": region,
        "country": country,
        "region": region,
        "in_comparisons": rng.random() < 0.6,
    }


# --- seeding -------------------------------------------------------------------------------------------


async def seeded_people(url: str) -> int:
    try:
        connection = await asyncpg.connect(plain_url(url))
    except asyncpg.InvalidCatalogNameError:
        return 0
    try:
        return int(await connection.fetchval("SELECT people FROM bench_pilot_seed") or 0)
    except asyncpg.PostgresError:
        return 0
    finally:
        await connection.close()


async def seed_people(url: str, people: int) -> dict[str, Any]:
    """People, their year of activities and the analytics read model, copied in bulk."""
    load_models()
    tables = Base.metadata.tables
    user_cols, user_row = copier(tables["accounts_user"])
    activity_cols, activity_row = copier(tables["activities_activity"])
    fact_cols, fact_row = copier(tables["analytics_activity_fact"])
    person_cols, person_row = copier(tables["analytics_person"])
    profile_cols, profile_row = copier(tables["accounts_profile"])
    record_cols, record_row = copier(tables["analytics_personal_record"])
    keep = [i for i, name in enumerate(record_cols) if name != "id"]
    record_cols_no_id = [record_cols[i] for i in keep]
    makers = (activity_row, fact_row, record_row, keep)
    rng = random.Random(17)
    np_rng = np.random.default_rng(17)
    now = datetime.now(UTC)
    started = time.perf_counter()
    activities = 0
    connection = await asyncpg.connect(plain_url(url))
    try:
        restore = await drop_indexes_and_foreign_keys(connection, SEED_TABLES)
        for first in range(0, people, CHUNK):
            users, profiles, persons, rows, facts_rows, records = [], [], [], [], [], []
            for n in range(first, min(first + CHUNK, people)):
                user_id = uuid.uuid4()
                users.append(
                    user_row(
                        {
                            "id": user_id,
                            "email": email_of(n),
                            "display_name": f"Pilot {n}",
                            "password_hash": "-",
                            "email_verified_at": now,
                            "totp_enabled": False,
                            "created_at": now - timedelta(days=400),
                            "password_changed_at": now - timedelta(days=400),
                        }
                    )
                )
                owner = person_of(rng, user_id)
                persons.append(person_row({**owner, "updated_at": now}))
                profile = {
                    k: owner[k] for k in ("user_id", "birth_year", "sex", "country", "region", "time_zone")
                }
                profiles.append(profile_row(profile))
                history = activities_of(rng, np_rng, owner, yearly_count(rng), now, days=365)
                add_history(history, owner, now, makers, (rows, facts_rows, records))
            await copy_batch(
                connection,
                {
                    "accounts_user": (user_cols, users),
                    "accounts_profile": (profile_cols, profiles),
                    "activities_activity": (activity_cols, rows),
                    "analytics_activity_fact": (fact_cols, facts_rows),
                    "analytics_person": (person_cols, persons),
                    "analytics_personal_record": (record_cols_no_id, records),
                },
            )
            activities += len(rows)
        await fill_period_totals(connection)
        for statement in restore:
            await connection.execute(statement)
        await connection.execute("CREATE TABLE bench_pilot_seed (people integer NOT NULL)")
        await connection.execute("INSERT INTO bench_pilot_seed VALUES ($1)", people)
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()
    return {"reused": False, "activities": activities, "seed_s": round(time.perf_counter() - started, 1)}


async def prepare(url: str, people: int) -> dict[str, Any]:
    """The seeded database: reused when its marker says it holds ``people``, else made afresh."""
    parsed = make_url(url)
    if await seeded_people(url) == people:
        await asyncio.to_thread(upgrade, url)
        return {"reused": True}
    admin = await asyncpg.connect(plain_url(parsed.set(database="postgres").render_as_string(False)))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{parsed.database}"')
    finally:
        await admin.close()
    await asyncio.to_thread(upgrade, url)
    return await seed_people(url, people)


async def simulated_people(url: str, people: int, users: int) -> list[dict[str, Any]]:
    """The simulated people: a sign-in session each (its bearer token), 30 follows each, and a few of
    their own activities' ids to look at."""
    settings = Settings(_env_file=None, secret_key=SECRET)
    rng = random.Random(23)
    picked = rng.sample(range(people), users)
    connection = await asyncpg.connect(plain_url(url))
    try:
        await connection.execute("DELETE FROM social_follow")
        ids = {
            row["email"]: row["id"]
            for row in await connection.fetch(
                "SELECT id, email FROM accounts_user WHERE email = ANY($1::text[])",
                [email_of(n) for n in picked],
            )
        }
        everyone = await connection.fetch(
            "SELECT id FROM accounts_user TABLESAMPLE SYSTEM (5) WHERE email LIKE 'pilot-%' LIMIT 20000"
        )
        now = datetime.now(UTC)
        sims: list[dict[str, Any]] = []
        follows: set[tuple[uuid.UUID, uuid.UUID]] = set()
        session_rows, token_rows = [], []
        for n in picked:
            user_id = ids[email_of(n)]
            session_id = uuid.uuid4()
            session_rows.append((session_id, user_id, "bench", "127.0.0.1", now, now))
            token_rows.append(
                (
                    uuid.uuid4(),
                    session_id,
                    token_hash(secrets.token_urlsafe(32)),
                    now,
                    now + timedelta(days=30),
                )
            )
            for other in rng.sample(list(ids.values()), min(10, len(ids))) + [
                r["id"] for r in rng.sample(everyone, min(20, len(everyone)))
            ]:
                if other != user_id:
                    follows.add((user_id, other))
            sims.append({"id": str(user_id), "token": issue_access_token(settings, user_id, session_id)})
        await connection.executemany(
            "INSERT INTO accounts_session (id, user_id, user_agent, ip, created_at, last_used_at) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            session_rows,
        )
        await connection.executemany(
            "INSERT INTO accounts_refresh_token (id, session_id, token_hash, created_at, expires_at) "
            "VALUES ($1, $2, $3, $4, $5)",
            token_rows,
        )
        await connection.copy_records_to_table(
            "social_follow",
            records=[(a, b, now) for a, b in follows],
            columns=["follower_id", "followee_id", "created_at"],
        )
        # What there is to look at, kudos and comment: the activities of the people they follow and their own.
        seen = await connection.fetch(
            "SELECT id, owner_id FROM activities_activity WHERE owner_id = ANY($1::uuid[]) "
            "ORDER BY start_time DESC LIMIT 20000",
            list({b for _, b in follows} | set(ids.values())),
        )
    finally:
        await connection.close()
    for sim in sims:
        others = [str(r["id"]) for r in seen if str(r["owner_id"]) != sim["id"]]
        sim["activities"] = rng.sample(others, min(20, len(others)))
    return sims


async def journeys(url: str) -> dict[str, Any]:
    """The catalogue (through the import service), a regional challenge and a promotion, once."""
    load_models()
    db = Database(url)
    today = date.today()
    try:
        async with db.unit_of_work() as session:
            if await session.scalar(select(Product.id).limit(1)) is None:
                await import_feed(session, CATALOG.read_bytes(), "bench")
            products = list((await session.scalars(select(Product.id).order_by(Product.id))).all())
            challenge = await session.scalar(select(Challenge).where(Challenge.title == "Bavarian 100 km"))
            if challenge is None:
                actor = await session.scalar(
                    select(Base.metadata.tables["accounts_user"].c.id).where(
                        Base.metadata.tables["accounts_user"].c.email == email_of(0)
                    )
                )
                assert actor is not None, "the seed has its first person"
                challenge = await create_challenge(
                    session,
                    actor,
                    True,
                    ChallengeIn(
                        title="Bavarian 100 km",
                        metric="distance",
                        sport="run",
                        target=100_000,
                        start_date=today - timedelta(days=10),
                        end_date=today + timedelta(days=300),
                        audience="region",
                        country=CHALLENGE_REGION[0],
                        region=CHALLENGE_REGION[1],
                    ),
                    today,
                )
            if await session.scalar(select(Promotion.id).where(Promotion.slug == "pilot-shoes")) is None:
                await create_promotion(
                    session,
                    None,
                    PromotionIn(
                        slug="pilot-shoes",
                        title_en="New shoes for the season",
                        product_id=products[0],
                        starts_on=today - timedelta(days=1),
                        ends_on=today + timedelta(days=365),
                    ),
                )
            challenge_id = str(challenge.id)
    finally:
        await db.dispose()
    return {"products": products, "challenge": challenge_id}


def shifted_gpx(template: str, n: int) -> bytes:
    """The real track, its times moved so that every upload is a new activity of the last days."""
    stamps = re.findall(r"<time>([^<]+)</time>", template)
    first = datetime.fromisoformat(stamps[1].replace("Z", "+00:00"))
    target = datetime.now(UTC) - timedelta(hours=6, minutes=n % 5000, seconds=n // 5000)
    delta = target - first

    def move(match: re.Match[str]) -> str:
        moved = datetime.fromisoformat(match.group(1).replace("Z", "+00:00")) + delta
        return f"<time>{moved.strftime('%Y-%m-%dT%H:%M:%SZ')}</time>"

    return re.sub(r"<time>([^<]+)</time>", move, template).encode()


# A handler that asked for its event again later (a training not yet due): not applied yet, by design.
DEFERRED = "f.last_error LIKE 'deferred:%' AND f.next_attempt_at > now()"


def problem_code(body: bytes) -> str:
    try:
        return str(json.loads(body).get("code", ""))
    except (ValueError, AttributeError):
        return ""


# --- the load generator (its own process) --------------------------------------------------------------


class Generator:
    def __init__(self, args: argparse.Namespace, plan: dict[str, Any]) -> None:
        self.args = args
        self.ports = [int(p) for p in args.ports.split(",")]
        self.plan = plan
        self.turn = 0
        self.samples: list[tuple[str, float, float, bool, str]] = []  # kind, at, ms, ok, code
        self.uploads: list[str] = []
        self.retried = 0
        self.gpx = GPX.read_text()

    def bases(self) -> list[str]:
        self.turn += 1
        first = self.turn % len(self.ports)
        return [f"http://127.0.0.1:{p}" for p in self.ports[first:] + self.ports[:first]]

    async def call(
        self,
        http: aiohttp.ClientSession,
        kind: str,
        method: str,
        path: str,
        expect: tuple[int, ...],
        **kw: Any,
    ) -> tuple[int, Any]:
        began = time.perf_counter()
        status, code = 0, ""
        body: Any = None
        for attempt, base in enumerate(self.bases()):
            try:
                async with http.request(method, base + path, allow_redirects=False, **kw) as response:
                    status = response.status
                    body = await response.read()
                    if response.headers.get("Location"):
                        body = response.headers["Location"]
                    code = str(status)
                    if status >= 400 and status not in expect:
                        code += f" {problem_code(body)}"
                break
            except aiohttp.ClientConnectorError:
                # Refused: nothing reached the server, so the balancer tries the other one.
                code = "refused"
                if attempt == 0:
                    self.retried += 1
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as exc:
                # The server died under the request: a balancer retries a read elsewhere, never a write.
                code = type(exc).__name__
                if method != "GET" or attempt > 0:
                    break
                self.retried += 1
            except (aiohttp.ClientError, TimeoutError) as exc:
                code = type(exc).__name__
                break
        ok = status in expect
        # When it ended: a failure belongs to the moment the server went away, not when it was asked.
        at = time.time() - self.start
        self.samples.append((kind, at, (time.perf_counter() - began) * 1000, ok, code))
        return (status if ok else 0), body

    async def person(self, http: aiohttp.ClientSession, n: int, sim: dict[str, Any], end: float) -> None:
        rng = random.Random(n)
        auth = {"Authorization": f"Bearer {sim['token']}"}
        kinds, weights = list(MIX), list(MIX.values())
        clicks: list[tuple[str, str]] = []
        challenge = self.plan["challenge"]
        products = self.plan["products"]
        await asyncio.sleep(rng.random() * self.args.think)
        while time.time() < end:
            kind = rng.choices(kinds, weights)[0]
            activity = rng.choice(sim["activities"]) if sim["activities"] else None
            if kind == "feed":
                await self.call(http, kind, "GET", "/api/v1/feed", (200,), headers=auth)
            elif kind == "dashboard":
                await self.call(http, kind, "GET", "/api/v1/me/progress?period=week", (200,), headers=auth)
            elif kind == "activity" and activity:
                await self.call(http, kind, "GET", f"/activities/{activity}", (200,), headers=auth)
            elif kind == "leaderboard":
                scope = rng.choice(["everyone", "country", "region", "friends"])
                path = f"/api/v1/leaderboards?sport=run&period=week&scope={scope}"
                await self.call(http, kind, "GET", path, (200,), headers=auth)
            elif kind == "challenge":
                await self.call(
                    http, kind, "GET", f"/api/v1/challenges/{challenge}/leaderboard", (200, 404), headers=auth
                )
            elif kind == "upload":
                self.turn_upload = getattr(self, "turn_upload", 0) + 1
                form = aiohttp.FormData()
                number = self.args.index * 1_000_000 + n * 1000 + self.turn_upload
                form.add_field("file", shifted_gpx(self.gpx, number), filename="run.gpx")
                form.add_field("sport", "run")
                status, body = await self.call(
                    http, kind, "POST", "/api/v1/uploads", (202,), headers=auth, data=form
                )
                if status == 202:
                    self.uploads.append(json.loads(body)["id"])
            elif kind == "kudos" and activity:
                await self.call(
                    http, kind, "POST", f"/api/v1/activities/{activity}/kudos", (204, 404), headers=auth
                )
            elif kind == "comment" and activity:
                await self.call(
                    http,
                    kind,
                    "POST",
                    f"/api/v1/activities/{activity}/comments",
                    (201, 404),
                    headers=auth,
                    json={"text": rng.choice(["Strong pace!", "Молодец!", "Stark gelaufen!"])},
                )
            elif kind == "challenge_join":
                path = f"/api/v1/challenges/{challenge}/participation"
                await self.call(http, kind, "POST", path, (200, 404), headers=auth)
            elif kind == "shop_click":
                product = rng.choice(products)
                status, location = await self.call(
                    http, kind, "GET", f"/shop/go/{product}?placement=gear", (303,), headers=auth
                )
                found = re.search(r"athlos_click=([^&]+)", str(location or ""))
                if status and found:
                    clicks.append((found.group(1), product))
            elif kind == "purchase_webhook" and clicks:
                click, product = clicks.pop()
                body = json.dumps(
                    {
                        "order_id": f"o-{uuid.uuid4().hex[:20]}",
                        "click_id": click,
                        "product_id": product,
                        "amount": str(Decimal("129.90")),
                        "currency": "EUR",
                        "purchased_at": datetime.now(UTC).isoformat(),
                    }
                ).encode()
                headers = signed_headers(SHOP_SECRET, int(time.time()), body)
                await self.call(
                    http, kind, "POST", "/api/v1/shop/webhooks/purchase", (201,), headers=headers, data=body
                )
            else:
                continue
            await asyncio.sleep(rng.expovariate(1 / self.args.think))

    async def run(self) -> None:
        sims = self.plan["sims"][self.args.index :: self.args.generators]
        run_dir = Path(self.args.run_dir)
        connector = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
            (run_dir / f"ready-{self.args.index}").write_text("1")
            go = run_dir / "go"
            while not go.exists():
                await asyncio.sleep(0.02)
            self.start = float(go.read_text())
            await asyncio.sleep(max(0.0, self.start - time.time()))
            end = self.start + self.args.seconds
            await asyncio.gather(*(self.person(http, n, sim, end) for n, sim in enumerate(sims)))
        result = {"samples": self.samples, "uploads": self.uploads, "retried": self.retried}
        (run_dir / f"result-{self.args.index}.json").write_text(json.dumps(result))


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
