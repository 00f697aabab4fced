"""social: feed items of other kinds than activities carry the facts their card shows

Revision ID: f2a0feedkinds1
Revises: c1a0catalog01
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f2a0feedkinds1"
down_revision: str | None = "a3a0staffarea1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("social_feed_item") as batch:
        batch.add_column(sa.Column("facts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("social_feed_item") as batch:
        batch.drop_column("facts")
