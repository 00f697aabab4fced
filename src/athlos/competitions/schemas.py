"""Bodies of the races API. Distances are in metres, times in seconds, moments in UTC."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

Mode = Literal["window", "live"]
Preset = Literal["5k", "10k", "half", "marathon"]

PRESETS_M: Final[dict[str, float]] = {"5k": 5000.0, "10k": 10000.0, "half": 21097.5, "marathon": 42195.0}
LONGEST_M: Final = 1_000_000.0


def preset_of(distance_m: float) -> str | None:
    """The preset a distance is, if it is one."""
    return next((name for name, metres in PRESETS_M.items() if abs(metres - distance_m) < 0.01), None)


class RaceIn(BaseModel):
    """A race to set. ``distance`` names a preset; else ``distance_m`` says any distance. Empty
    ``countries``/``regions`` admit everyone; ``age_groups`` are the lower bounds of the age groups in
    years (age on the day of the start); ``by_sex`` splits each group by sex. ``club_id`` makes it a
    club's own race, seen and entered only by its members."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=4000)
    sport: str = Field(default="run", max_length=32)
    distance: Preset | None = None
    distance_m: float | None = Field(default=None, gt=0, le=LONGEST_M)
    mode: Mode = "window"
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    capacity: int | None = Field(default=None, ge=1, le=1_000_000)
    countries: list[str] = Field(default_factory=list, max_length=50)
    regions: list[str] = Field(default_factory=list, max_length=100)
    age_groups: list[int] = Field(default_factory=list, max_length=20)
    by_sex: bool = False
    entry_fee_points: int = Field(default=0, ge=0, le=1_000_000)
    club_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _distance(self) -> RaceIn:
        if self.distance is not None:
            self.distance_m = PRESETS_M[self.distance]
        if self.distance_m is None:
            raise ValueError("Choose the distance.")
        return self


class RacePatch(BaseModel):
    """What changes; what is not given stays. The club of a race never changes."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=4000)
    sport: str | None = Field(default=None, max_length=32)
    distance: Preset | None = None
    distance_m: float | None = Field(default=None, gt=0, le=LONGEST_M)
    mode: Mode | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    capacity: int | None = Field(default=None, ge=1, le=1_000_000)
    countries: list[str] | None = Field(default=None, max_length=50)
    regions: list[str] | None = Field(default=None, max_length=100)
    age_groups: list[int] | None = Field(default=None, max_length=20)
    by_sex: bool | None = None
    entry_fee_points: int | None = Field(default=None, ge=0, le=1_000_000)

    @model_validator(mode="after")
    def _distance(self) -> RacePatch:
        if self.distance is not None:
            self.distance_m = PRESETS_M[self.distance]
        return self


class EntryOut(BaseModel):
    """The caller's own entry."""

    race_id: uuid.UUID
    bib: int
    category: str
    country: str | None
    region: str | None
    registered_at: datetime
    fee_points: int


class ResultOut(BaseModel):
    user_id: uuid.UUID
    display_name: str | None = Field(description="None when their profile is hidden from the caller")
    bib: int
    category: str
    country: str | None
    region: str | None
    elapsed_s: float
    status: str = Field(description="provisional, final or disqualified")
    place: int | None
    category_place: int | None


class RaceOut(BaseModel):
    id: uuid.UUID
    title: str
    description: str
    sport: str
    distance_m: float
    distance: str | None = Field(description="The preset it is, if any")
    mode: Mode
    starts_at: datetime
    ends_at: datetime
    phase: str = Field(description="upcoming, running, past (not final yet) or final")
    capacity: int | None
    entrants: int
    countries: list[str]
    regions: list[str]
    age_groups: list[int]
    by_sex: bool
    entry_fee_points: int
    club_id: uuid.UUID | None
    status: str
    results_final_at: datetime | None
    may_manage: bool
    entry: EntryOut | None = Field(description="The caller's entry, if they are registered")
    result: ResultOut | None = Field(description="The caller's result, if they have one")


class EntrantOut(BaseModel):
    bib: int
    user_id: uuid.UUID | None = Field(description="None when their profile is hidden from the caller")
    display_name: str | None
    category: str
    country: str | None
    region: str | None


class ResultList(BaseModel):
    items: list[ResultOut]
