"""Bodies of the training API."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field


class EffortIn(BaseModel):
    """A race or hard effort: how far, and how long it took."""

    distance_m: float = Field(gt=0, le=1_000_000)
    time_s: float = Field(gt=0, le=7 * 24 * 3600)


class Validity(BaseModel):
    daniels: bool
    riegel: bool


class PredictionOut(BaseModel):
    distance_m: float
    daniels_s: float
    riegel_s: float
    personal_s: float | None = None
    valid: Validity


class EnduranceOut(BaseModel):
    exponent: float
    standard_error: float
    distances: int
    used: bool = Field(description="whether the personal predictions come from it")
    unused_because: Literal["one_activity", "implausible_exponent"] | None = None


class PredictionsOut(BaseModel):
    vdot: float
    vdot_valid: bool
    predictions: list[PredictionOut]


class BestEffortOut(BaseModel):
    effort: str
    distance_m: float
    time_s: float
    vdot: float


class FitnessOut(BaseModel):
    """The person's VDOT from their best running effort, and predictions from it."""

    vdot: float | None
    best_effort: BestEffortOut | None
    endurance: EnduranceOut | None
    predictions: list[PredictionOut]


class LoadDayOut(BaseModel):
    date: date
    load: float
    fitness: float
    fatigue: float
    form: float


class AssumptionsOut(BaseModel):
    resting_hr: float
    max_hr: float
    sex: Literal["male", "female"]
    defaults: list[str] = Field(description="which of these are defaults, not from the profile")


class ReadinessOut(BaseModel):
    ratio: float | None = Field(description="acute:chronic, fatigue over fitness, of the last day")
    advice: Literal["high", "low", "steady"] | None
    assumptions: AssumptionsOut


class ZoneOut(BaseModel):
    key: str
    low: float
    high: float


class HeartRateZonesOut(BaseModel):
    """Karvonen's five zones (``z1``..``z5``) in beats per minute."""

    resting: float
    maximum: float
    resting_source: Literal["profile", "default"]
    maximum_source: Literal["profile", "activities", "age", "default"] = Field(
        description="the profile, the highest rate recorded in one's activities, 220 − age, or 190"
    )
    zones: list[ZoneOut]


class PaceZonesOut(BaseModel):
    """Daniels' zones (easy, marathon, threshold, interval, repetition), bounds in metres per second."""

    vdot: float
    zones: list[ZoneOut]


class ZonesOut(BaseModel):
    heart_rate: HeartRateZonesOut
    pace: PaceZonesOut | None = Field(description="None until a run gives a VDOT")


class ActivityZonesOut(BaseModel):
    """Seconds in each zone, with ``below`` and ``above`` the outer bounds; None without heart rate
    (or, for pace, for a sport other than running, without GPS or without a VDOT)."""

    activity_id: uuid.UUID
    heart_rate: dict[str, float] | None
    pace: dict[str, float] | None


class FittedConstantsOut(BaseModel):
    """What the least-squares fit found, used or not; errors are standard errors in days."""

    fitness_days: float
    fatigue_days: float
    fitness_days_error: float
    fatigue_days_error: float
    r_squared: float = Field(description="share of the performances' variance the model explains")
    rmse_vdot: float = Field(description="root mean square of the residuals, in VDOT")


class FitnessFatigueOut(BaseModel):
    """Banister's impulse-response model with the person's own time constants when they fit."""

    fitness_days: float = Field(description="τ1: the fitted constant when used, else 42")
    fatigue_days: float = Field(description="τ2: the fitted constant when used, else 7")
    used: bool = Field(description="whether the fitted constants are used")
    unused_because: Literal["too_few_performances", "poor_fit", "implausible_constants"] | None = None
    performances: int = Field(description="runs of the last two years with a best effort from a mile up")
    fitted: FittedConstantsOut | None = Field(description="None when there was too little to fit")
    peak_form_in_days: int | None = Field(
        description="days of rest from today until the model's form peaks (only with a used fit)"
    )
