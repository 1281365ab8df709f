"""FastAPI application factory: `uvicorn api.web.app:create_app --factory`.

Nothing happens at import. Every router is listed once in ROUTERS ("module.path", "attribute") and
imported when the app is built; a missing one is an error, not a silently absent phone line.
"""

from __future__ import annotations

import importlib

from fastapi import APIRouter, FastAPI

from api.logging_setup import configure_logging
from api.settings import get_settings
from api.web import errors
from api.web.middleware import RequestContextMiddleware

ROUTERS: list[tuple[str, str]] = [
    ("api.web.routes.health", "router"),
    ("api.web.routes.worker", "router"),
    ("api.web.routes.public", "router"),
    ("api.web.routes.kb", "router"),
    ("api.web.routes.staff", "router"),
    ("api.web.routes.webchat", "router"),
    ("api.web.routes.console", "router"),
    ("voice.gateway", "router"),  # Twilio voice, WhatsApp/SMS and delivery-status webhooks
]


def _load(module: str, attr: str) -> APIRouter:
    return getattr(importlib.import_module(module), attr)


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
    for module, attr in ROUTERS:
        app.include_router(_load(module, attr))
    return app
