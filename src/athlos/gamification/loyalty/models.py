"""The loyalty ledger's tables: accounts with their balance, immutable transfers between two accounts,
and reservations held until they are confirmed or released.

A transfer debits one account (its balance goes down) and credits another (its balance goes up) by the
same positive amount, so the balances of all accounts always sum to zero. Only the issuer, where points
come from, may go below zero; the CHECK constraints say so to the database itself.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, BigIntPK, utcnow


class LoyaltyAccount(Base):
    """A person's balance (``kind`` "person") or one of the ledger's own: the issuer points come from,
    the holding account of reservations and the sink of what was redeemed."""

    __tablename__ = "gamification_loyalty_account"
    __table_args__ = (
        CheckConstraint("kind IN ('person', 'issuer', 'holding', 'redeemed')", name="kind"),
        CheckConstraint("balance >= 0 OR kind = 'issuer'", name="not_overdrawn"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    # "issuer", "holding", "redeemed", or "person:<user id>" ("erased:<id>" once the person is gone).
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("accounts_user.id", ondelete="SET NULL"), unique=True
    )
    balance: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoyaltyTransfer(Base):
    """One movement of points, never edited: a correction is another transfer."""

    __tablename__ = "gamification_loyalty_transfer"
    __table_args__ = (
        CheckConstraint("amount > 0", name="positive_amount"),
        CheckConstraint("debit_account_id <> credit_account_id", name="two_accounts"),
        Index("ix_gamification_loyalty_transfer_debit", "debit_account_id", "id"),
        Index("ix_gamification_loyalty_transfer_credit", "credit_account_id", "id"),
    )

    # The ledger's order (history pages, newest first); the caller's id is ``transfer_id``.
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    transfer_id: Mapped[str] = mapped_column(String(100), unique=True)
    debit_account_id: Mapped[int] = mapped_column(ForeignKey("gamification_loyalty_account.id"))
    credit_account_id: Mapped[int] = mapped_column(ForeignKey("gamification_loyalty_account.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    # points_awarded, points_removed, spent, reserved, confirmed, released, correction, erased
    reason: Mapped[str] = mapped_column(String(32))
    reservation_id: Mapped[str | None] = mapped_column(String(100))
    # What a staff correction says about itself; empty otherwise.
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoyaltyReservation(Base):
    """Points moved to the holding account for an order that may still fail: confirmed once (to the
    redeemed sink) or released once (back to the person), never both."""

    __tablename__ = "gamification_loyalty_reservation"
    __table_args__ = (
        CheckConstraint("state IN ('held', 'confirmed', 'released')", name="state"),
        CheckConstraint("amount > 0", name="positive_amount"),
        Index("ix_gamification_loyalty_reservation_account_state", "account_id", "state"),
    )

    # The caller's id of the reservation; the reserving transfer has the same id.
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("gamification_loyalty_account.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(16), default="held")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    settled_at: Mapped[datetime | None]
