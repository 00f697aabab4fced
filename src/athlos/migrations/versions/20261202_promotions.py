"""commerce: promotions, their single-use codes, and what each person saw of them

Revision ID: c3a0promo0001
Revises: c1a0catalog01
Create Date: 2026-12-02 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "c3a0promo0001"
down_revision: str | None = "c1a0catalog01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "commerce_promotion",
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=True),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("cities", sa.JSON(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("ended_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sports", sa.JSON(), nullable=False),
        sa.Column("min_level", sa.Integer(), nullable=True),
        sa.Column("gear_kind", sa.String(length=16), nullable=True),
        sa.Column("club_id", sa.Uuid(), nullable=True),
        sa.Column("points_cost", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["accounts_user.id"],
            name=op.f("fk_commerce_promotion_created_by_accounts_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["commerce_product.id"],
            name=op.f("fk_commerce_promotion_product_id_commerce_product"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commerce_promotion")),
        sa.UniqueConstraint("slug", name=op.f("uq_commerce_promotion_slug")),
    )
    op.create_table(
        "commerce_promo_code",
        sa.Column("promotion_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("issued_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["promotion_id"],
            ["commerce_promotion.id"],
            name=op.f("fk_commerce_promo_code_promotion_id_commerce_promotion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_commerce_promo_code_user_id_accounts_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commerce_promo_code")),
        sa.UniqueConstraint("code", name=op.f("uq_commerce_promo_code_code")),
        sa.UniqueConstraint(
            "promotion_id", "user_id", name=op.f("uq_commerce_promo_code_promotion_id_user_id")
        ),
    )
    with op.batch_alter_table("commerce_promo_code", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commerce_promo_code_promotion_id"), ["promotion_id"], unique=False
        )

    op.create_table(
        "commerce_promotion_seen",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("promotion_id", sa.Uuid(), nullable=False),
        sa.Column("shown", sa.Integer(), nullable=False),
        sa.Column("dismissed_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("notified_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_commerce_promotion_seen_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["promotion_id"],
            ["commerce_promotion.id"],
            name=op.f("fk_commerce_promotion_seen_promotion_id_commerce_promotion"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("owner_id", "promotion_id", name=op.f("pk_commerce_promotion_seen")),
    )
    with op.batch_alter_table("commerce_promotion_seen", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commerce_promotion_seen_notified_at"), ["notified_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("commerce_promotion_seen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commerce_promotion_seen_notified_at"))
    op.drop_table("commerce_promotion_seen")
    with op.batch_alter_table("commerce_promo_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commerce_promo_code_promotion_id"))
    op.drop_table("commerce_promo_code")
    op.drop_table("commerce_promotion")
