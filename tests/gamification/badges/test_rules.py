"""The badge rule kinds over made-up activities, and the definitions file they are used by."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from athlos.gamification.badges import definitions
from athlos.gamification.badges.rules import RULES

MONDAY = date(2026, 3, 2)


@dataclass
class Fact:
    local_date: date
    sport: str = "run"
    local_hour: int = 12
    distance_m: float = 5000.0
    moving_time_s: float = 1800.0
    elevation_gain_m: float = 0.0
    best_efforts: dict[str, Any] = field(default_factory=dict)
    activity_id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def start_time(self) -> datetime:
        return datetime(
            self.local_date.year, self.local_date.month, self.local_date.day, self.local_hour, tzinfo=UTC
        )


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def test_count_in_all_or_in_one_week() -> None:
    facts = [Fact(day(n)) for n in (0, 1, 2, 7, 8)]
    assert RULES["count"](facts, {"count": 1}) is facts[0]
    assert RULES["count"](facts, {"count": 5}) is facts[4]
    assert RULES["count"](facts, {"count": 3, "period": "week"}) is facts[2]
    assert RULES["count"](facts, {"count": 4, "period": "week"}) is None
    assert RULES["count"](facts, {"count": 1, "sport": "ride"}) is None


def test_totals_per_sport_and_metric() -> None:
    facts = [
        Fact(day(0), distance_m=60_000),
        Fact(day(1), sport="ride", distance_m=90_000),
        Fact(day(2), distance_m=40_000),
    ]
    assert RULES["total"](facts, {"sport": "run", "metric": "distance", "amount": 100_000}) is facts[2]
    assert RULES["total"](facts, {"metric": "distance", "amount": 150_000}) is facts[1]
    assert RULES["total"](facts, {"metric": "time", "amount": 3 * 1800 + 1}) is None


def test_early_bird_and_night_owl_read_the_local_clock() -> None:
    facts = [Fact(day(0), local_hour=7), Fact(day(1), local_hour=6), Fact(day(2), local_hour=21)]
    assert RULES["time_of_day"](facts, {"before_hour": 7}) is facts[1]
    assert RULES["time_of_day"](facts, {"from_hour": 21}) is facts[2]
    assert RULES["time_of_day"](facts, {"from_hour": 21, "count": 2}) is None


def test_streaks_and_records() -> None:
    facts = [Fact(day(n)) for n in range(7)]
    assert RULES["streak"](facts, {"unit": "day", "length": 7}) is facts[6]
    assert RULES["streak"](facts[:6], {"unit": "day", "length": 7}) is None
    records = [
        Fact(day(0), best_efforts={"5k": 1500.0}),
        Fact(day(1), best_efforts={"5k": 1550.0, "power_5min": 250.0}),
        Fact(day(2), best_efforts={"5k": 1490.0}),
        Fact(day(3), sport="ride", best_efforts={"power_5min": 300.0}),
        Fact(day(4), sport="ride", best_efforts={"power_5min": 310.0}),
    ]
    # The first effort of a kind is no record; beating it is.
    assert RULES["personal_record"](records, {"count": 1}) is records[2]
    assert RULES["personal_record"](records, {"count": 2}) is records[4]
    assert RULES["personal_record"](records, {"count": 3}) is None
    assert RULES["challenge_finished"](records, {}) is None
    assert RULES["club_event_attended"](records, {}) is None


def test_the_definitions_name_every_badge_in_every_language() -> None:
    badges = definitions.badges()
    assert {
        "first_activity",
        "early_bird",
        "night_owl",
        "daily_streak_7",
        "first_record",
        "five_in_a_week",
    } <= {b.id for b in badges}
    for badge in badges:
        assert badge.kind in RULES
        assert all(badge.names[lang] and badge.descriptions[lang] for lang in definitions.LANGUAGES)
    assert {b.kind for b in badges} >= {"count", "total", "streak", "time_of_day", "personal_record"}


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"id": "x", "kind": "luck", "name": {}, "description": {}}, "unknown rule kind"),
        (
            {"id": "x", "kind": "count", "name": {"en": "X"}, "description": {"en": "X"}},
            "no name or description in ru, de",
        ),
    ],
)
def test_a_broken_definition_is_refused(entry: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        definitions.parse({"badges": [entry]})
