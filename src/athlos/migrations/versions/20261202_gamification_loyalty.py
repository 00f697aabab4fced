"""gamification: the loyalty ledger (accounts, transfers, reservations)

Revision ID: l1a0loyalty001
Revises: q1a0gear00001
Create Date: 2026-12-02 04:40:11.310782
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "l1a0loyalty001"
down_revision: str | None = "q1a0gear00001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gamification_loyalty_account",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("balance", sa.BigInteger(), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "balance >= 0 OR kind = 'issuer'", name=op.f("ck_gamification_loyalty_account_not_overdrawn")
        ),
        sa.CheckConstraint(
            "kind IN ('person', 'issuer', 'holding', 'redeemed')",
            name=op.f("ck_gamification_loyalty_account_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_gamification_loyalty_account_owner_id_accounts_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gamification_loyalty_account")),
        sa.UniqueConstraint("code", name=op.f("uq_gamification_loyalty_account_code")),
        sa.UniqueConstraint("owner_id", name=op.f("uq_gamification_loyalty_account_owner_id")),
    )
    op.create_table(
        "gamification_loyalty_reservation",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("settled_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('held', 'confirmed', 'released')",
            name=op.f("ck_gamification_loyalty_reservation_state"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_gamification_loyalty_reservation_positive_amount")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["gamification_loyalty_account.id"],
            name=op.f("fk_gamification_loyalty_reservation_account_id_gamification_loyalty_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gamification_loyalty_reservation")),
    )
    with op.batch_alter_table("gamification_loyalty_reservation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gamification_loyalty_reservation_account_state", ["account_id", "state"], unique=False
        )

    op.create_table(
        "gamification_loyalty_transfer",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("transfer_id", sa.String(length=100), nullable=False),
        sa.Column("debit_account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("credit_account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("reservation_id", sa.String(length=100), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_gamification_loyalty_transfer_positive_amount")),
        sa.CheckConstraint(
            "debit_account_id <> credit_account_id",
            name=op.f("ck_gamification_loyalty_transfer_two_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["credit_account_id"],
            ["gamification_loyalty_account.id"],
            name=op.f("fk_gamification_loyalty_transfer_credit_account_id_gamification_loyalty_account"),
        ),
        sa.ForeignKeyConstraint(
            ["debit_account_id"],
            ["gamification_loyalty_account.id"],
            name=op.f("fk_gamification_loyalty_transfer_debit_account_id_gamification_loyalty_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gamification_loyalty_transfer")),
        sa.UniqueConstraint("transfer_id", name=op.f("uq_gamification_loyalty_transfer_transfer_id")),
    )
    with op.batch_alter_table("gamification_loyalty_transfer", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gamification_loyalty_transfer_credit", ["credit_account_id", "id"], unique=False
        )
        batch_op.create_index(
            "ix_gamification_loyalty_transfer_debit", ["debit_account_id", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("gamification_loyalty_transfer", schema=None) as batch_op:
        batch_op.drop_index("ix_gamification_loyalty_transfer_debit")
        batch_op.drop_index("ix_gamification_loyalty_transfer_credit")

    op.drop_table("gamification_loyalty_transfer")
    with op.batch_alter_table("gamification_loyalty_reservation", schema=None) as batch_op:
        batch_op.drop_index("ix_gamification_loyalty_reservation_account_state")

    op.drop_table("gamification_loyalty_reservation")
    op.drop_table("gamification_loyalty_account")
