"""Security and privacy: identity levels, atomic lock-out counters, web chat sessions, messages
rendered at send time, audit subjects, erasure records.

Revision ID: 0005_security
Revises: 0004_casework (placeholder: the lead re-chains it after the casework migration)
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_security"
# Placeholder: the lead re-chains it onto main's head. Tested on this branch with
# "0003_staff_login_lockout" (SQLite and PostgreSQL, and the models match the migrated schema).
down_revision: str | None = "0004_casework"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "verification_counters",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_verification_counters")),
    )
    op.create_index(op.f("ix_verification_counters_last_at"), "verification_counters", ["last_at"])
    op.drop_table("verification_lockouts")
    with op.batch_alter_table("verification_attempts") as batch:
        batch.alter_column("worker_id", existing_type=sa.Integer(), nullable=True)
        batch.create_index(batch.f("ix_verification_attempts_at"), ["at"])
    # Sessions live minutes: the old ones are ended rather than converted.
    op.execute(sa.text("DELETE FROM verification_sessions"))
    with op.batch_alter_table("verification_sessions") as batch:
        batch.drop_column("otp_hash")
        batch.drop_column("otp_verified")
        batch.add_column(
            sa.Column("level", sa.String(length=10), nullable=False, server_default="basic")
        )
        batch.add_column(sa.Column("otp_nonce", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("otp_expires_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("otp_sent_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("otp_sends", sa.Integer(), nullable=False, server_default="0"))
    # An OTP body in clear from before this revision must not outlive it.
    op.execute(sa.text("UPDATE outbound_messages SET body = '' WHERE reason = 'otp'"))
    with op.batch_alter_table("outbound_messages") as batch:
        batch.add_column(sa.Column("template", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("template_params", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("language", sa.String(length=2), nullable=True))
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(
            sa.Column("subject", sa.String(length=200), nullable=False, server_default="")
        )
    op.create_table(
        "webchat_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("client_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("rotated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webchat_sessions")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_webchat_sessions_secret_hash")),
        sa.UniqueConstraint("conversation_id", name=op.f("uq_webchat_sessions_conversation_id")),
    )
    op.create_index(op.f("ix_webchat_sessions_last_seen_at"), "webchat_sessions", ["last_seen_at"])
    op.create_table(
        "erasure_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_erasure_records_worker_id_workers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_records")),
        sa.UniqueConstraint("reference", name=op.f("uq_erasure_records_reference")),
    )


def downgrade() -> None:
    op.drop_table("erasure_records")
    op.drop_index(op.f("ix_webchat_sessions_last_seen_at"), table_name="webchat_sessions")
    op.drop_table("webchat_sessions")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("subject")
    with op.batch_alter_table("outbound_messages") as batch:
        batch.drop_column("language")
        batch.drop_column("template_params")
        batch.drop_column("template")
    op.execute(sa.text("DELETE FROM verification_sessions"))
    with op.batch_alter_table("verification_sessions") as batch:
        batch.drop_column("otp_sends")
        batch.drop_column("otp_sent_at")
        batch.drop_column("otp_expires_at")
        batch.drop_column("otp_nonce")
        batch.drop_column("level")
        batch.add_column(
            sa.Column("otp_verified", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("otp_hash", sa.String(length=64), nullable=True))
    op.execute(sa.text("DELETE FROM verification_attempts WHERE worker_id IS NULL"))
    with op.batch_alter_table("verification_attempts") as batch:
        batch.drop_index(batch.f("ix_verification_attempts_at"))
        batch.alter_column("worker_id", existing_type=sa.Integer(), nullable=False)
    op.create_table(
        "verification_lockouts",
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_verification_lockouts_worker_id_workers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("worker_id", name=op.f("pk_verification_lockouts")),
    )
    op.drop_index(op.f("ix_verification_counters_last_at"), table_name="verification_counters")
    op.drop_table("verification_counters")
