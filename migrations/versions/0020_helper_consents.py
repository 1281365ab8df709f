"""A helper acts for a worker: the worker's consent per verification session, and the audit
rows and cases that name the helper (docs/contracts.md, "A helper acts for a worker").

Revision ID: 0020_helper_consents
Revises: 0019_sender_pseudonyms
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_helper_consents"
down_revision: str | None = "0019_sender_pseudonyms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "helper_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("helper_name", sa.String(80), nullable=False),
        sa.Column("relation", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_helper_consents_worker_id_workers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["verification_sessions.id"],
            name=op.f("fk_helper_consents_session_id_verification_sessions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_helper_consents")),
        sa.UniqueConstraint("session_id", name=op.f("uq_helper_consents_session_id")),
    )
    op.create_index(op.f("ix_helper_consents_worker_id"), "helper_consents", ["worker_id"])
    op.create_index(op.f("ix_helper_consents_granted_at"), "helper_consents", ["granted_at"])
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("helper_consent_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_audit_log_helper_consent_id_helper_consents"),
            "helper_consents",
            ["helper_consent_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(op.f("ix_audit_log_helper_consent_id"), ["helper_consent_id"])
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("helper_consent_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_cases_helper_consent_id_helper_consents"),
            "helper_consents",
            ["helper_consent_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_constraint(
            op.f("fk_cases_helper_consent_id_helper_consents"), type_="foreignkey"
        )
        batch.drop_column("helper_consent_id")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_index(op.f("ix_audit_log_helper_consent_id"))
        batch.drop_constraint(
            op.f("fk_audit_log_helper_consent_id_helper_consents"), type_="foreignkey"
        )
        batch.drop_column("helper_consent_id")
    op.drop_index(op.f("ix_helper_consents_granted_at"), table_name="helper_consents")
    op.drop_index(op.f("ix_helper_consents_worker_id"), table_name="helper_consents")
    op.drop_table("helper_consents")
