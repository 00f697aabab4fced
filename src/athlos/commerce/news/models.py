"""News articles: written by staff, published or not, targeted by place and language."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow

USERS_ID: Final = "accounts_user.id"


class NewsArticle(UUIDPrimaryKey, Base):
    """An article: ``body`` is plain text (paragraphs split by blank lines, never HTML). ``kind`` is
    ``brand`` or ``local``. Empty ``countries`` (ISO 3166-1), ``regions`` (ISO 3166-2) or ``languages``
    mean no limit by that; ``published_at`` is set while it is published."""

    __tablename__ = "commerce_news_article"
    __table_args__ = (Index("ix_commerce_news_article_published", "published_at", "id"),)

    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), default="brand")
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime | None]
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USERS_ID, ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
