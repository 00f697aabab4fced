"""Input and output of the clubs API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from athlos.accounts.profiles.schemas import NO_NUL

JoinPolicy = Literal["public", "request", "invite"]
Role = Literal["owner", "admin", "member"]
# Where the caller stands towards a club.
Standing = Literal["owner", "admin", "member", "requested", "invited"]
NAME = r"^[^\x00]*\S[^\x00]*$"
COUNTRY = r"^[A-Za-z]{2}$"
REGION = r"^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$"


class ClubIn(BaseModel):
    """A new club: a name, a sport of the catalogue, a place as profiles keep it, and who may join."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, pattern=NAME)
    description: str = Field(default="", max_length=2000, pattern=NO_NUL)
    sport: str = Field(max_length=32, examples=["run"])
    country: str | None = Field(default=None, pattern=COUNTRY, examples=["DE"])
    region: str | None = Field(default=None, pattern=REGION, examples=["DE-BY"])
    city: str | None = Field(default=None, max_length=100, pattern=NO_NUL)
    join_policy: JoinPolicy = "public"


class ClubPatch(BaseModel):
    """A partial change by an admin: only the fields sent change; ``null`` clears the place's parts."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100, pattern=NAME)
    description: str | None = Field(default=None, max_length=2000, pattern=NO_NUL)
    sport: str | None = Field(default=None, max_length=32)
    country: str | None = Field(default=None, pattern=COUNTRY)
    region: str | None = Field(default=None, pattern=REGION)
    city: str | None = Field(default=None, max_length=100, pattern=NO_NUL)
    join_policy: JoinPolicy | None = None


class ClubOut(BaseModel):
    id: uuid.UUID
    name: str
    description: str
    sport: str
    country: str | None
    region: str | None
    city: str | None
    join_policy: JoinPolicy
    member_count: int
    created_at: datetime
    standing: Standing | None = None


class ClubInviteOut(BaseModel):
    """An invitation as its invitee sees it: the club by name only until they join."""

    club_id: uuid.UUID
    club_name: str
    invited_at: datetime


class MemberOut(BaseModel):
    id: uuid.UUID
    display_name: str
    avatar_url: str | None
    role: Role
    since: datetime


class PersonWaitingOut(BaseModel):
    """Someone who asked to join, or whom an admin invited, and since when."""

    id: uuid.UUID
    display_name: str
    avatar_url: str | None
    since: datetime


class MembershipOut(BaseModel):
    state: Literal["member", "requested"]


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: uuid.UUID


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["admin", "member"]
