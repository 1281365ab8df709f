"""Cluster: the last tick each periodic job ran for, so several API processes run it once.

Revision ID: 0012_job_runs
Revises: 0011_caller_speed
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_job_runs"
down_revision: str | None = "0011_caller_speed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_runs",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("last_tick", sa.BigInteger(), nullable=False),
        sa.Column("ran_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_runs")),
    )


def downgrade() -> None:
    op.drop_table("job_runs")
