"""The script a romanised writer chose (Latin letters or their own), per number and per worker.

Revision ID: 0009_script
Revises: 0005_security
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_script"
down_revision: str | None = "0005_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messaging_contacts") as batch:
        batch.add_column(sa.Column("script", sa.String(length=6), nullable=True))
    with op.batch_alter_table("workers") as batch:
        batch.add_column(sa.Column("preferred_script", sa.String(length=6), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workers") as batch:
        batch.drop_column("preferred_script")
    with op.batch_alter_table("messaging_contacts") as batch:
        batch.drop_column("script")
