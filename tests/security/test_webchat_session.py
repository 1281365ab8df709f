"""The web chat's cookie is a session secret, not the conversation: nobody who sees a cookie or a
ticket can take a verified conversation over; it changes on verification and dies when idle."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from api.db.models import utcnow
from api.db.session import session_scope
from api.services import verification
from api.services.context import Ctx
from api.settings import get_settings
from tests.api.conftest import SERVICE_HEADERS as H
from tests.factory import RINA
from tests.secrets import STAFF_PASSWORD
from tests.security.test_defaults import PRODUCTION
from tests.stand_ins import RasaStandIn

COOKIE = "shramik_chat"


@pytest.fixture
def rasa(db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[RasaStandIn]:
    stand_in = RasaStandIn()
    monkeypatch.setenv("RASA_URL", stand_in.start())
    get_settings.cache_clear()
    yield stand_in
    stand_in.stop()
    get_settings.cache_clear()


@pytest.fixture
def chat(rasa: RasaStandIn) -> Iterator[TestClient]:
    from asgi import create_app

    with TestClient(create_app(configure_logs=False)) as client:
        yield client


def _say(client: TestClient, text: str) -> Any:
    return client.post("/chat/message", json={"text": text, "language": "en"})


def _verify_as_the_assistant(payload: dict[str, Any]) -> list[dict[str, str]]:
    """What the action server does on a date of birth: verify, acting for this conversation."""
    with session_scope() as s:
        verification.verify(
            s,
            Ctx(actor=f"rasa:{payload['sender']}"),
            uan=RINA.uan,
            date_of_birth=RINA.dob,
            channel="web",
        )
    return [{"text": "Thank you, you are verified."}]


def test_the_cookie_is_not_the_conversation_and_staff_never_see_it(chat, rasa) -> None:
    chat.get("/chat")
    cookie = chat.cookies[COOKIE]
    _say(chat, "hello")
    sender = rasa.received[-1]["sender"]
    conversation = sender.removeprefix("web:")
    assert cookie not in sender and conversation not in cookie
    created = chat.post(
        "/api/v1/handoffs",
        json={
            "conversation_id": f"rasa:{sender}",
            "channel": "web",
            "language": "en",
            "reason": "asked",
            "transcript": [{"sender": "user", "text": "officer please"}],
        },
        headers=H,
    )
    staff = TestClient(chat.app)
    staff.post("/api/v1/staff/login", json={"username": "officer1", "password": STAFF_PASSWORD})
    seen = (
        staff.get("/api/v1/staff/handoffs").text
        + staff.get(f"/api/v1/staff/handoffs/{created.json()['ticket_id']}").text
    )
    assert conversation not in seen and cookie not in seen and "conversation_id" not in seen
    # what an officer could see of the conversation does not open it
    thief = TestClient(chat.app)
    thief.cookies.set(COOKIE, conversation)
    assert thief.get("/chat/replies").json() == {"active": False, "replies": []}
    assert chat.get("/chat/replies").json()["active"] is True


def test_verification_replaces_the_cookie(chat, rasa) -> None:
    chat.get("/chat")
    before = chat.cookies[COOKIE]
    rasa.reply = _verify_as_the_assistant
    answer = _say(chat, "14 March 1988")
    after = answer.cookies.get(COOKIE)
    assert after and after != before, "a new secret after verification"
    rasa.reply = lambda p: [{"text": "ok"}]
    _say(chat, "status")
    first_sender = rasa.received[-1]["sender"]
    old = TestClient(chat.app)
    old.cookies.set(COOKIE, before)
    old.post("/chat/message", json={"text": "status", "language": "en"})
    assert rasa.received[-1]["sender"] != first_sender, "the old cookie reaches nothing"


def test_an_idle_session_ends(chat, rasa) -> None:
    chat.get("/chat")
    _say(chat, "hello")
    sender = rasa.received[-1]["sender"]
    from api.db.models import WebchatSession

    idle = timedelta(minutes=get_settings().webchat_idle_minutes + 1)
    with session_scope() as s:
        s.execute(update(WebchatSession).values(last_seen_at=utcnow() - idle))
    _say(chat, "hello again")
    assert rasa.received[-1]["sender"] != sender


def test_outside_demo_mode_the_cookie_is_secure(db, monkeypatch) -> None:
    from asgi import create_app

    monkeypatch.setenv("DEMO_MODE", "false")
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        with TestClient(create_app(configure_logs=False), base_url="https://testserver") as c:
            header = c.get("/chat").headers["set-cookie"].lower()
    finally:
        get_settings.cache_clear()
    assert "secure" in header and "httponly" in header and "samesite=strict" in header
