"""What "For you" keeps: the products each person looked at (a counter per person and product, not a
row per view), each person's precomputed list, and the trainings of the model (done and due)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow


class ProductView(Base):
    """How often a person opened a product's page, and when last."""

    __tablename__ = "commerce_product_view"

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts_user.id", ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[str] = mapped_column(ForeignKey("commerce_product.id"), primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=1)
    last_viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)


class Recommendation(Base):
    """A person's "For you" list as the last training (or the cold start) made it, read in one go:
    ``items`` is ``[{"product_id", "label", "category", "reason": {"code", ...}}]``."""

    __tablename__ = "commerce_recommendation"

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts_user.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # "model" or "content"
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)


class Training(UUIDPrimaryKey, Base):
    """One training of the model: due (the worker's next one), or done with its figures."""

    __tablename__ = "commerce_recommend_training"

    state: Mapped[str] = mapped_column(String(8), default="due", index=True)  # "due" or "done"
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(timezone=True))
    # {"people", "products", "signals", "seconds"}
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
