"""The web chat page's poll for officer replies: only the visitor's own open hand-over."""

from __future__ import annotations

from tests.api.conftest import SERVICE_HEADERS as H
from tests.secrets import STAFF_PASSWORD

OFFICER = {"username": "officer1", "password": STAFF_PASSWORD}


def _visitor(client) -> tuple[str, str]:
    """A new visitor: its cookie (a session secret) and its conversation (never shown)."""
    from api.db.session import session_scope
    from api.services import webchat_sessions

    client.cookies.clear()
    client.get("/chat")
    cookie = client.cookies["shramik_chat"]
    with session_scope() as s:
        opened = webchat_sessions.find(s, cookie)
    assert opened is not None
    return cookie, f"rasa:{opened.sender}"


def _hand_over(client, conversation: str) -> int:
    body = {
        "conversation_id": conversation,
        "channel": "web",
        "language": "hi",
        "reason": "asked",
        "transcript": [{"sender": "user", "text": "अधिकारी से बात करनी है"}],
    }
    created = client.post("/api/v1/handoffs", json=body, headers=H)
    assert created.status_code == 201, created.text
    return int(created.json()["ticket_id"])


def test_replies_reach_only_the_visitor_whose_hand_over_it_is(client) -> None:
    assert client.get("/chat/replies").json() == {"active": False, "replies": []}
    visitor_b, _ = _visitor(client)
    visitor_a, conversation = _visitor(client)
    ticket = _hand_over(client, conversation)
    assert client.get("/chat/replies").json() == {"active": True, "replies": []}

    assert client.post("/api/v1/staff/login", json=OFFICER).status_code == 200
    reply = client.post(f"/api/v1/staff/handoffs/{ticket}/reply", json={"text": "मैं देख रही हूँ"})
    assert reply.status_code == 200
    assert client.get("/chat/replies").json() == {"active": True, "replies": ["मैं देख रही हूँ"]}

    client.cookies.set("shramik_chat", visitor_b, path="/chat")
    assert client.get("/chat/replies").json() == {"active": False, "replies": []}

    client.cookies.set("shramik_chat", visitor_a, path="/chat")
    client.post(f"/api/v1/staff/handoffs/{ticket}/close")
    assert client.get("/chat/replies").json() == {"active": False, "replies": []}


def test_chat_page_carries_the_officer_label(client) -> None:
    page = client.get("/chat", params={"lang": "bn"})
    assert 'const officer = "\\u0986' in page.text  # আধিকারিক, JSON-escaped
    assert "shramik_chat" in page.headers["set-cookie"]
