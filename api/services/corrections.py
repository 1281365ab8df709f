"""Corrections of a worker's record: filed as a case an officer decides, applied to the record
only on approval, audited both times.

Why through a case: a name, date of birth, bank account or phone number moves money or rights,
so an officer checks the documents (api/domain/corrections.py) before anything changes; the
worker follows the COR- reference like any other and hears the decision (api/services/notices).
"""

from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import Case, CorrectionRequest, Worker, utcnow
from api.domain import corrections as rules
from api.domain.casework import CaseKind
from api.domain.codes import CorrectionField
from api.domain.errors import DomainError
from api.domain.masking import pii_hash
from api.messaging.outbound import NotServed, enqueue
from api.services import audit, cases
from api.services.context import Ctx, local_today
from api.services.references import next_reference
from api.settings import get_settings
from locales import translate

MASK = "XXXX"


def needs_code(field: str) -> bool:
    """Whether filing this correction needs a `strong` session (api/domain/corrections.py)."""
    return rules.needs_code(field)


def current_shown(worker: Worker, field: str, new: rules.NewValue | None = None) -> str:
    """What the record says now, as an officer may see it (numbers masked); a name in the
    script the new spelling is written in."""
    if field == CorrectionField.NAME:
        script = rules.name_script(new.text or "") if new is not None else "en"
        return worker.name(script) or ""
    if field == CorrectionField.DATE_OF_BIRTH:
        return worker.date_of_birth.isoformat()
    if field == CorrectionField.BANK_ACCOUNT:
        return f"{MASK}{worker.bank_last4}" if worker.bank_last4 else ""
    if field == CorrectionField.PHONE:
        return rules.masked_phone(worker.phone) or ""
    return worker.address or ""


def _same_as_record(worker: Worker, value: rules.NewValue, salt: str) -> bool:
    if value.field == CorrectionField.NAME:
        return value.text == worker.name(rules.name_script(value.text or ""))
    if value.field == CorrectionField.DATE_OF_BIRTH:
        return value.text == worker.date_of_birth.isoformat()
    if value.field == CorrectionField.BANK_ACCOUNT:
        return bool(worker.bank_hash) and pii_hash(value.digits or "", salt) == worker.bank_hash
    if value.field == CorrectionField.PHONE:
        return value.text == worker.phone
    return value.text == worker.address


def _open_for_field(session: Session, worker: Worker, field: str) -> str | None:
    return session.execute(
        select(CorrectionRequest.reference)
        .join(Case, Case.id == CorrectionRequest.case_id)
        .where(
            CorrectionRequest.worker_id == worker.id,
            CorrectionRequest.field == field,
            Case.is_open.is_(True),
        )
    ).scalar_one_or_none()


def _refuse(
    session: Session, ctx: Ctx, worker: Worker, code: str, message: str, **detail: Any
) -> NoReturn:
    audit.record(
        session, ctx, "correction.create", worker_id=worker.id, purpose="correction", outcome=code
    )
    raise DomainError(code, message, **detail)


def request_correction(
    session: Session, ctx: Ctx, worker: Worker, *, field: str, value: str | None
) -> dict[str, Any]:
    """File the correction as a case; nothing in the record changes yet."""
    field = rules.check_field(field)
    new = rules.read_value(field, value, local_today())
    salt = get_settings().pii_salt
    if _same_as_record(worker, new, salt):
        _refuse(session, ctx, worker, "same_as_record", "The record already says this.")
    existing = _open_for_field(session, worker, field)
    if existing:
        _refuse(
            session,
            ctx,
            worker,
            "duplicate_correction",
            "A correction of this detail is already open.",
            existing_reference=existing,
        )
    reference = next_reference(session, "correction")
    case = cases.open_case(
        session, ctx, kind=CaseKind.CORRECTION, reference=reference, worker=worker
    )
    session.add(
        CorrectionRequest(
            reference=reference,
            worker_id=worker.id,
            case_id=case.id,
            field=field,
            current_shown=current_shown(worker, field, new)[:300],
            new_value=new.text,
            new_last4=new.last4,
            new_hash=pii_hash(new.digits, salt) if new.digits else None,
            channel=(ctx.channel or "")[:20],
        )
    )
    session.flush()
    if field == CorrectionField.PHONE:
        _alert_registered_phone(session, worker, reference)
    audit.record(session, ctx, "correction.create", worker_id=worker.id, purpose=f"correct {field}")
    return {
        "reference": reference,
        "field": field,
        "status": case.status,
        "documents": rules.document_groups(field),
    }


def _alert_registered_phone(session: Session, worker: Worker, reference: str) -> None:
    """A change of phone number is asked without the code: the number on record is told at once,
    so a worker whose UAN and date of birth someone else knows can stop it with the officer."""
    if not worker.phone:
        return
    body = translate(
        "notice.correction.phone_requested", worker.preferred_language, reference=reference
    )
    try:
        enqueue(
            session,
            to=worker.phone,
            body=body,
            channel="sms",
            reason="correction_alert",
            dedupe_key=f"correction:{reference}:alert",
        )
    except NotServed:
        return  # a number the line cannot text: the officer still checks the documents


def of_case(session: Session, case: Case) -> CorrectionRequest | None:
    if case.kind != CaseKind.CORRECTION:
        return None
    return session.execute(
        select(CorrectionRequest).where(CorrectionRequest.case_id == case.id)
    ).scalar_one()


def apply_approved(session: Session, ctx: Ctx, case: Case, request: CorrectionRequest) -> None:
    """An officer approved: write the new value into the worker's record, audited."""
    worker = session.get(Worker, request.worker_id)
    if worker is None:
        return
    field = request.field
    if field == CorrectionField.NAME:
        value = request.new_value or ""
        setattr(worker, f"name_{rules.name_script(value)}", value)
    elif field == CorrectionField.DATE_OF_BIRTH:
        worker.date_of_birth = date.fromisoformat(request.new_value or "")
    elif field == CorrectionField.BANK_ACCOUNT:
        worker.bank_last4, worker.bank_hash = request.new_last4, request.new_hash
    elif field == CorrectionField.PHONE:
        worker.phone = request.new_value
    else:
        worker.address = request.new_value
    request.applied_at = utcnow()
    audit.record(
        session,
        ctx,
        "worker.correct",
        worker_id=worker.id,
        purpose=f"{field} corrected ({case.reference})",
    )


def fingerprint(field: str, value: str) -> dict[str, str]:
    """The request as the idempotency store may keep it: the value only as a salted hash (a
    bank account number must not be recoverable from an unsalted digest)."""
    return {"field": field, "value": pii_hash(value, get_settings().pii_salt) + str(len(value))}


def officer_view(request: CorrectionRequest) -> dict[str, Any]:
    """What the officer sees of the request (the console's request facts)."""
    if request.field == CorrectionField.BANK_ACCOUNT:
        requested = f"{MASK}{request.new_last4}"
    else:
        requested = request.new_value or ""
    return {
        "field": request.field,
        "current": request.current_shown,
        "requested": requested,
        "documents": rules.document_groups(request.field),
        "document_codes": rules.document_codes(request.field),
        "applied_at": request.applied_at,
    }
