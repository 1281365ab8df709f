"""Corrections of a worker's record: the request rows (decided on their case) and the address
a correction may set.

Revision ID: 0015_corrections
Revises: 0014_menu_choices
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_corrections"
down_revision: str | None = "0014_menu_choices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "correction_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(20), nullable=False),
        sa.Column("current_shown", sa.String(300), nullable=False),
        sa.Column("new_value", sa.String(300), nullable=True),
        sa.Column("new_last4", sa.String(4), nullable=True),
        sa.Column("new_hash", sa.String(64), nullable=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_correction_requests_worker_id_workers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_correction_requests_case_id_cases"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_requests")),
        sa.UniqueConstraint("reference", name=op.f("uq_correction_requests_reference")),
        sa.UniqueConstraint("case_id", name=op.f("uq_correction_requests_case_id")),
    )
    op.create_index(op.f("ix_correction_requests_worker_id"), "correction_requests", ["worker_id"])
    with op.batch_alter_table("workers") as batch:
        batch.add_column(sa.Column("address", sa.String(300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workers") as batch:
        batch.drop_column("address")
    op.drop_index(op.f("ix_correction_requests_worker_id"), table_name="correction_requests")
    op.drop_table("correction_requests")
