"""commerce: "For you" recommendations (product views, each person's precomputed list, trainings)

Revision ID: c2a0recommend1
Revises: c1a0catalog01
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "c2a0recommend1"
down_revision: str | None = "f2a0news00001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "commerce_product_view",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("last_viewed_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_commerce_product_view_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["commerce_product.id"],
            name=op.f("fk_commerce_product_view_product_id_commerce_product"),
        ),
        sa.PrimaryKeyConstraint("owner_id", "product_id", name=op.f("pk_commerce_product_view")),
    )
    op.create_table(
        "commerce_recommendation",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("computed_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_commerce_recommendation_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("owner_id", name=op.f("pk_commerce_recommendation")),
    )
    op.create_table(
        "commerce_recommend_training",
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("due_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commerce_recommend_training")),
    )
    with op.batch_alter_table("commerce_recommend_training", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commerce_recommend_training_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("commerce_recommend_training", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commerce_recommend_training_state"))
    op.drop_table("commerce_recommend_training")
    op.drop_table("commerce_recommendation")
    op.drop_table("commerce_product_view")
