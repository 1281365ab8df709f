"""Phone line and messaging tables: call state, turns, webhook receipts, call events, contacts,
outbound calls (voice/models.py, api/messaging/models.py). Written by hand.

Revision ID: 0002_voice
Revises: 0001_initial
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_voice"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "voice_calls",
        sa.Column("call_sid", sa.String(64), nullable=False),
        sa.Column("caller", sa.String(40), nullable=False),
        sa.Column("direction", sa.String(20), nullable=False),
        sa.Column("language", sa.String(2), nullable=True),
        sa.Column("slow", sa.Boolean(), nullable=False),
        sa.Column("turn", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("mode_data", sa.JSON(), nullable=False),
        sa.Column("last_prompt", sa.JSON(), nullable=False),
        sa.Column("misses", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("transcript", sa.JSON(), nullable=False),
        sa.Column("references", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("call_sid", name=op.f("pk_voice_calls")),
    )
    op.create_table(
        "voice_turns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_sid", sa.String(64), nullable=False),
        sa.Column("turn", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("twiml", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voice_turns")),
        sa.UniqueConstraint("call_sid", "turn", name=op.f("uq_voice_turns_call_sid")),
    )
    op.create_index(op.f("ix_voice_turns_call_sid"), "voice_turns", ["call_sid"])
    op.create_table(
        "webhook_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_receipts")),
        sa.UniqueConstraint("key", name=op.f("uq_webhook_receipts_key")),
    )
    op.create_table(
        "call_status_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_sid", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("direction", sa.String(20), nullable=False),
        sa.Column("duration_s", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_status_events")),
    )
    op.create_index(op.f("ix_call_status_events_call_sid"), "call_status_events", ["call_sid"])
    op.create_table(
        "messaging_contacts",
        sa.Column("address", sa.String(40), nullable=False),
        sa.Column("language", sa.String(2), nullable=True),
        sa.Column("last_whatsapp_in_at", sa.DateTime(), nullable=True),
        sa.Column("last_sms_in_at", sa.DateTime(), nullable=True),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("address", name=op.f("pk_messaging_contacts")),
    )
    op.create_table(
        "outbound_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("to_address", sa.String(40), nullable=False),
        sa.Column("reason", sa.String(60), nullable=False),
        sa.Column("dedupe_key", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("provider_sid", sa.String(64), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbound_calls")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbound_calls_dedupe_key")),
    )
    op.create_index(op.f("ix_outbound_calls_status"), "outbound_calls", ["status"])
    op.create_index(
        op.f("ix_outbound_calls_next_attempt_at"), "outbound_calls", ["next_attempt_at"]
    )
    op.create_index(op.f("ix_outbound_calls_provider_sid"), "outbound_calls", ["provider_sid"])


def downgrade() -> None:
    op.drop_table("outbound_calls")
    op.drop_table("messaging_contacts")
    op.drop_index(op.f("ix_call_status_events_call_sid"), table_name="call_status_events")
    op.drop_table("call_status_events")
    op.drop_table("webhook_receipts")
    op.drop_index(op.f("ix_voice_turns_call_sid"), table_name="voice_turns")
    op.drop_table("voice_turns")
    op.drop_table("voice_calls")
