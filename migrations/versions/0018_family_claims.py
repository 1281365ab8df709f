"""Family claims: a verification session may be a family member's (scope, the caller's phone and
language), and a claim records who filed it and the claimant's phone (docs/contracts.md,
"Family claims").

Revision ID: 0018_family_claims
Revises: 0017_enrollment_registered_on
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_family_claims"
down_revision: str | None = "0017_enrollment_registered_on"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("verification_sessions") as batch:
        batch.add_column(sa.Column("scope", sa.String(10), nullable=False, server_default="worker"))
        batch.add_column(sa.Column("caller_phone", sa.String(20), nullable=True))
        batch.add_column(sa.Column("caller_language", sa.String(2), nullable=True))
    with op.batch_alter_table("claims") as batch:
        batch.add_column(
            sa.Column("filed_by", sa.String(10), nullable=False, server_default="worker")
        )
        batch.add_column(sa.Column("claimant_phone", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("claimant_phone")
        batch.drop_column("filed_by")
    with op.batch_alter_table("verification_sessions") as batch:
        batch.drop_column("caller_language")
        batch.drop_column("caller_phone")
        batch.drop_column("scope")
