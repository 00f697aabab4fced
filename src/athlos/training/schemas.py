"""Bodies of the training API."""

from __future__ import annotations

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
