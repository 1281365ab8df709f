"""Officer log-in lockout: failed attempts per hashed user name (api/services/staff_auth.py).

Revision ID: 0003_staff_login_lockout
Revises: 0002_voice
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_staff_login_lockout"
down_revision: str | None = "0002_voice"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_login_lockouts",
        sa.Column("username_hash", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("username_hash", name=op.f("pk_staff_login_lockouts")),
    )


def downgrade() -> None:
    op.drop_table("staff_login_lockouts")
