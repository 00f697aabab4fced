"""What a board is and how it ranks, shared by both stores (pure).

Periods are UTC: an ISO week (``w2026-49``), a calendar month (``m2026-12``) or ``all``. Ranks are
competition ranks ("1224"): equal totals share a rank, which is one more than the number of people with
more; within a tie people are listed by user id (ascending), in SQL and in Redis alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

Metric = Literal["distance", "time", "elevation"]
Period = Literal["week", "month", "all"]
Scope = Literal["everyone", "country", "region", "age_group", "sex", "club", "friends"]

METRICS: Final[tuple[Metric, ...]] = ("distance", "time", "elevation")
PERIODS: Final[tuple[Period, ...]] = ("week", "month", "all")
SCOPES: Final[tuple[Scope, ...]] = ("everyone", "country", "region", "age_group", "sex", "club", "friends")
# Scopes kept as a board of their own (a Redis sorted set each); the others are sets of people ranked
# within the everyone board.
PLACED_SCOPES: Final = ("everyone", "country", "region", "age_group", "sex")
AGE_GROUPS: Final = ("u20", "20-29", "30-39", "40-49", "50-59", "60-69", "70+")


def week_key(at: datetime) -> str:
    year, week, _ = at.isocalendar()
    return f"w{year}-{week:02d}"


def month_key(at: datetime) -> str:
    return f"m{at.year}-{at.month:02d}"


def period_key(period: Period, now: datetime) -> str:
    if period == "week":
        return week_key(now)
    if period == "month":
        return month_key(now)
    return "all"


def period_keys(at: datetime) -> tuple[str, str, str]:
    """The three periods an activity that started at ``at`` (UTC) counts in."""
    return "all", week_key(at), month_key(at)


def age_group(birth_year: int | None, year: int) -> str | None:
    if birth_year is None or birth_year > year:
        return None
    age = year - birth_year
    if age < 20:
        return "u20"
    if age >= 70:
        return "70+"
    decade = age // 10 * 10
    return f"{decade}-{decade + 9}"


@dataclass(frozen=True, slots=True)
class Board:
    """One leaderboard: a measure of one sport over one period, among the people of one scope.

    ``place`` is the scope's value for placed scopes (the country, the region (``DE-BY``), the age group,
    the sex; empty for everyone); ``members`` the people of a club or one's friends."""

    metric: Metric
    sport: str
    period: str
    scope: Scope
    place: str = ""
    members: frozenset[uuid.UUID] | None = None


@dataclass(frozen=True, slots=True)
class Standing:
    rank: int
    user_id: uuid.UUID
    value: float


@dataclass(frozen=True, slots=True)
class Answer:
    """The top of a board, the asker's standing (None when they are not on it) and the people just above
    and below them (themselves included)."""

    top: list[Standing]
    me: Standing | None
    around: list[Standing]


def ranked(rows: Sequence[tuple[uuid.UUID, float]], first_rank: int, first_position: int) -> list[Standing]:
    """Competition ranks of consecutive rows of a board, in its order, given the first row's rank and its
    position (0-based) on the board."""
    standings: list[Standing] = []
    for index, (user_id, value) in enumerate(rows):
        if index == 0:
            rank = first_rank
        elif value == standings[-1].value:
            rank = standings[-1].rank
        else:
            rank = first_position + index + 1
        standings.append(Standing(rank, user_id, value))
    return standings


def order(rows: Iterable[tuple[uuid.UUID, float]]) -> list[tuple[uuid.UUID, float]]:
    """A board's order: the highest total first, a tie by user id."""
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def answer_of(rows: Sequence[tuple[uuid.UUID, float]], me: uuid.UUID, limit: int, reach: int) -> Answer:
    """The answer over a whole board already in order (a club or one's friends: a few hundred people)."""
    everyone = ranked(rows, 1, 0)
    position = next((i for i, s in enumerate(everyone) if s.user_id == me), None)
    if position is None:
        return Answer(everyone[:limit], None, [])
    around = everyone[max(0, position - reach) : position + reach + 1]
    return Answer(everyone[:limit], everyone[position], around)
