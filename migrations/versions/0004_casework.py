"""Casework: every request becomes a case with one status, a version, a timeline, notices to the
worker and call-backs; officer roles, districts and phones. Written by hand.

Existing claims, renewals, restart requests and feedback get a case each (status copied, claim
events copied into the timeline), then their own status columns and claim_events are dropped, so
a status lives in one place only.

Revision ID: 0004_casework
Revises: 0003_staff_login_lockout
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004_casework"
down_revision: str | None = "0003_staff_login_lockout"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the rules at the time of this migration (the code may change later).
_TERMINAL_BY_KIND = {
    "claim": {"paid", "rejected", "withdrawn"},
    "renewal": {"approved", "rejected"},
    "restart": {"approved", "rejected"},
    "complaint": {"resolved", "closed"},
}
_DUE_DAYS = {"claim": 30, "renewal": 15, "restart": 15, "complaint": 7}
_REQUESTS = (  # table, kind, default status
    ("claims", "claim", "submitted"),
    ("renewal_requests", "renewal", "submitted"),
    ("pension_restart_requests", "restart", "submitted"),
    ("feedback", "complaint", "received"),
)


def _create_tables() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("conversation_id", sa.String(200), nullable=True),
        sa.Column("district", sa.String(60), nullable=False),
        sa.Column("scheme", sa.String(40), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("assigned_to", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_cases_worker_id_workers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["assigned_to"],
            ["staff_users.id"],
            name=op.f("fk_cases_assigned_to_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_reference")),
    )
    op.create_index("ix_cases_kind_status_created", "cases", ["kind", "status", "created_at", "id"])
    op.create_index("ix_cases_open_kind_created", "cases", ["is_open", "kind", "created_at", "id"])
    op.create_index("ix_cases_open_created", "cases", ["is_open", "created_at", "id"])
    op.create_index(op.f("ix_cases_worker_id"), "cases", ["worker_id"])
    op.create_index(op.f("ix_cases_conversation_id"), "cases", ["conversation_id"])
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(40), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    op.create_index(op.f("ix_case_events_case_id"), "case_events", ["case_id"])
    op.create_table(
        "case_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("conversation_id", sa.String(200), nullable=True),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("spoken", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_notices_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_case_notices_worker_id_workers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notices")),
    )
    op.create_index(op.f("ix_case_notices_case_id"), "case_notices", ["case_id"])
    op.create_index(op.f("ix_case_notices_worker_id"), "case_notices", ["worker_id"])
    op.create_index(op.f("ix_case_notices_conversation_id"), "case_notices", ["conversation_id"])
    op.create_table(
        "callback_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("transcript", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_outcome", sa.String(20), nullable=True),
        sa.Column("last_call_sid", sa.String(64), nullable=True),
        sa.Column("handoff_ticket_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_callback_requests_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["handoff_ticket_id"],
            ["handoff_tickets.id"],
            name=op.f("fk_callback_requests_handoff_ticket_id_handoff_tickets"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback_requests")),
        sa.UniqueConstraint("case_id", name=op.f("uq_callback_requests_case_id")),
    )
    op.create_index(
        op.f("ix_callback_requests_handoff_ticket_id"), "callback_requests", ["handoff_ticket_id"]
    )


def _add_columns() -> None:
    op.add_column(
        "workers",
        sa.Column("notify_by_call", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("pension_accounts", sa.Column("restarted_on", sa.Date(), nullable=True))
    op.add_column(
        "staff_users", sa.Column("role", sa.String(12), nullable=False, server_default="officer")
    )
    op.add_column(
        "staff_users", sa.Column("district", sa.String(60), nullable=False, server_default="")
    )
    op.add_column("staff_users", sa.Column("phone", sa.String(20), nullable=True))
    op.add_column("outbound_calls", sa.Column("path", sa.String(300), nullable=True))
    op.add_column("handoff_tickets", sa.Column("callback_checked_at", sa.DateTime(), nullable=True))
    op.add_column("claims", sa.Column("amount_approved", sa.Integer(), nullable=True))
    for table, _kind, _status in _REQUESTS:
        op.add_column(table, sa.Column("case_id", sa.Integer(), nullable=True))


def _scheme_of(conn: Any, table: str, row: Any) -> str | None:
    if table == "renewal_requests":
        return str(row.scheme_code)
    if table == "pension_restart_requests":
        scheme = conn.execute(
            sa.text("SELECT scheme_code FROM pension_accounts WHERE id = :id"),
            {"id": row.pension_account_id},
        ).scalar()
        return str(scheme) if scheme else None
    return None


def _backfill() -> None:
    conn = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    for table, kind, default in _REQUESTS:
        rows = conn.execute(sa.text(f"SELECT * FROM {table}")).fetchall()  # noqa: S608
        for row in rows:
            worker = None
            if row.worker_id is not None:
                worker = conn.execute(
                    sa.text("SELECT district, preferred_language FROM workers WHERE id = :id"),
                    {"id": row.worker_id},
                ).first()
            created = row.created_at or now
            if isinstance(created, str):  # SQLite hands text back for a plain SELECT
                created = datetime.fromisoformat(created)
            status = row.status or default
            is_open = status not in _TERMINAL_BY_KIND[kind]
            language = row._mapping.get("language") or (
                worker.preferred_language if worker else "en"
            )
            values = {
                "kind": kind,
                "reference": row.reference,
                "status": status,
                "is_open": is_open,
                "version": 1,
                "worker_id": row.worker_id,
                "language": language,
                "channel": row._mapping.get("channel") or "",
                "district": worker.district if worker else "",
                "scheme": _scheme_of(conn, table, row),
                "due_at": created + timedelta(days=_DUE_DAYS[kind]),
                "created_at": created,
                "updated_at": created,
                "closed_at": None if is_open else created,
            }
            columns = ", ".join(values)
            params = ", ".join(f":{name}" for name in values)
            case_id = conn.execute(
                sa.text(f"INSERT INTO cases ({columns}) VALUES ({params}) RETURNING id"),  # noqa: S608
                values,
            ).scalar_one()
            conn.execute(
                sa.text(f"UPDATE {table} SET case_id = :case WHERE id = :id"),  # noqa: S608
                {"case": case_id, "id": row.id},
            )
            _copy_events(conn, table, row, case_id, status, created)


def _copy_events(
    conn: Any, table: str, row: Any, case_id: int, status: str, created: datetime
) -> None:
    events: list[dict[str, Any]] = []
    if table == "claims":
        for event in conn.execute(
            sa.text(
                "SELECT at, status, actor, note FROM claim_events WHERE claim_id = :id ORDER BY id"
            ),
            {"id": row.id},
        ):
            events.append(
                {"at": event.at, "to": event.status, "actor": event.actor, "note": event.note}
            )
    if not events:
        events.append({"at": created, "to": status, "actor": "migration", "note": ""})
    for event in events:
        conn.execute(
            sa.text(
                "INSERT INTO case_events (case_id, at, actor, role, to_status, version, documents,"
                " note) VALUES (:case, :at, :actor, '', :to, 1, '[]', :note)"
            ),
            {"case": case_id, **event},
        )


def upgrade() -> None:
    _create_tables()
    _add_columns()
    _backfill()
    for table, _kind, _status in _REQUESTS:
        with op.batch_alter_table(table) as b:
            b.alter_column("case_id", existing_type=sa.Integer(), nullable=False)
            b.create_unique_constraint(op.f(f"uq_{table}_case_id"), ["case_id"])
            b.create_foreign_key(
                op.f(f"fk_{table}_case_id_cases"), "cases", ["case_id"], ["id"], ondelete="RESTRICT"
            )
            b.drop_column("status")
    with op.batch_alter_table("claim_events") as b:
        b.drop_index(b.f("ix_claim_events_claim_id"))
    op.drop_table("claim_events")


def downgrade() -> None:
    op.create_table(
        "claim_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_events_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_events")),
    )
    op.create_index(op.f("ix_claim_events_claim_id"), "claim_events", ["claim_id"])
    conn = op.get_bind()
    for table, _kind, default in _REQUESTS:
        with op.batch_alter_table(table) as b:
            b.add_column(sa.Column("status", sa.String(20), nullable=False, server_default=default))
        conn.execute(
            sa.text(
                f"UPDATE {table} SET status = (SELECT status FROM cases"  # noqa: S608
                f" WHERE cases.id = {table}.case_id)"
            )
        )
        with op.batch_alter_table(table) as b:
            b.drop_constraint(op.f(f"fk_{table}_case_id_cases"), type_="foreignkey")
            b.drop_constraint(op.f(f"uq_{table}_case_id"), type_="unique")
            b.drop_column("case_id")
    conn.execute(
        sa.text(
            "INSERT INTO claim_events (claim_id, at, status, actor, note) SELECT c.id, e.at,"
            " e.to_status, e.actor, substr(e.note, 1, 500) FROM case_events e JOIN cases k ON"
            " k.id = e.case_id JOIN claims c ON c.reference = k.reference ORDER BY e.id"
        )
    )
    with op.batch_alter_table("claims") as b:
        b.drop_column("amount_approved")
    with op.batch_alter_table("outbound_calls") as b:
        b.drop_column("path")
    with op.batch_alter_table("handoff_tickets") as b:
        b.drop_column("callback_checked_at")
    with op.batch_alter_table("staff_users") as b:
        b.drop_column("phone")
        b.drop_column("district")
        b.drop_column("role")
    with op.batch_alter_table("pension_accounts") as b:
        b.drop_column("restarted_on")
    with op.batch_alter_table("workers") as b:
        b.drop_column("notify_by_call")
    op.drop_table("callback_requests")
    op.drop_table("case_notices")
    op.drop_table("case_events")
    op.drop_table("cases")
