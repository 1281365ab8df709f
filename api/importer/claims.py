"""Claims file: one row per claim (upsert by claim reference; the worker must be imported).

Each claim becomes a case opened by the cases service at its filing date and moved to its
register status by one timeline event; the status and what it needs are checked by
`api/domain/legacy.py` with the casework rules. A re-import moves a case only while nobody but
the importer (or the demo seed) has touched it: once an officer has, the register's decision
columns are ignored while they say what was imported, and an error if they say something new.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import and_, not_, or_, select
from sqlalchemy.orm import Session

from api.db.models import Case, CaseEvent, Claim, ClaimDocument, Worker, utcnow
from api.domain import casework
from api.domain.claims import CLAIM_TYPES, DOCUMENTS_BY_TYPE
from api.domain.legacy import LegacyClaim, claim_problems
from api.domain.references import format_reference, parse_reference
from api.importer.fields import NO_WORKER, Cells, Planned
from api.services import cases
from api.services.context import Ctx
from api.services.decisions import claim_limits
from api.services.references import note_existing

COLUMNS = (
    "reference", "uan", "claim_type", "incident_date", "submitted_on", "status",
    "amount_claimed", "amount_approved", "amount_paid", "paid_on", "reason", "documents_pending",
    "description",
)  # fmt: skip
REQUIRED = ("reference", "uan", "claim_type", "submitted_on", "status")
CLAIM_FIELDS = (
    "incident_date", "submitted_on", "amount_claimed", "amount_approved", "amount_paid",
    "paid_on", "description",
)  # fmt: skip
DECISION_FIELDS = frozenset(
    {"status", "amount_approved", "amount_paid", "paid_on", "documents_pending"}
)
IMPORTERS = or_(CaseEvent.actor.like("import:%"), CaseEvent.actor == "seed")


def _at(day: Any) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=UTC)


class ClaimsKind:
    name = "claims"
    columns: tuple[str, ...] = COLUMNS
    required: tuple[str, ...] = REQUIRED

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.first: dict[str, int] = {}  # reference -> line

    def read(self, row: dict[str, str], planned: Planned) -> dict[str, Any]:
        cells = Cells(row, planned, COLUMNS)
        reference = cells.text("reference", required=True)
        parsed = parse_reference(reference) if reference else None
        if reference and (parsed is None or parsed[0] != "CLM"):
            planned.fail("reference", "must look like CLM-2026-000123")
        claim_type = cells.choice("claim_type", CLAIM_TYPES, required=True)
        status = cells.choice("status", casework.STATUSES[casework.CaseKind.CLAIM], required=True)
        documents = tuple(
            d.strip() for d in cells.text("documents_pending").split(";") if d.strip()
        )
        record: dict[str, Any] = {
            "reference": format_reference("claim", parsed[1], parsed[2]) if parsed else None,
            "uan": cells.uan(),
            "claim_type": claim_type,
            "status": status,
            "incident_date": cells.day("incident_date"),
            "submitted_on": cells.day("submitted_on", required=True),
            "amount_claimed": cells.amount("amount_claimed"),
            "amount_approved": cells.amount("amount_approved"),
            "amount_paid": cells.amount("amount_paid"),
            "paid_on": cells.day("paid_on"),
            "reason": cells.text("reason") or None,
            "documents_pending": documents,
            "description": cells.text("description"),
        }
        if planned.errors:
            return record
        unknown = [d for d in documents if d not in DOCUMENTS_BY_TYPE[claim_type]]
        if unknown:
            planned.fail("documents_pending", f"not needed for this claim type: {unknown[0]}")
            return record
        legacy = LegacyClaim(
            claim_type=claim_type,
            status=status,
            submitted_on=record["submitted_on"],
            incident_date=record["incident_date"],
            amount_approved=record["amount_approved"],
            amount_paid=record["amount_paid"],
            paid_on=record["paid_on"],
            reason=record["reason"],
            documents=documents,
        )
        amount_max = claim_limits().get(claim_type)
        for problem in claim_problems(legacy, amount_max=amount_max, today=cells.today):
            column = {"documents": "documents_pending"}.get(problem.field or "", problem.field)
            planned.fail(column or "status", problem.message)
        return record

    def plan(self, session: Session, batch: list[Planned]) -> None:
        good = [p for p in batch if not p.errors and p.record]
        refs = sorted({p.record["reference"] for p in good if p.record})
        uans = sorted({p.record["uan"] for p in good if p.record})
        workers = {
            w.uan: w for w in session.execute(select(Worker).where(Worker.uan.in_(uans))).scalars()
        }
        stored = {
            c.reference: (c, k)
            for c, k in session.execute(
                select(Claim, Case)
                .join(Case, Case.id == Claim.case_id)
                .where(Claim.reference.in_(refs))
            ).tuples()
        }
        case_ids = [k.id for _, k in stored.values()]
        moved_here = session.execute(
            select(CaseEvent.case_id).where(and_(CaseEvent.case_id.in_(case_ids), not_(IMPORTERS)))
        ).scalars()
        # case -> the status the importer last left it in, for cases moved here since
        touched = dict.fromkeys(set(moved_here), "")
        for case_id, status in session.execute(
            select(CaseEvent.case_id, CaseEvent.to_status)
            .where(CaseEvent.case_id.in_(list(touched)), IMPORTERS)
            .order_by(CaseEvent.id)
        ).tuples():
            touched[case_id] = status
        pending: dict[int, set[str]] = {}
        for claim_id, code in session.execute(
            select(ClaimDocument.claim_id, ClaimDocument.code).where(
                ClaimDocument.claim_id.in_([c.id for c, _ in stored.values()]),
                ClaimDocument.status == "pending",
            )
        ).tuples():
            pending.setdefault(claim_id, set()).add(code)
        for p in good:
            assert p.record is not None
            self._plan_row(p, workers, stored, touched, pending)

    def _plan_row(
        self,
        p: Planned,
        workers: dict[str, Worker],
        stored: dict[str, tuple[Claim, Case]],
        touched: dict[int, str],
        pending: dict[int, set[str]],
    ) -> None:
        assert p.record is not None
        record = p.record
        if record["reference"] in self.first:
            p.fail("reference", f"same reference as line {self.first[record['reference']]}")
        self.first.setdefault(record["reference"], p.line)
        worker = workers.get(record["uan"])
        if worker is None:
            p.fail("uan", NO_WORKER)
            return
        claim, case = stored.get(record["reference"], (None, None))
        p.op = (worker, claim, case)
        if claim is None or case is None:
            p.action = "insert"
            return
        if claim.worker_id != worker.id:
            p.fail("uan", "this reference is another worker's claim")
        if claim.claim_type != record["claim_type"]:
            p.fail("claim_type", "differs from the stored claim (file a new claim instead)")
        p.changed = [
            f
            for f in CLAIM_FIELDS
            if record[f] not in (None, "") and getattr(claim, f) != record[f]
        ]
        if case.status != record["status"]:
            p.changed.append("status")
        docs = record["documents_pending"]
        if docs and set(docs) != pending.get(claim.id, set()):
            p.changed.append("documents_pending")
        if case.id in touched:
            if record["status"] == touched[case.id]:  # the register has not moved: ours now
                p.changed = [c for c in p.changed if c not in DECISION_FIELDS]
            elif DECISION_FIELDS.intersection(p.changed):
                p.fail("status", f"decided here since the import (now {case.status}); kept")
        p.action = "update" if p.changed else "unchanged"

    def apply(self, session: Session, batch: list[Planned]) -> None:
        highest: dict[int, str] = {}
        for p in batch:
            assert p.record is not None
            reference = p.record["reference"]
            year = int(reference[4:8])
            highest[year] = max(highest.get(year, ""), reference)
            if p.action == "update":
                _, claim, case = p.op
                self._update(session, claim, case, p.record, p.changed)
        self._insert([p for p in batch if p.action == "insert"], session)
        for reference in highest.values():
            note_existing(session, reference)

    def _insert(self, batch: list[Planned], session: Session) -> None:
        """The batch's new claims: their cases opened in one flush, then moved, then stored."""
        wanted = [
            cases.NewCase(
                kind=casework.CaseKind.CLAIM,
                reference=p.record["reference"],
                worker=p.op[0],
                channel="office",
                at=_at(p.record["submitted_on"]),
            )
            for p in batch
            if p.record is not None
        ]
        opened = cases.open_cases(session, self.ctx, wanted, actor_role=casework.Role.SYSTEM)
        made: list[tuple[Claim, tuple[str, ...]]] = []
        for p, case in zip(batch, opened, strict=True):
            record, worker = p.record or {}, p.op[0]
            if record["status"] != case.status:
                self._move(session, case, record, version=1)
            claim = Claim(
                reference=record["reference"],
                case_id=case.id,
                worker_id=worker.id,
                claim_type=record["claim_type"],
                bank_last4=worker.bank_last4,
                channel="office",
                **{f: record[f] for f in CLAIM_FIELDS},
            )
            claim.description = claim.description or ""
            made.append((claim, record["documents_pending"]))
        session.add_all(claim for claim, _ in made)
        session.flush()
        session.add_all(
            ClaimDocument(claim_id=claim.id, code=code, status="pending")
            for claim, codes in made
            for code in codes
        )
        session.flush()

    def _update(
        self,
        session: Session,
        claim: Claim,
        case: Case,
        record: dict[str, Any],
        changed: list[str],
    ) -> None:
        for f in CLAIM_FIELDS:
            if f in changed:
                setattr(claim, f, record[f])
        if "documents_pending" in changed:
            wanted = set(record["documents_pending"])
            documents = session.execute(
                select(ClaimDocument).where(ClaimDocument.claim_id == claim.id)
            ).scalars()
            for row in documents:
                row.status = "pending" if row.code in wanted else "received"
                wanted.discard(row.code)
            for code in sorted(wanted):
                session.add(ClaimDocument(claim_id=claim.id, code=code, status="pending"))
        if "status" in changed:
            self._move(session, case, record, version=case.version + 1)

    def _move(self, session: Session, case: Case, record: dict[str, Any], *, version: int) -> None:
        """One timeline event to the register's status, carrying what that status needs."""
        target = record["status"]
        at = _at(record["paid_on"]) if target == "paid" and record["paid_on"] else utcnow()
        amounts = {"approved": record["amount_approved"], "paid": record["amount_paid"]}
        session.add(
            CaseEvent(
                case_id=case.id,
                at=at,
                actor=self.ctx.actor[:120],
                role=casework.Role.SYSTEM,
                from_status=case.status,
                to_status=target,
                version=version,
                reason=record["reason"] if target == "rejected" else None,
                amount=amounts.get(target),
                paid_on=record["paid_on"] if target == "paid" else None,
                documents=list(record["documents_pending"])
                if target == "documents_pending"
                else [],
                note="",
            )
        )
        case.status, case.version, case.updated_at = target, version, at
        case.is_open = casework.is_open(case.kind, target)
        case.closed_at = None if case.is_open else at
