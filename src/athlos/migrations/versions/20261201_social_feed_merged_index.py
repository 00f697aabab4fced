"""social: a partial index for the feed items merged in at read time (authors with very many followers)

Revision ID: h2a0socialidx1
Revises: h1a0timezone01
Create Date: 2026-12-01 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "h2a0socialidx1"
down_revision: str | None = "h1a0timezone01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("social_feed_item", schema=None) as batch_op:
        batch_op.create_index(
            "ix_social_feed_item_merged",
            ["author_id", "occurred_at", "id"],
            unique=False,
            postgresql_where=sa.text("fanned_out = false"),
            sqlite_where=sa.text("fanned_out = false"),
        )


def downgrade() -> None:
    with op.batch_alter_table("social_feed_item", schema=None) as batch_op:
        batch_op.drop_index("ix_social_feed_item_merged")
