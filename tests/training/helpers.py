"""A runner whose best efforts follow Banister's model: a year of daily runs in blocks of building
and easing, written straight into the activities and analytics tables, and every third run's best
5 km made from the model (with the given time constants) over the loads the service computes."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, date, datetime, time, timedelta

import numpy as np

from athlos.activities.models import Activity
from athlos.analytics.models import ActivityFact
from athlos.core.db import Database
from athlos.training import fitness_fatigue, predictions
from athlos.training import service as training

DAYS = 420


async def runner_following_the_model(
    db: Database, user_id: uuid.UUID, today: date, fitness_days: float = 45.0, fatigue_days: float = 9.0
) -> None:
    rng = np.random.default_rng(11)
    first = today - timedelta(days=DAYS - 1)
    days = [first + timedelta(days=n) for n in range(DAYS)]
    async with db.unit_of_work() as session:
        runs = []
        for n, day in enumerate(days):
            if rng.random() < 0.25:
                continue
            block = 1 + 0.7 * math.sin(n / 25)
            minutes = float(rng.uniform(30, 70) * block)
            runs.append(
                Activity(
                    owner_id=user_id,
                    sport="run",
                    title=f"Run {n}",
                    start_time=datetime.combine(day, time(7), UTC),
                    time_zone="UTC",
                    distance_m=minutes * 190,
                    elapsed_time_s=minutes * 60,
                    moving_time_s=minutes * 60,
                    avg_heart_rate=float(rng.uniform(135, 160)),
                    max_heart_rate=185.0,
                    source="gpx",
                    summary={},
                )
            )
        session.add_all(runs)
        await session.flush()
        body, _ = await training.physiology(session, user_id, today)
        start = first - timedelta(days=training.WARM_UP_DAYS)
        daily = await training.daily_loads(session, user_id, start, today, body)
        loads = np.zeros((today - start).days + 1)
        for day, value in daily.items():
            loads[(day - start).days] = value
        model = fitness_fatigue.predict(loads, 42.0, 0.0015, 0.006, fitness_days, fatigue_days)
        for n, run in enumerate(runs):
            if n % 3:
                continue
            day = run.start_time.date()
            vdot = float(model[(day - start).days] + rng.normal(0, 0.3))
            session.add(
                ActivityFact(
                    activity_id=run.id,
                    owner_id=user_id,
                    sport="run",
                    start_time=run.start_time,
                    local_date=day,
                    week_start=day - timedelta(days=day.weekday()),
                    month_start=day.replace(day=1),
                    year=day.year,
                    distance_m=run.distance_m or 0.0,
                    moving_time_s=run.moving_time_s or 0.0,
                    elapsed_time_s=run.elapsed_time_s or 0.0,
                    best_efforts={"5k": predictions.daniels_time(vdot, 5000.0)},
                )
            )
