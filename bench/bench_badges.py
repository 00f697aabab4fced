"""Badge evaluation over five years of one person's history: every definition's rule over ~1,600
activities (most days, some twice), as the handler runs it for a person with no badges yet. Prints JSON."""

from __future__ import annotations

import json
import os
import random
import statistics
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from athlos.gamification.badges.definitions import badges
from athlos.gamification.badges.service import earned


@dataclass
class Fact:
    local_date: date
    sport: str
    local_hour: int
    distance_m: float
    moving_time_s: float
    elevation_gain_m: float
    best_efforts: dict[str, Any] = field(default_factory=dict)
    activity_id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def start_time(self) -> datetime:
        return datetime(
            self.local_date.year, self.local_date.month, self.local_date.day, self.local_hour, tzinfo=UTC
        )


def history(years: int = 5, seed: int = 7) -> list[Fact]:
    rng = random.Random(seed)
    first = date(2021, 1, 1)
    facts = []
    for n in range(365 * years):
        for _ in range(rng.choice((0, 1, 1, 1, 2))):
            sport = rng.choice(("run", "run", "ride", "walk", "yoga", "pool_swim"))
            facts.append(
                Fact(
                    first + timedelta(days=n),
                    sport,
                    rng.randrange(5, 23),
                    rng.uniform(2000, 40000),
                    rng.uniform(1200, 7200),
                    rng.uniform(0, 600),
                    {"5k": rng.uniform(1200, 1800)} if sport == "run" else {},
                )
            )
    return facts


def main() -> None:
    facts = history()
    definitions = badges()
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        earned(facts, definitions)
        timings.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "benchmark": "badge_evaluation_5_years",
                "activities": len(facts),
                "definitions": len(definitions),
                "median_ms": round(statistics.median(timings) * 1000, 2),
                "max_ms": round(max(timings) * 1000, 2),
                "cpus": os.cpu_count(),
                "load": os.getloadavg()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
