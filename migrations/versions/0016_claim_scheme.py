"""Claims name the membership they are filed under (null for imported claims and for workers
with no welfare membership).

Revision ID: 0016_claim_scheme
Revises: 0015_corrections
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_claim_scheme"
down_revision: str | None = "0015_corrections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("scheme_code", sa.String(40), nullable=True))
        batch.create_foreign_key(
            op.f("fk_claims_scheme_code_schemes"), "schemes", ["scheme_code"], ["code"]
        )


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.drop_constraint(op.f("fk_claims_scheme_code_schemes"), type_="foreignkey")
        batch.drop_column("scheme_code")
