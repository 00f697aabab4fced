"""Bodies of the news API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from athlos.core.pagination import Page

Language = Literal["en", "ru", "de"]
Kind = Literal["brand", "local"]


class NewsIn(BaseModel):
    """An article as staff write it: plain text, paragraphs split by blank lines."""

    title: str = Field(min_length=1, max_length=160)
    summary: str = Field(default="", max_length=300)
    body: str = Field(min_length=1, max_length=20_000)
    kind: Kind = "brand"
    countries: list[str] = Field(default_factory=list, max_length=50)
    regions: list[str] = Field(default_factory=list, max_length=100)
    languages: list[Language] = Field(default_factory=list, max_length=3)


class NewsPatch(BaseModel):
    title: str | None = Field(default=None, min_length=1, max_length=160)
    summary: str | None = Field(default=None, max_length=300)
    body: str | None = Field(default=None, min_length=1, max_length=20_000)
    kind: Kind | None = None
    countries: list[str] | None = Field(default=None, max_length=50)
    regions: list[str] | None = Field(default=None, max_length=100)
    languages: list[Language] | None = Field(default=None, max_length=3)


class NewsOut(BaseModel):
    id: uuid.UUID
    title: str
    summary: str
    paragraphs: list[str]
    kind: str
    countries: list[str]
    regions: list[str]
    languages: list[str]
    published_at: datetime | None
    updated_at: datetime


NewsPageOut = Page[NewsOut]
