"""Messaging contacts keep the pseudonym of their number (`sms:<pseudonym>`, the conversation id
that replaced `sms:+91...`), so an officer's reply or a decision notice finds the number; the
mapping goes with the row (retention, erasure).

Revision ID: 0019_sender_pseudonyms
Revises: 0018_family_claims
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_sender_pseudonyms"
down_revision: str | None = "0018_family_claims"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messaging_contacts") as batch:
        batch.add_column(sa.Column("pseudonym", sa.String(length=40), nullable=True))
        batch.create_index("ix_messaging_contacts_pseudonym", ["pseudonym"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("messaging_contacts") as batch:
        batch.drop_index("ix_messaging_contacts_pseudonym")
        batch.drop_column("pseudonym")
