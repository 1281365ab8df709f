"""Nominee change, keeping the history of who changed what."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import Nominee, NomineeChange, Worker
from api.domain.codes import RELATIONS
from api.domain.errors import DomainError
from api.services import audit
from api.services.context import Ctx
from api.services.references import next_reference


def clean_name(name: str) -> str:
    cleaned = re.sub(r"\s+", " ", name or "").strip()
    if not cleaned or len(cleaned) > 120 or not any(ch.isalpha() for ch in cleaned):
        raise DomainError(
            "invalid_input", "Nominee name must contain letters (max 120).", field="name"
        )
    if any(ch.isdigit() for ch in cleaned):
        raise DomainError("invalid_input", "Nominee name cannot contain digits.", field="name")
    return cleaned


def update_nominee(
    session: Session, ctx: Ctx, worker: Worker, *, name: str, relation: str
) -> dict[str, Any]:
    new_name = clean_name(name)
    if relation not in RELATIONS:
        raise DomainError("invalid_input", "Unknown relation.", field="relation")
    nominee = session.execute(
        select(Nominee).where(Nominee.worker_id == worker.id)
    ).scalar_one_or_none()
    reference = next_reference(session, "nominee")
    session.add(
        NomineeChange(
            reference=reference,
            worker_id=worker.id,
            old_name=nominee.name if nominee else None,
            old_relation=nominee.relation if nominee else None,
            new_name=new_name,
            new_relation=relation,
            actor=ctx.actor[:120],
        )
    )
    if nominee is None:
        session.add(Nominee(worker_id=worker.id, name=new_name, relation=relation))
    else:
        nominee.name, nominee.relation = new_name, relation
    audit.record(session, ctx, "nominee.update", worker_id=worker.id, purpose="nominee change")
    return {"name": new_name, "relation": relation, "reference": reference}
