"""Phone line: keypad menu choices, counted to order the "more" menu by what callers choose.

Revision ID: 0014_menu_choices
Revises: 0013_staff_totp
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_menu_choices"
down_revision: str | None = "0013_staff_totp"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "menu_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("option", sa.String(length=30), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_menu_choices")),
    )
    op.create_index(op.f("ix_menu_choices_at"), "menu_choices", ["at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_menu_choices_at"), table_name="menu_choices")
    op.drop_table("menu_choices")
