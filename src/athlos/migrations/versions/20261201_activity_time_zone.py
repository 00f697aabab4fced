"""activities: the time zone of the clock where an activity started

Revision ID: h1a0timezone01
Revises: g1a0social001
Create Date: 2026-12-01 20:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "h1a0timezone01"
down_revision: str | None = "g1a0social001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("activities_activity") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activities_activity") as batch:
        batch.drop_column("time_zone")
