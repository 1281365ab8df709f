"""Reminders: the preference table, the reminders sent, and two due dates they are read from.

Revision ID: 0010_reminders
Revises: 0009_script
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_reminders"
down_revision: str | None = "0009_script"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminder_preferences",
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_reminder_preferences_worker_id_workers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("worker_id", "kind", name=op.f("pk_reminder_preferences")),
    )
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("spoken", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("call", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_reminders_worker_id_workers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_reminders_dedupe_key")),
    )
    op.create_index(op.f("ix_reminders_worker_id"), "reminders", ["worker_id"])
    with op.batch_alter_table("enrollments") as batch:
        batch.add_column(sa.Column("contribution_paid_until", sa.Date(), nullable=True))
    with op.batch_alter_table("pension_accounts") as batch:
        batch.add_column(sa.Column("life_certificate_due_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pension_accounts") as batch:
        batch.drop_column("life_certificate_due_on")
    with op.batch_alter_table("enrollments") as batch:
        batch.drop_column("contribution_paid_until")
    op.drop_index(op.f("ix_reminders_worker_id"), table_name="reminders")
    op.drop_table("reminders")
    op.drop_table("reminder_preferences")
