"""`POST /api/v1/kb/search` — answers from the knowledge base (api.knowledge, another module).

Imported lazily: until api.knowledge exists, or if it fails, callers get 503 kb_unavailable and
the assistant offers an officer instead.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import asdict, is_dataclass
from typing import Any

from fastapi import APIRouter, Depends

from api.domain.errors import DomainError
from api.web.deps import require_service
from api.web.schemas import KbIn, KbOut

router = APIRouter(prefix="/api/v1", tags=["knowledge"], dependencies=[Depends(require_service)])
log = logging.getLogger(__name__)


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if hasattr(value, "model_dump"):
        return value.model_dump()
    return dict(vars(value))


@router.post("/kb/search", response_model=KbOut)
def kb_search(body: KbIn) -> dict[str, Any]:
    try:
        knowledge = importlib.import_module("api.knowledge")
        search = knowledge.search
    except (ImportError, AttributeError) as exc:
        log.warning("knowledge base unavailable: %s", exc)
        raise DomainError("kb_unavailable", "The knowledge base is not available.") from None
    try:
        result = _as_dict(search(body.question, body.language, limit=3))
    except Exception:
        log.exception("knowledge base search failed")
        raise DomainError("kb_unavailable", "The knowledge base is not available.") from None
    return {
        "answers": [_as_dict(a) for a in result.get("answers", [])],
        "method": result.get("method", "keyword"),
    }
