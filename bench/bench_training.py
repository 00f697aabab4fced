"""Training for a person with five years of daily activities: p95 of making a plan, of recomputing the
training load (the 90 days the page shows, and the longest series the API gives, 730 days) and of the
fitted models (VDOT, the personal endurance exponent, zones, and the fitness–fatigue time constants
fitted to two years of runs). SQLite in a temporary file by default,
or ``ATHLOS_BENCH_DATABASE_URL``. Prints JSON (goal: every p95 under 100 ms)."""

from __future__ import annotations

import asyncio
import json
import math
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from athlos.accounts.models import User
from athlos.activities.models import Activity
from athlos.analytics.models import ActivityFact, PersonalRecord
from athlos.core.db import Database
from athlos.core.migrate import upgrade
from athlos.modules import load_models
from athlos.training import service as training
from athlos.training.plans import service as plans
from athlos.training.plans.schemas import PlanIn

DAYS = 5 * 365
ROUNDS = 40
TODAY = date(2026, 12, 1)
EFFORTS = {"1mile": 1609.34, "5k": 5000.0, "10k": 10000.0, "half_marathon": 21097.5}


async def seed(db: Database) -> uuid.UUID:
    """One runner, one activity a day for five years, and standing records over four distances."""
    async with db.unit_of_work() as session:
        user = User(
            email=f"training-bench-{uuid.uuid4().hex[:8]}@example.org", password_hash="x", display_name="R"
        )
        session.add(user)
        await session.flush()
        first = datetime.combine(TODAY, datetime.min.time(), UTC).replace(hour=7) - timedelta(days=DAYS)
        activities = [
            Activity(
                owner_id=user.id,
                sport="run" if n % 7 != 3 else "ride",
                title=f"Day {n}",
                start_time=first + timedelta(days=n),
                distance_m=8000.0 + (n % 5) * 2000,
                elapsed_time_s=2700.0 + (n % 5) * 600,
                moving_time_s=2600.0 + (n % 5) * 600,
                avg_heart_rate=135.0 + (n % 6) * 5,
                max_heart_rate=170.0 + (n % 6) * 3,
                source="gpx",
                summary={},
            )
            for n in range(DAYS)
        ]
        session.add_all(activities)
        await session.flush()
        # Each run's facts with its best 5 km, a little faster in the weeks after harder ones.
        session.add_all(
            ActivityFact(
                activity_id=activity.id,
                owner_id=user.id,
                sport=activity.sport,
                start_time=activity.start_time,
                local_date=activity.start_time.date(),
                week_start=activity.start_time.date() - timedelta(days=activity.start_time.weekday()),
                month_start=activity.start_time.date().replace(day=1),
                year=activity.start_time.year,
                distance_m=activity.distance_m,
                moving_time_s=activity.moving_time_s,
                elapsed_time_s=activity.elapsed_time_s,
                best_efforts={"5k": 1260.0 - 40.0 * math.sin(n / 30)},
            )
            for n, activity in enumerate(activities)
            if activity.sport == "run"
        )
        await session.flush()
        for n, (effort, metres) in enumerate(EFFORTS.items()):
            seconds = 240.0 * (metres / 1000) ** 1.06
            session.add(
                PersonalRecord(
                    owner_id=user.id,
                    sport="run",
                    effort=effort,
                    value=seconds,
                    activity_id=activities[-10 * (n + 1)].id,
                    achieved_at=activities[-10 * (n + 1)].start_time,
                )
            )
        return user.id


async def p95_ms(db: Database, step: Callable[[Any], Awaitable[Any]], *, roll_back: bool = False) -> float:
    samples = []
    for _ in range(ROUNDS):
        async with db.sessionmaker() as session:
            started = time.perf_counter()
            await step(session)
            samples.append((time.perf_counter() - started) * 1000)
            if roll_back:
                await session.rollback()
    return round(statistics.quantiles(samples, n=20)[18], 1)


async def run(url: str) -> dict[str, Any]:
    await asyncio.to_thread(upgrade, url)
    load_models()
    db = Database(url)
    try:
        me = await seed(db)
        body = PlanIn(
            goal="marathon",
            level="advanced",
            target_date=TODAY + timedelta(weeks=20),
            weekdays=[0, 1, 3, 5, 6],
        )
        results = {
            "plan_p95_ms": await p95_ms(db, lambda s: plans.create_plan(s, me, body, TODAY), roll_back=True),
            "load_90_days_p95_ms": await p95_ms(db, lambda s: training.training_load(s, me, 90, TODAY)),
            "load_730_days_p95_ms": await p95_ms(db, lambda s: training.training_load(s, me, 730, TODAY)),
            "fitness_p95_ms": await p95_ms(db, lambda s: training.fitness(s, me)),
            "zones_p95_ms": await p95_ms(db, lambda s: training.my_zones(s, me, TODAY)),
            "fitness_fatigue_p95_ms": await p95_ms(
                db, lambda s: training.fitness_fatigue_model(s, me, TODAY)
            ),
        }
    finally:
        await db.dispose()
    return {
        "benchmark": "training_for_five_years_of_daily_activities",
        "database": url.split(":", 1)[0],
        "activities": DAYS,
        "rounds": ROUNDS,
        **results,
        "goal_p95_ms": 100,
        "cores": os.cpu_count(),
        "load": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("ATHLOS_BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        print(json.dumps(asyncio.run(run(url))))


if __name__ == "__main__":
    main()
