"""Bodies of the live API: the token, a progress update and its acknowledgement, a leaderboard."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field


class LiveTokenOut(BaseModel):
    token: str = Field(description="Shown once; send it as `Authorization: Bearer <token>` to the ingest.")
    registration_id: uuid.UUID
    bib: int


class ProgressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seq: int = Field(ge=0, le=2**31 - 1, description="Increases with every update of this phone.")
    distance_m: float = Field(ge=0)
    elapsed_s: float = Field(ge=0)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class AckOut(BaseModel):
    seq: int = Field(description="The participant's current seq (an older update changed nothing).")
    accepted: bool
    finished: bool = False
    finish_s: float | None = None


class EntryOut(BaseModel):
    rank: int
    bib: int
    name: str
    distance_m: float
    elapsed_s: float
    finished: bool
    time_s: float | None
    pace_s_per_km: float | None
    lat: float | None
    lon: float | None


class MeOut(BaseModel):
    rank: int
    around: list[EntryOut]


class BoardOut(BaseModel):
    scope: str
    size: int
    top: list[EntryOut]
    me: MeOut | None = None
