"""Workers file: one row per worker and scheme (a UAN repeated carries another enrollment).

Upsert: the worker by UAN, the enrollment by UAN + scheme. A blank optional cell keeps what the
database holds. Full Aadhaar/bank numbers become last 4 + salted hash as the row is read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import Enrollment, Worker
from api.domain.codes import SCHEMES
from api.domain.masking import pii_hash
from api.domain.phones import is_mobile_in, normalise_phone
from api.importer.fields import Cells, Planned, differing, digest, digits_only
from api.seed import ensure_schemes
from api.services.context import Ctx
from api.settings import get_settings

COLUMNS = (
    "uan", "name_en", "name_bn", "name_hi", "date_of_birth", "gender", "phone", "state",
    "district", "occupation", "preferred_language", "aadhaar_number", "bank_account_number",
    "scheme", "member_id", "enrollment_status", "valid_until", "registered_on",
)  # fmt: skip
REQUIRED = ("uan", "name_en", "date_of_birth", "preferred_language", "scheme")
WORKER_FIELDS = (
    "name_en", "name_bn", "name_hi", "date_of_birth", "gender", "phone", "state", "district",
    "occupation", "preferred_language", "aadhaar_last4", "aadhaar_hash", "bank_last4",
    "bank_hash",
)  # fmt: skip
# what a repeated UAN must repeat (the hashes stand for the numbers)
SAME_FIELDS = tuple(f for f in WORKER_FIELDS if not f.endswith("_last4"))
ENROLLMENT_FIELDS = ("member_id", "status", "valid_until", "registered_on", "renewable")
STATUSES = ("active", "lapsed", "closed")
LANGUAGES = ("bn", "hi", "en")


def _changes(current: Any, wanted: dict[str, Any], fields: tuple[str, ...]) -> list[str]:
    """Columns whose wanted value differs; a blank (None or "") keeps the stored value."""
    return [f for f in fields if wanted[f] not in (None, "") and getattr(current, f) != wanted[f]]


def _registered_on(cells: Cells, born: date | None) -> date | None:
    """The day of registration (it counts a scheme's pension years): a real day, not after
    today, not before the worker was born."""
    day = cells.day("registered_on")
    if day is None:
        return None
    if day > cells.today or (born is not None and day < born):
        cells.planned.fail("registered_on", "not between the date of birth and today")
        return None
    return day


class WorkersKind:
    name = "workers"
    columns: tuple[str, ...] = COLUMNS
    required: tuple[str, ...] = REQUIRED

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.salt = get_settings().pii_salt
        self.first: dict[str, tuple[int, bytes]] = {}  # uan -> (line, digest of SAME_FIELDS)
        self.enrolled: dict[tuple[str, str], int] = {}  # (uan, scheme) -> line
        self.schemes_ready = False

    def read(self, row: dict[str, str], planned: Planned) -> dict[str, Any]:
        cells = Cells(row, planned, COLUMNS)
        worker: dict[str, Any] = {
            f: cells.text(f, required=f == "name_en")
            for f in ("name_en", "name_bn", "name_hi", "gender", "state", "district", "occupation")
        }
        worker["date_of_birth"] = cells.day("date_of_birth", required=True, past=True)
        worker["preferred_language"] = cells.text("preferred_language", required=True)
        if worker["preferred_language"] and worker["preferred_language"] not in LANGUAGES:
            planned.fail("preferred_language", "must be bn, hi or en")
        worker["phone"] = None
        if cells.text("phone"):
            phone = normalise_phone(cells.text("phone"))
            if phone is None or not is_mobile_in(phone):
                planned.fail("phone", "not an Indian mobile number")
            worker["phone"] = phone
        for kind, column, size in (
            ("aadhaar", "aadhaar_number", (12, 12)),
            ("bank", "bank_account_number", (9, 18)),
        ):
            number = digits_only(cells.text(column))
            worker[f"{kind}_last4"] = worker[f"{kind}_hash"] = None
            if not number:
                continue
            if not number.isdigit() or not size[0] <= len(number) <= size[1]:
                span = f"{size[0]}" if size[0] == size[1] else f"{size[0]}-{size[1]}"
                planned.fail(column, f"must have {'exactly ' if size[0] == size[1] else ''}"
                             f"{span} digits")  # fmt: skip
                continue
            worker[f"{kind}_last4"] = number[-4:]
            worker[f"{kind}_hash"] = pii_hash(number, self.salt)
        scheme = cells.text("scheme")
        enrollment: dict[str, Any] | None = None
        if scheme:
            if scheme not in SCHEMES:
                planned.fail("scheme", f"unknown scheme (use {', '.join(SCHEMES)})")
            status = cells.choice("enrollment_status", STATUSES, required=True)
            enrollment = {
                "scheme": scheme,
                "member_id": cells.text("member_id") or None,
                "status": status,
                "valid_until": cells.day("valid_until"),
                "registered_on": _registered_on(cells, worker["date_of_birth"]),
                "renewable": status == "lapsed",
            }
        return {"uan": cells.uan(), "worker": worker, "enrollment": enrollment}

    def plan(self, session: Session, batch: list[Planned]) -> None:
        good = [p for p in batch if not p.errors and p.record]
        uans = sorted({p.record["uan"] for p in good if p.record})
        workers = {
            w.uan: w for w in session.execute(select(Worker).where(Worker.uan.in_(uans))).scalars()
        }
        enrollments = {
            (uan, e.scheme_code): e
            for e, uan in session.execute(
                select(Enrollment, Worker.uan)
                .join(Worker, Worker.id == Enrollment.worker_id)
                .where(Worker.uan.in_(uans))
            ).tuples()
        }
        for p in good:
            self._plan_row(p, workers, enrollments)

    def _plan_row(
        self,
        p: Planned,
        workers: dict[str, Worker],
        enrollments: dict[tuple[str, str], Enrollment],
    ) -> None:
        assert p.record is not None
        uan, wanted = p.record["uan"], p.record["worker"]
        mark = digest(*(wanted[f] for f in SAME_FIELDS))
        first = self.first.get(uan)
        worker_action = "unchanged"
        if first is not None:
            for column in differing(first[1], mark, SAME_FIELDS):
                p.fail(column, f"differs from line {first[0]} for the same UAN")
            worker_action = "again"
        else:
            self.first[uan] = (p.line, mark)
            current = workers.get(uan)
            if current is None:
                worker_action = "insert"
            else:
                p.changed = _changes(current, wanted, WORKER_FIELDS)
                worker_action = "update" if p.changed else "unchanged"
        enrollment, enrollment_action, current_e = p.record["enrollment"], None, None
        if enrollment is not None:
            key = (uan, enrollment["scheme"])
            if key in self.enrolled:
                p.fail("scheme", f"same UAN and scheme as line {self.enrolled[key]}")
            self.enrolled[key] = p.line
            current_e = enrollments.get(key)
            if current_e is None:
                enrollment_action = "insert"
            else:
                changed = _changes(current_e, enrollment, ENROLLMENT_FIELDS)
                p.changed += [f"{enrollment['scheme']}.{c}" for c in changed]
                enrollment_action = "update" if changed else None
        if "insert" in (worker_action, enrollment_action):
            p.action = "insert"
        elif p.changed:
            p.action = "update"
        p.op = (worker_action, workers.get(uan), enrollment_action, current_e)

    def apply(self, session: Session, batch: list[Planned]) -> None:
        if not self.schemes_ready:
            ensure_schemes(session)
            self.schemes_ready = True
        made: dict[str, Worker] = {}
        for p in batch:
            assert p.record is not None
            worker_action, worker, _, _ = p.op
            wanted = p.record["worker"]
            if worker_action == "insert":
                worker = Worker(uan=p.record["uan"], **wanted)
                session.add(worker)
                made[p.record["uan"]] = worker
            elif worker_action == "update" and worker is not None:
                for f in _changes(worker, wanted, WORKER_FIELDS):
                    setattr(worker, f, wanted[f])
        session.flush()
        for p in batch:
            assert p.record is not None
            _, worker, enrollment_action, enrollment = p.op
            wanted = p.record["enrollment"]
            if enrollment_action == "insert":
                owner = made.get(p.record["uan"]) or worker
                assert owner is not None  # inserted above or earlier in this run
                session.add(
                    Enrollment(
                        worker_id=owner.id,
                        scheme_code=wanted["scheme"],
                        member_id=wanted["member_id"],
                        status=wanted["status"],
                        valid_until=wanted["valid_until"],
                        registered_on=wanted["registered_on"],
                        renewable=wanted["renewable"],
                    )
                )
            elif enrollment_action == "update" and enrollment is not None:
                for f in _changes(enrollment, wanted, ENROLLMENT_FIELDS):
                    setattr(enrollment, f, wanted[f])
        session.flush()
