"""commerce: news articles written by staff, targeted by place and language

Revision ID: f2a0news00001
Revises: f2a0feedkinds1
Create Date: 2026-12-02 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "f2a0news00001"
down_revision: str | None = "f2a0feedkinds1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "commerce_news_article",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("published_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["accounts_user.id"],
            name=op.f("fk_commerce_news_article_created_by_accounts_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commerce_news_article")),
    )
    with op.batch_alter_table("commerce_news_article") as batch:
        batch.create_index("ix_commerce_news_article_published", ["published_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("commerce_news_article") as batch:
        batch.drop_index("ix_commerce_news_article_published")
    op.drop_table("commerce_news_article")
