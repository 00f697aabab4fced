"""privacy zones

Revision ID: e4a0zones0001
Revises: d1e0profiles01
Create Date: 2026-11-23 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "e4a0zones0001"
down_revision: str | None = "d1e0profiles01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activities_privacy_zone",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("radius_m", sa.Float(), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_activities_privacy_zone_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities_privacy_zone")),
    )
    with op.batch_alter_table("activities_privacy_zone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activities_privacy_zone_owner_id"), ["owner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("activities_privacy_zone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activities_privacy_zone_owner_id"))
    op.drop_table("activities_privacy_zone")
