"""Bodies of the leaderboards API."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from athlos.gamification.leaderboards.boards import Metric, Period, Scope


class EntryOut(BaseModel):
    """One person's place. ``display_name`` and ``profile_url`` are null when the caller may not see
    them; ``value`` is metres (distance, elevation) or seconds (time)."""

    rank: int
    user_id: uuid.UUID | None = Field(description="null when the caller may not see the person")
    display_name: str | None
    profile_url: str | None
    value: float
    me: bool


class LeaderboardOut(BaseModel):
    sport: str
    metric: Metric
    period: Period
    period_key: str = Field(description="all, an ISO week in UTC (w2026-49) or a calendar month (m2026-12)")
    scope: Scope
    place: str | None = Field(description="the country, region (DE-BY), age group or sex of the board")
    club_id: uuid.UUID | None
    listed: bool = Field(
        description="whether the caller is on public boards (public profile, verified address)"
    )
    top: list[EntryOut]
    me: EntryOut | None
    around_me: list[EntryOut]


class BoardQueryIn(BaseModel):
    """The page's selectors, checked as the API checks its query."""

    sport: str = Field(default="run", max_length=32)
    period: Period = "week"
    scope: Scope = "everyone"
    metric: Metric = "distance"
    club_id: uuid.UUID | None = None
