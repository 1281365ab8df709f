"""FastAPI application factory: `uvicorn api.web.app:create_app --factory`.

Nothing happens at import. To add a router (voice gateway, web chat page, ...) append ONE line to
ROUTERS: ("module.path", "attribute", required). Optional routers whose module is missing are
skipped with a warning, so parts can land in any order.
"""

from __future__ import annotations

import importlib
import logging

from fastapi import APIRouter, FastAPI

from api.logging_setup import configure_logging
from api.settings import get_settings
from api.web import errors
from api.web.middleware import RequestContextMiddleware

log = logging.getLogger(__name__)

ROUTERS: list[tuple[str, str, bool]] = [
    ("api.web.routes.health", "router", True),
    ("api.web.routes.worker", "router", True),
    ("api.web.routes.public", "router", True),
    ("api.web.routes.kb", "router", True),
    ("api.web.routes.staff", "router", True),
    ("api.web.routes.webchat", "router", True),
    # Other parts: one line each, e.g.
    ("voice.gateway", "router", False),
]


def _load(module: str, attr: str, required: bool) -> APIRouter | None:
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError):
        if required:
            raise
        log.warning("optional router %s.%s not available; skipped", module, attr)
        return None


def create_app(configure_logs: bool = True) -> FastAPI:
    settings = get_settings()
    if configure_logs:
        configure_logging(settings.log_level, settings.log_json)
    app = FastAPI(
        title="Shramik Sahayak backend",
        version="1.0",
        description="Business rules and data for the helpline. See docs/contracts.md.",
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    app.add_middleware(RequestContextMiddleware)
    errors.install(app)
    for module, attr, required in ROUTERS:
        router = _load(module, attr, required)
        if router is not None:
            app.include_router(router)
    return app
