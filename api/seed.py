"""`python -m api.seed` — load the demo dataset into an empty database (does nothing otherwise).

The dataset only holds the last 4 digits of Aadhaar/bank numbers; we store those plus the salted
hash of a deterministic placeholder, so demo rows look exactly like real ones.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.db.models import (
    CaseEvent,
    Claim,
    ClaimDocument,
    Enrollment,
    Nominee,
    PensionAccount,
    Scheme,
    StaffUser,
    Worker,
)
from api.db.session import session_scope
from api.domain import casework
from api.domain.masking import pii_hash
from api.domain.scheme_benefits import monthly_pension
from api.services.cases import open_case
from api.services.context import Ctx, local_today
from api.services.references import note_existing
from api.services.scheme_benefits import benefits
from api.services.staff_auth import create_user
from api.settings import get_settings

DATA_DIR = Path(__file__).resolve().parent / "data"


def demo_placeholder(kind: str, uan: str, last4: str) -> str:
    """Stand-in full number for a demo person: never a real one, same every install."""
    prefix = "9" if kind == "aadhaar" else "8"
    return prefix + uan[-7:] + last4


def load_yaml(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
    return loaded


def ensure_schemes(session: Session) -> None:
    for row in load_yaml("schemes.yaml")["schemes"]:
        if session.get(Scheme, row["code"]) is None:
            names = row["name"]
            session.add(
                Scheme(
                    code=row["code"],
                    name_en=names["en"],
                    name_bn=names.get("bn", ""),
                    name_hi=names.get("hi", ""),
                    kind=row.get("kind", "welfare"),
                )
            )
    session.flush()


def add_worker(session: Session, data: dict[str, Any], salt: str) -> Worker:
    uan = str(data["uan"])
    names = data["name"]
    worker = Worker(
        uan=uan,
        name_en=names["en"],
        name_bn=names.get("bn", ""),
        name_hi=names.get("hi", ""),
        date_of_birth=data["date_of_birth"],
        gender=data.get("gender", ""),
        phone=data.get("phone"),
        state=data.get("state", ""),
        district=data.get("district", ""),
        occupation=data.get("occupation", ""),
        preferred_language=data.get("preferred_language", "en"),
    )
    if data.get("aadhaar_last4"):
        worker.aadhaar_last4 = str(data["aadhaar_last4"])
        worker.aadhaar_hash = pii_hash(demo_placeholder("aadhaar", uan, worker.aadhaar_last4), salt)
    if data.get("bank_account_last4"):
        worker.bank_last4 = str(data["bank_account_last4"])
        worker.bank_hash = pii_hash(demo_placeholder("bank", uan, worker.bank_last4), salt)
    session.add(worker)
    session.flush()
    return worker


def add_claim(session: Session, worker: Worker, c: dict[str, Any]) -> Claim:
    """A claim as the office has it, with its case already at the dataset's status."""
    case = open_case(
        session,
        Ctx(actor="seed", channel="office"),
        kind="claim",
        reference=c["reference"],
        worker=worker,
        actor_role=casework.Role.SYSTEM,
    )
    status = c["status"]
    since = datetime.combine(c["submitted_on"], time(10, 0), tzinfo=UTC)
    case.created_at = case.updated_at = since
    case.due_at = since + timedelta(days=30)
    if status != case.status:
        case.status = status
        case.is_open = casework.is_open(case.kind, status)
        case.closed_at = None if case.is_open else since
        session.add(
            CaseEvent(
                case_id=case.id,
                actor="seed",
                role="system",
                from_status="submitted",
                to_status=status,
                version=1,
                documents=[],
                note="",
            )
        )
    claim = Claim(
        reference=c["reference"],
        case_id=case.id,
        worker_id=worker.id,
        claim_type=c["type"],
        incident_date=c.get("incident_date"),
        submitted_on=c["submitted_on"],
        amount_claimed=c.get("amount_claimed"),
        amount_approved=c.get("amount_paid"),
        amount_paid=c.get("amount_paid"),
        paid_on=c.get("paid_on"),
        bank_last4=worker.bank_last4,
        channel="office",
    )
    session.add(claim)
    session.flush()
    note_existing(session, claim.reference)
    for code in c.get("documents_pending", []):
        session.add(ClaimDocument(claim_id=claim.id, code=code, status="pending"))
    return claim


def valid_until(e: dict[str, Any], today: date) -> date | None:
    """An absolute day, or `valid_until_in_days` after seeding (always due for renewal)."""
    if e.get("valid_until_in_days") is not None:
        return today + timedelta(days=int(e["valid_until_in_days"]))
    day: date | None = e.get("valid_until")
    return day


def _monthly_amount(p: dict[str, Any], data: dict[str, Any], today: date) -> int:
    """The amount given, or the scheme's own pension rule on the day seeded (its figures are
    data with their source, api/data/scheme_benefits.yaml, never typed twice)."""
    if p.get("monthly_amount") is not None:
        return int(p["monthly_amount"])
    found = benefits(p["scheme"])
    registered = next(e["registered_on"] for e in data["enrollments"] if e["scheme"] == p["scheme"])
    amount = (
        monthly_pension(found.pension, data["date_of_birth"], registered, today)
        if found and found.pension
        else None
    )
    if amount is None:
        raise ValueError(f"no pension due by the rule of {p['scheme']} for {data['uan']}")
    return amount


def seed_demo(session: Session) -> bool:
    """Returns False (and changes nothing) when workers already exist."""
    if session.execute(select(func.count()).select_from(Worker)).scalar_one():
        return False
    settings = get_settings()
    ensure_schemes(session)
    dataset = load_yaml("demo_dataset.yaml")
    today = local_today()
    for data in dataset["workers"]:
        worker = add_worker(session, data, settings.pii_salt)
        for e in data.get("enrollments", []):
            session.add(
                Enrollment(
                    worker_id=worker.id,
                    scheme_code=e["scheme"],
                    member_id=e.get("member_id"),
                    status=e["status"],
                    valid_until=valid_until(e, today),
                    registered_on=e.get("registered_on"),
                    renewable=bool(e.get("renewable", False)),
                    entry_age=e.get("entry_age"),
                    monthly_contribution=e.get("monthly_contribution"),
                    contribution_paid_until=e.get("contribution_paid_until"),
                )
            )
        for c in data.get("claims", []):
            add_claim(session, worker, c)
        if data.get("pension"):
            p = data["pension"]
            session.add(
                PensionAccount(
                    worker_id=worker.id,
                    scheme_code=p["scheme"],
                    monthly_amount=_monthly_amount(p, data, today),
                    status=p["status"],
                    stop_reason=p.get("stop_reason"),
                    stopped_on=p.get("stopped_on"),
                    last_paid_on=p.get("last_paid_on"),
                    life_certificate_due_on=p.get("life_certificate_due_on"),
                )
            )
        if data.get("nominee"):
            n = data["nominee"]
            session.add(Nominee(worker_id=worker.id, name=n["name"], relation=n["relation"]))
    if settings.demo_mode and settings.staff_demo_password:
        for staff in dataset.get("staff", []):
            exists = session.execute(
                select(StaffUser).where(StaffUser.username == staff["username"])
            ).scalar_one_or_none()
            if exists is None:
                create_user(
                    session,
                    staff["username"],
                    settings.staff_demo_password,
                    name=staff.get("name", ""),
                    languages=",".join(staff.get("languages", [])),
                )
    return True


def main() -> int:
    if not get_settings().demo_mode:
        print("refusing to seed demo people outside demo mode (DEMO_MODE=true: `make run`)")
        return 1
    with session_scope() as s:
        done = seed_demo(s)
    print("seeded the demo dataset" if done else "workers exist; nothing seeded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
