"""`POST /api/v1/kb/search`: one-fact passages about the schemes (api.knowledge), or none.

The embedder and the passages' vectors load in a background thread when the app starts; until
they are ready, questions are answered by the keyword path (never queued behind them). An empty
answer list carries its reason (docs/contracts.md, "Knowledge base"). If search fails the caller
gets 503 kb_unavailable and the assistant offers an officer.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Depends, FastAPI

from api import knowledge
from api.domain.errors import DomainError
from api.web.deps import require_service
from api.web.schemas import KbIn, KbOut

log = logging.getLogger(__name__)


def _warm_up() -> None:
    try:
        knowledge.warm_up()
    except Exception:  # search() reports and falls back on its own; never stop the API
        log.warning("knowledge base warm-up failed", exc_info=True)


@contextlib.asynccontextmanager
async def warm_knowledge_base(app: FastAPI) -> AsyncIterator[None]:
    threading.Thread(target=_warm_up, name="kb-warm-up", daemon=True).start()
    yield


router = APIRouter(
    prefix="/api/v1",
    tags=["knowledge"],
    dependencies=[Depends(require_service)],
    lifespan=warm_knowledge_base,
)


@router.post("/kb/search", response_model=KbOut)
def kb_search(body: KbIn) -> dict[str, Any]:
    try:
        result = knowledge.search(body.question, body.language, limit=3)
    except Exception:
        log.exception("knowledge base search failed")
        raise DomainError("kb_unavailable", "The knowledge base is not available.") from None
    return result.to_dict()
