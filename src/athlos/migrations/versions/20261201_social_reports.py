"""social: reports of people and comments

Revision ID: h3a0reports01
Revises: h2a0socialidx1
Create Date: 2026-12-01 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "h3a0reports01"
down_revision: str | None = "h2a0socialidx1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "social_report",
        sa.Column("reporter_id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_report_reporter_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_social_report")),
        sa.UniqueConstraint(
            "reporter_id",
            "subject",
            "subject_id",
            name=op.f("uq_social_report_reporter_id_subject_subject_id"),
        ),
    )
    with op.batch_alter_table("social_report", schema=None) as batch_op:
        batch_op.create_index("ix_social_report_open", ["status", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("social_report", schema=None) as batch_op:
        batch_op.drop_index("ix_social_report_open")
    op.drop_table("social_report")
