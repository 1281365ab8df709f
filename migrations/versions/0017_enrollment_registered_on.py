"""Enrollments keep the day the worker registered with the scheme (a transport workers' pension
is due 5 years on, plus Rs 10 a completed year); null where it is not known.

Revision ID: 0017_enrollment_registered_on
Revises: 0016_claim_scheme
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_enrollment_registered_on"
down_revision: str | None = "0016_claim_scheme"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("enrollments") as batch:
        batch.add_column(sa.Column("registered_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("enrollments") as batch:
        batch.drop_column("registered_on")
