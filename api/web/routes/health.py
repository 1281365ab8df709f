"""`/health`: is the API up and can it reach its database (no auth, no personal data)."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.db.session import database_reachable
from api.web.schemas import HealthOut

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


def _health() -> JSONResponse:
    try:
        database_reachable()
        return JSONResponse({"status": "ok", "database": "ok"})
    except Exception:
        log.exception("database health check failed")
        return JSONResponse({"status": "degraded", "database": "unavailable"}, status_code=503)


@router.get("/health", response_model=HealthOut)
def health() -> JSONResponse:
    return _health()


@router.get("/api/v1/health", response_model=HealthOut, include_in_schema=False)
def health_v1() -> JSONResponse:
    return _health()
