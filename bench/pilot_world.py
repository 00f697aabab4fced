"""The pilot bench's world: ``--people`` people in ten countries with a sparse year of activities,
copied in bulk into PostgreSQL (a seeded database keeps a marker row, ``bench_pilot_seed``, and is
reused), then what each run's journeys need: sign-in sessions and follows for the simulated people, the
catalogue, a regional challenge and a promotion. Used by ``bench_pilot.py``."""

from __future__ import annotations

import asyncio
import random
import secrets
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import numpy as np
from bench.bench_pages import (
    activities_of,
    add_history,
    copier,
    copy_batch,
    drop_indexes_and_foreign_keys,
    fill_period_totals,
    plain_url,
)
from sqlalchemy import select
from sqlalchemy.engine import make_url

from athlos.accounts.tokens import issue_access_token, token_hash
from athlos.commerce.catalog.models import Product
from athlos.commerce.catalog.service import import_feed
from athlos.commerce.promotions.models import Promotion
from athlos.commerce.promotions.schemas import PromotionIn
from athlos.commerce.promotions.service import create_promotion
from athlos.core.db import Base, Database
from athlos.core.migrate import upgrade
from athlos.gamification.challenges.models import Challenge
from athlos.gamification.challenges.schemas import ChallengeIn
from athlos.gamification.challenges.service import create_challenge
from athlos.modules import load_models
from athlos.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SECRET = "bench-pilot-secret-key-shared-by-every-process"
CATALOG = REPO / "examples" / "catalog" / "products.json"
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
