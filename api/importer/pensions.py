"""Pensions file: one account per worker (upsert by UAN; the worker must already be imported).

Status and stop reason are checked by `api/domain/legacy.py` (a stopped pension says why, an
active one does not); an account that becomes active again loses its stop reason and date, as
an approved restart does.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import PensionAccount, Worker
from api.domain.codes import SCHEMES
from api.domain.legacy import pension_problems
from api.importer.fields import Cells, Planned, worker_row
from api.seed import ensure_schemes
from api.services.context import Ctx

COLUMNS = (
    "uan", "scheme", "monthly_amount", "status", "stop_reason", "stopped_on", "last_paid_on",
    "life_certificate_due_on",
)  # fmt: skip
REQUIRED = ("uan", "scheme", "monthly_amount", "status")
FIELDS = COLUMNS[1:]
ATTRIBUTE = {"scheme": "scheme_code"}  # column -> PensionAccount attribute
DATES = ("stopped_on", "last_paid_on", "life_certificate_due_on")


class PensionsKind:
    name = "pensions"
    columns: tuple[str, ...] = COLUMNS
    required: tuple[str, ...] = REQUIRED

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.first: dict[str, int] = {}
        self.schemes_ready = False

    def read(self, row: dict[str, str], planned: Planned) -> dict[str, Any]:
        cells = Cells(row, planned, COLUMNS)
        record: dict[str, Any] = {
            "uan": cells.uan(),
            "scheme": cells.choice("scheme", SCHEMES, required=True),
            "monthly_amount": cells.amount("monthly_amount", required=True),
            "status": cells.text("status", required=True),
            "stop_reason": cells.text("stop_reason") or None,
        }
        for column in DATES:
            record[column] = cells.day(column)
        if record["status"]:
            dates = {c: record[c] for c in DATES}
            for column, reason in pension_problems(
                record["status"], record["stop_reason"], dates, today=cells.today
            ):
                planned.fail(column, reason)
        if record["status"] == "active":  # an active pension has no stop
            record["stopped_on"] = record["stop_reason"] = None
        return record

    def plan(self, session: Session, batch: list[Planned]) -> None:
        good = [p for p in batch if not p.errors and p.record]
        uans = sorted({p.record["uan"] for p in good if p.record})
        stored = {
            w.uan: (w, a)
            for w, a in session.execute(
                select(Worker, PensionAccount)
                .outerjoin(PensionAccount, PensionAccount.worker_id == Worker.id)
                .where(Worker.uan.in_(uans))
            ).tuples()
        }
        for p in good:
            found = worker_row(p, stored, self.first)
            if found is None:
                continue
            assert p.record is not None
            worker, account = found
            if account is None:
                p.action = "insert"
            else:
                p.changed = [f for f in FIELDS if self._wanted(account, p.record, f)]
                p.action = "update" if p.changed else "unchanged"
            p.op = (worker, account)

    @staticmethod
    def _wanted(account: PensionAccount, record: dict[str, Any], column: str) -> bool:
        """Does the register change this column? A blank keeps it, except a stop now lifted."""
        value = record[column]
        lifted = record["status"] == "active" and column in ("stop_reason", "stopped_on")
        if value is None and not lifted:
            return False
        return bool(getattr(account, ATTRIBUTE.get(column, column)) != value)

    def apply(self, session: Session, batch: list[Planned]) -> None:
        if not self.schemes_ready:
            ensure_schemes(session)
            self.schemes_ready = True
        for p in batch:
            assert p.record is not None
            worker, account = p.op
            if p.action == "insert":
                session.add(
                    PensionAccount(
                        worker_id=worker.id, **{ATTRIBUTE.get(f, f): p.record[f] for f in FIELDS}
                    )
                )
            elif p.action == "update":
                for column in p.changed:
                    setattr(account, ATTRIBUTE.get(column, column), p.record[column])
        session.flush()
