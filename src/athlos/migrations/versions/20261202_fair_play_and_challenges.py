"""gamification: fair play verdicts and flags, challenges and their participants

Revision ID: f1a0fairplay01
Revises: l1a0loyalty001
Create Date: 2026-12-02 04:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "f1a0fairplay01"
down_revision: str | None = "l1a0loyalty001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gamification_fair_play",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("eligibility", sa.String(length=24), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("speed_mps", sa.Float(), nullable=True),
        sa.Column("limit_mps", sa.Float(), nullable=True),
        sa.Column("staff_decision", sa.String(length=16), nullable=True),
        sa.Column("updated_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_gamification_fair_play_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity_id", name=op.f("pk_gamification_fair_play")),
    )
    with op.batch_alter_table("gamification_fair_play", schema=None) as batch_op:
        batch_op.create_index("ix_gamification_fair_play_owner", ["owner_id", "eligibility"], unique=False)

    op.create_table(
        "gamification_fair_play_flag",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("reporter_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.Uuid(), nullable=True),
        sa.Column("reviewed_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["accounts_user.id"],
            name=op.f("fk_gamification_fair_play_flag_reporter_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"],
            ["accounts_user.id"],
            name=op.f("fk_gamification_fair_play_flag_reviewed_by_accounts_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gamification_fair_play_flag")),
        sa.UniqueConstraint(
            "activity_id", "reporter_id", name=op.f("uq_gamification_fair_play_flag_activity_id_reporter_id")
        ),
    )
    with op.batch_alter_table("gamification_fair_play_flag", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gamification_fair_play_flag_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index("ix_gamification_fair_play_flag_open", ["status", "created_at"], unique=False)

    op.create_table(
        "gamification_challenge",
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("metric", sa.String(length=16), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=True),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("region", sa.String(length=10), nullable=True),
        sa.Column("club_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["accounts_user.id"],
            name=op.f("fk_gamification_challenge_created_by_accounts_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gamification_challenge")),
    )
    with op.batch_alter_table("gamification_challenge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gamification_challenge_club_id"), ["club_id"], unique=False)
        batch_op.create_index("ix_gamification_challenge_end", ["end_date"], unique=False)

    op.create_table(
        "gamification_challenge_participant",
        sa.Column("challenge_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("joined_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["gamification_challenge.id"],
            name=op.f("fk_gamification_challenge_participant_challenge_id_gamification_challenge"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_gamification_challenge_participant_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "challenge_id", "user_id", name=op.f("pk_gamification_challenge_participant")
        ),
    )
    with op.batch_alter_table("gamification_challenge_participant", schema=None) as batch_op:
        batch_op.create_index("ix_gamification_challenge_participant_user", ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("gamification_challenge_participant", schema=None) as batch_op:
        batch_op.drop_index("ix_gamification_challenge_participant_user")
    op.drop_table("gamification_challenge_participant")
    with op.batch_alter_table("gamification_challenge", schema=None) as batch_op:
        batch_op.drop_index("ix_gamification_challenge_end")
        batch_op.drop_index(batch_op.f("ix_gamification_challenge_club_id"))
    op.drop_table("gamification_challenge")
    with op.batch_alter_table("gamification_fair_play_flag", schema=None) as batch_op:
        batch_op.drop_index("ix_gamification_fair_play_flag_open")
        batch_op.drop_index(batch_op.f("ix_gamification_fair_play_flag_activity_id"))
    op.drop_table("gamification_fair_play_flag")
    with op.batch_alter_table("gamification_fair_play", schema=None) as batch_op:
        batch_op.drop_index("ix_gamification_fair_play_owner")
    op.drop_table("gamification_fair_play")
