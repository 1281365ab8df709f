"""The speed a phone number chose on the line (slow speech), remembered for its next call.

Revision ID: 0011_caller_speed
Revises: 0010_reminders
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_caller_speed"
down_revision: str | None = "0010_reminders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messaging_contacts") as batch:
        batch.add_column(sa.Column("slow", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messaging_contacts") as batch:
        batch.drop_column("slow")
