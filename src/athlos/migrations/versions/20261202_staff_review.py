"""accounts and social: staff, and the review of reports

Revision ID: j1a0staffrev1
Revises: g3a0badges0001
Create Date: 2026-12-02 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "j1a0staffrev1"
down_revision: str | None = "g3a0badges0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts_user") as batch:
        batch.add_column(sa.Column("is_staff", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("social_report") as batch:
        batch.add_column(sa.Column("reviewed_by", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("reviewed_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            "fk_social_report_reviewed_by", "accounts_user", ["reviewed_by"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("social_report") as batch:
        batch.drop_constraint("fk_social_report_reviewed_by", type_="foreignkey")
        batch.drop_column("reviewed_at")
        batch.drop_column("reviewed_by")
    with op.batch_alter_table("accounts_user") as batch:
        batch.drop_column("is_staff")
