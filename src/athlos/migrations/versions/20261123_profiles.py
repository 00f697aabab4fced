"""profiles

Revision ID: d1e0profiles01
Revises: c1d0activities1
Create Date: 2026-11-23 12:06:49.280463
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "d1e0profiles01"
down_revision: str | None = "c1d0activities1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "accounts_data_export",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_accounts_data_export_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts_data_export")),
    )
    with op.batch_alter_table("accounts_data_export", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accounts_data_export_user_id"), ["user_id"], unique=False)

    op.create_table(
        "accounts_profile",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("avatar", sa.String(length=200), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("sex", sa.String(length=16), nullable=True),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("height_cm", sa.Float(), nullable=True),
        sa.Column("resting_heart_rate", sa.Integer(), nullable=True),
        sa.Column("max_heart_rate", sa.Integer(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("region", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("units", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("favourite_sports", sa.JSON(), nullable=False),
        sa.Column("profile_visibility", sa.String(length=16), nullable=False),
        sa.Column("default_activity_visibility", sa.String(length=16), nullable=False),
        sa.Column("in_regional_comparisons", sa.Boolean(), nullable=False),
        sa.Column("marketing_consent", sa.Boolean(), nullable=False),
        sa.Column("updated_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_accounts_profile_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_accounts_profile")),
    )


def downgrade() -> None:

    op.drop_table("accounts_profile")
    with op.batch_alter_table("accounts_data_export", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_data_export_user_id"))

    op.drop_table("accounts_data_export")
