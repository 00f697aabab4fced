"""Bodies of the promotions' API and staff forms."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Self

from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator

from athlos.gear.wear import KINDS
from athlos.vocabulary.sports import SPORT_LABELS

LANGUAGES = ("en", "ru", "de")
Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]


def _codes(values: list[str], size: int) -> list[str]:
    cleaned = [v.strip().upper() for v in values if v.strip()]
    if any(len(v) > size or not v.replace("-", "").isalnum() for v in cleaned):
        raise ValueError("Use ISO codes, such as DE or DE-BY.")
    return list(dict.fromkeys(cleaned))


class PromotionIn(BaseModel):
    """A promotion as staff set it. Empty places and rules admit everyone; every rule given must hold."""

    slug: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
    title_en: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    body_en: Body = ""
    title_ru: Title = ""
    body_ru: Body = ""
    title_de: Title = ""
    body_de: Body = ""
    product_id: str | None = Field(default=None, max_length=64)
    countries: list[str] = Field(default_factory=list, max_length=50)
    regions: list[str] = Field(default_factory=list, max_length=100)
    cities: list[str] = Field(default_factory=list, max_length=100)
    starts_on: date
    ends_on: date
    sports: list[str] = Field(default_factory=list, max_length=20)
    min_level: int | None = Field(default=None, ge=1, le=100)
    gear_kind: str | None = None
    club_id: uuid.UUID | None = None
    points_cost: int = Field(default=0, ge=0, le=1_000_000)

    @field_validator("countries")
    @classmethod
    def _countries(cls, values: list[str]) -> list[str]:
        return _codes(values, 2)

    @field_validator("regions")
    @classmethod
    def _regions(cls, values: list[str]) -> list[str]:
        return _codes(values, 10)

    @field_validator("cities")
    @classmethod
    def _cities(cls, values: list[str]) -> list[str]:
        cleaned = [v.strip() for v in values if v.strip()]
        if any(len(v) > 100 for v in cleaned):
            raise ValueError("A city's name has at most 100 letters.")
        return list(dict.fromkeys(cleaned))

    @field_validator("sports")
    @classmethod
    def _sports(cls, values: list[str]) -> list[str]:
        if any(v not in SPORT_LABELS for v in values):
            raise ValueError("Choose among the sports.")
        return list(dict.fromkeys(values))

    @field_validator("gear_kind")
    @classmethod
    def _gear_kind(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if value != "any" and value not in KINDS:
            raise ValueError("Choose a kind of gear.")
        return value

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.ends_on < self.starts_on:
            raise ValueError("The promotion ends before it starts.")
        return self

    def texts(self) -> dict[str, dict[str, str]]:
        made = {"en": {"title": self.title_en, "body": self.body_en}}
        for lang in LANGUAGES[1:]:
            title, body = getattr(self, f"title_{lang}"), getattr(self, f"body_{lang}")
            if title:
                made[lang] = {"title": title, "body": body}
        return made


class ReasonOut(BaseModel):
    kind: str
    text: str


class EligibleOut(BaseModel):
    """A promotion for the asker: its words in their language, why they see it, and their code."""

    id: uuid.UUID
    slug: str
    title: str
    body: str
    ends_on: date
    points_cost: int
    reasons: list[ReasonOut]
    link: str | None
    code: str | None


class ClaimedOut(BaseModel):
    promotion_id: uuid.UUID
    code: str
    points_spent: int


class CodesIn(BaseModel):
    """Codes given by staff (one per line in the form), or how many to generate."""

    codes: list[str] = Field(default_factory=list, max_length=10_000)
    generate: int = Field(default=0, ge=0, le=10_000)
    prefix: str = Field(default="", max_length=16, pattern=r"^[A-Za-z0-9-]*$")

    def cleaned(self) -> list[str]:
        return list(dict.fromkeys(c.strip() for c in self.codes if c.strip()))

    @field_validator("codes")
    @classmethod
    def _codes(cls, values: list[str]) -> list[str]:
        if any(len(v.strip()) > 64 for v in values):
            raise ValueError("A code has at most 64 characters.")
        return values


def localized(texts: dict[str, Any], lang: str) -> tuple[str, str]:
    """The title and text in ``lang``, else in English."""
    chosen = texts.get(lang) or texts.get("en") or {}
    return str(chosen.get("title", "")), str(chosen.get("body", ""))


class PromotionOut(BaseModel):
    """A promotion as staff see it, with its pool."""

    id: uuid.UUID
    slug: str
    texts: dict[str, dict[str, str]]
    product_id: str | None
    countries: list[str]
    regions: list[str]
    cities: list[str]
    starts_on: date
    ends_on: date
    ended: bool
    sports: list[str]
    min_level: int | None
    gear_kind: str | None
    club_id: uuid.UUID | None
    points_cost: int
    codes: int
    codes_issued: int


class CodesAddedOut(BaseModel):
    added: int
    skipped: int
