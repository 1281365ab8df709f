"""The backend's FastAPI application (no phone line: `asgi.py` adds it for the API process).

Nothing happens at import. Every router is listed once in ROUTERS ("module.path", "attribute") and
imported when the app is built; a missing one is an error, not a silently absent route. Adapters
outside api/ add their own routers through `create_app(extra_routers=...)`: the backend never
imports them.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import AsyncIterator, Sequence

from fastapi import APIRouter, FastAPI

from api.integrations import assistant_http
from api.logging_setup import configure_logging
from api.ratelimit import RateLimiter
from api.settings import get_settings
from api.web import errors
from api.web.middleware import RequestContextMiddleware

ROUTERS: list[tuple[str, str]] = [
    ("api.web.routes.health", "router"),
    ("api.web.routes.worker", "router"),
    ("api.web.routes.public", "router"),
    ("api.web.routes.selfservice", "router"),  # track a reference, a lost UAN
    ("api.web.routes.family", "router"),  # a family member files for a worker who died
    ("api.web.routes.helpers", "router"),  # a helper acts for a worker, with their consent
    ("api.web.routes.notify", "router"),  # how a worker is told: decision calls, reminders
    ("api.web.routes.kb", "router"),
    ("api.web.routes.staff", "router"),
    ("api.web.routes.cases", "router"),
    ("api.web.routes.officers", "router"),
    ("api.web.routes.staff_totp", "router"),  # an officer's own second factor
    ("api.web.routes.staff_erasure", "router"),
    ("api.web.routes.casework_rules", "router"),
    ("api.web.routes.webchat", "router"),
    ("api.web.routes.console", "router"),
    ("api.web.routes.fonts", "router"),
    ("api.messaging.routes", "router"),  # Twilio's delivery callbacks
    ("api.jobs", "router"),  # periodic jobs: retention, reminders, sweep, outbox (api/jobs.py)
    ("api.web.loop_watch", "router"),  # logs what blocks the event loop (api/web/loop_watch.py)
]


def _load(module: str, attr: str) -> APIRouter:
    router: APIRouter = getattr(importlib.import_module(module), attr)
    return router


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    await assistant_http.close()  # the connections to the assistant, kept between messages


def create_app(configure_logs: bool = True, extra_routers: Sequence[APIRouter] = ()) -> FastAPI:
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
        lifespan=_lifespan,
    )
    app.state.limiter = RateLimiter.from_settings()
    app.add_middleware(RequestContextMiddleware)
    errors.install(app)
    for module, attr in ROUTERS:
        app.include_router(_load(module, attr))
    for router in extra_routers:
        app.include_router(router)
    return app
