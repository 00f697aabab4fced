"""activities: the lap button's moments on a live recording

Revision ID: i1a0reclaps01
Revises: i1a0clubs0001
Create Date: 2026-12-02 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i1a0reclaps01"
down_revision: str | None = "i1a0clubs0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("activities_recording") as batch:
        batch.add_column(sa.Column("laps", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("activities_recording") as batch:
        batch.drop_column("laps")
