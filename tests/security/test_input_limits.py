"""Input that should not get through: bodies over the cap however they are sent, and a web chat
client sending faster than WEBCHAT_RATE_LIMIT."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.settings import get_settings
from api.web.middleware import MAX_BODY_BYTES, RequestContextMiddleware
from locales import translate
from tests.api.conftest import SERVICE_HEADERS as H
from tests.security.test_webchat_session import rasa  # noqa: F401  (fixture)


def _chunks(total: int, size: int = 8192) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b" " * piece


def test_a_chunked_body_over_the_cap_is_refused(client) -> None:
    huge = client.post(
        "/api/v1/feedback",
        content=_chunks(MAX_BODY_BYTES * 4),
        headers={**H, "Content-Type": "application/json"},
    )
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "invalid_input"


def test_a_small_chunked_body_still_works(client) -> None:
    body = json.dumps(
        {"category": "other", "text": "ok", "channel": "web", "language": "en"}
    ).encode()
    answer = client.post(
        "/api/v1/feedback",
        content=iter([body[:10], body[10:]]),
        headers={**H, "Content-Type": "application/json"},
    )
    assert answer.status_code == 201, answer.text


def test_the_cap_holds_at_the_asgi_level_for_endless_chunks() -> None:
    """No Content-Length, chunks forever: the app never runs, the answer is 413."""
    reached: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(True)

    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"x" * 4096, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/chat/message", "headers": []}
    asyncio.run(RequestContextMiddleware(app)(scope, receive, send))
    assert reached == [] and sent[0]["status"] == 413


@pytest.fixture
def chat(rasa, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:  # noqa: F811
    from asgi import create_app

    monkeypatch.setenv("WEBCHAT_RATE_LIMIT", "3/minute")
    monkeypatch.setenv("WEBCHAT_ADDRESS_RATE_LIMIT", "5/minute")
    get_settings.cache_clear()
    with TestClient(create_app(configure_logs=False)) as client:
        yield client
    get_settings.cache_clear()


def test_a_web_chat_client_too_fast_is_asked_to_wait_in_its_language(chat, rasa) -> None:  # noqa: F811
    answers = [
        chat.post("/chat/message", json={"text": "হ্যালো", "language": "bn"}) for _ in range(4)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[3].json()["messages"][0]["text"] == translate("web.too_many", "bn")
    assert int(answers[3].headers["retry-after"]) > 0
    assert len(rasa.received) == 3, "the refused message never reaches the assistant"


def test_conversations_behind_one_address_have_their_own_budget_under_its_cap(chat, rasa) -> None:  # noqa: F811
    """Workers behind one carrier address do not use up each other's messages; the address as
    a whole is still capped (WEBCHAT_ADDRESS_RATE_LIMIT), cookie or not."""
    first = [chat.post("/chat/message", json={"text": "hi", "language": "en"}) for _ in range(2)]
    chat.cookies.clear()  # another phone, same address
    second = [chat.post("/chat/message", json={"text": "hi", "language": "en"}) for _ in range(3)]
    chat.cookies.clear()
    capped = chat.post("/chat/message", json={"text": "hi", "language": "en"})
    assert [a.status_code for a in first + second] == [200] * 5
    assert capped.status_code == 429


@pytest.mark.redis
def test_with_redis_every_api_process_shares_the_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two limiters (two API processes) on REDIS_URL count one client together."""
    import secrets

    from api.ratelimit import RateLimiter
    from tests.services import require_service

    require_service("redis")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/7")
    get_settings.cache_clear()
    try:
        first, second = RateLimiter.from_settings(), RateLimiter.from_settings()
    finally:
        get_settings.cache_clear()
    client = secrets.token_hex(8)
    assert first.check("2/minute", "webchat", client).allowed
    assert second.check("2/minute", "webchat", client).allowed
    refused = first.check("2/minute", "webchat", client)
    assert not refused.allowed and refused.notify and refused.retry_after_s > 0


def test_a_flood_of_page_loads_makes_no_more_sessions_than_allowed(chat) -> None:
    from sqlalchemy import func, select

    from api.db.models import WebchatSession
    from api.db.session import session_scope

    for _ in range(8):
        chat.cookies.clear()
        assert chat.get("/chat").status_code == 200
    with session_scope() as s:
        assert s.execute(select(func.count()).select_from(WebchatSession)).scalar_one() == 5


def test_every_route_that_takes_a_body_refuses_a_chunked_one_over_the_cap(client) -> None:
    """Webhooks (Twilio form posts), web chat, staff and worker API alike: no route is exempt."""
    paths = client.app.openapi()["paths"]
    routes = [
        (method.upper(), re.sub(r"\{[^}]*\}", "1", path))
        for path, methods in paths.items()
        for method in methods
        if method in ("post", "put", "patch", "delete")
    ]
    assert len(routes) > 20 and any(p.startswith("/voice") for _, p in routes), routes
    for method, path in routes:
        answer = client.request(
            method,
            path,
            content=_chunks(MAX_BODY_BYTES + 1, size=MAX_BODY_BYTES + 1),
            headers={**H, "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert answer.status_code == 413, (method, path, answer.status_code)
