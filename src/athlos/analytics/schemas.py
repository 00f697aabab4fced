"""Answers of the analytics API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel


class TotalsOut(BaseModel):
    count: int
    distance_m: float
    moving_time_s: float
    elevation_gain_m: float


class ChangeOut(BaseModel):
    delta: float
    percent: float | None


class SportProgressOut(BaseModel):
    sport: str
    current: TotalsOut
    previous: TotalsOut
    change: dict[str, ChangeOut]


class SeriesPointOut(BaseModel):
    start: date
    distance_m: float


class ProgressOut(BaseModel):
    period: Literal["week", "month", "year"]
    start: date
    end: date
    previous_start: date
    sports: list[SportProgressOut]
    series: list[SeriesPointOut]


class RecordStepOut(BaseModel):
    value: float
    previous_value: float | None
    activity_id: uuid.UUID
    achieved_at: datetime


class RecordOut(BaseModel):
    sport: str
    effort: str
    unit: Literal["s", "W"]
    value: float
    activity_id: uuid.UUID
    achieved_at: datetime
    history: list[RecordStepOut]


class RecordsOut(BaseModel):
    records: list[RecordOut]


class ActiveDayOut(BaseModel):
    date: date
    count: int
    distance_m: float
    moving_time_s: float


class CalendarOut(BaseModel):
    year: int
    days: list[ActiveDayOut]


class CohortOut(BaseModel):
    cohort: Literal["country", "region", "age_group", "sex"]
    label: str
    too_small: bool
    size: int | None
    percentiles: dict[str, float] | None


class ComparisonOut(BaseModel):
    sport: str
    period: Literal["week", "month", "year"]
    start: date
    end: date
    country: str
    region: str | None
    distance_m: float
    moving_time_s: float
    cohorts: list[CohortOut]
