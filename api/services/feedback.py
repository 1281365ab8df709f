"""Complaints, suggestions and bribery reports; anonymous unless a verification token is given."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.db.models import Feedback, Worker
from api.domain.codes import FEEDBACK_CATEGORIES
from api.domain.errors import DomainError
from api.domain.masking import mask_numbers
from api.services import audit, cases
from api.services.context import Ctx
from api.services.references import next_reference

CATEGORIES = FEEDBACK_CATEGORIES


def submit(
    session: Session,
    ctx: Ctx,
    *,
    category: str,
    text: str,
    channel: str,
    language: str,
    worker: Worker | None,
) -> dict[str, Any]:
    cleaned = (text or "").strip()
    if not cleaned:
        raise DomainError("missing_field", "Feedback text is required.", field="text")
    if category not in CATEGORIES:
        raise DomainError("invalid_input", "Unknown feedback category.", field="category")
    reference = next_reference(session, "feedback")
    case = cases.open_case(
        session,
        ctx,
        kind="complaint",
        reference=reference,
        worker=worker,
        language=language,
        category=category,
        channel=channel,
    )
    item = Feedback(
        reference=reference,
        case_id=case.id,
        category=category,
        text=mask_numbers(cleaned),
        channel=channel,
        language=language,
        worker_id=worker.id if worker else None,
    )
    session.add(item)
    session.flush()
    if worker is not None:
        audit.record(session, ctx, "feedback.create", worker_id=worker.id, purpose="feedback")
    return {"reference": item.reference, "category": category, "status": case.status}
