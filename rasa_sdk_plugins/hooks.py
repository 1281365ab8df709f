"""The hook implementations: authentication middleware and the NLG route."""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any

import pluggy
from sanic import Sanic, response
from sanic.request import Request

hookimpl = pluggy.HookimplMarker("rasa_sdk")
logger = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/health"})


def token_matches(header: str | None, expected: str) -> bool:
    """Constant-time check of `Authorization: Bearer <token>`; an empty token never matches."""
    if not expected or not header:
        return False
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(token.strip().encode(), expected.encode())


def _follow_request_id(request: Request) -> None:
    """Log this call under the id the gateway gave the turn (metadata.request_id), so one id
    follows a message from the API through Rasa to the action server and back to the backend."""
    from api.logging_setup import clean_request_id, request_id_var

    try:
        tracker = (request.json or {}).get("tracker") or {}
    except Exception:  # not JSON: leave the default id
        return
    metadata = (tracker.get("latest_message") or {}).get("metadata") or {}
    sender = tracker.get("sender_id")
    fallback = f"rasa:{sender}" if sender else None
    request_id_var.set(clean_request_id(metadata.get("request_id") or fallback))


@hookimpl
def attach_sanic_app_extensions(app: Sanic[Any, Any]) -> None:
    """Protect every route but /health and serve bot texts at POST /nlg."""
    from api.logging_setup import configure_logging
    from api.settings import get_settings

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    expected = settings.action_server_token

    @app.on_request
    async def require_token(request: Request) -> Any:
        if request.path in OPEN_PATHS:
            return None
        if not token_matches(request.headers.get("authorization"), expected):
            logger.warning(
                "action server: refused %s %s (no valid token)", request.method, request.path
            )
            return response.json({"error": "unauthorized"}, status=401)
        _follow_request_id(request)
        return None

    @app.before_server_start
    async def load_language_detector(_app: Any) -> None:
        """Load (or train, on a fresh install) the romanised-text language detector before the
        first turn: built on the first Latin-script message it took longer than Rasa waits for
        an action (RASA_ACTION_TIMEOUT_S), and that message got no answer."""
        from api.language.detector import detect_language

        await asyncio.to_thread(detect_language, "hello")

    @app.post("/nlg")
    async def nlg(request: Request) -> Any:
        from actions.nlg import render_nlg_request

        body = request.json or {}
        return response.json(render_nlg_request(body))
