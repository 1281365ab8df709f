"""The web chat page's poll for officer replies: only the visitor's own open hand-over."""

from __future__ import annotations

from tests.api.conftest import SERVICE_HEADERS as H

OFFICER = {"username": "officer1", "password": "demo-officer-pass"}


def _hand_over(client, cookie: str) -> int:  # type: ignore[no-untyped-def]
    body = {
        "conversation_id": f"rasa:web:{cookie}",
        "channel": "web",
        "language": "hi",
        "reason": "asked",
        "transcript": [{"sender": "user", "text": "अधिकारी से बात करनी है"}],
    }
    created = client.post("/api/v1/handoffs", json=body, headers=H)
    assert created.status_code == 201, created.text
    return int(created.json()["ticket_id"])


def test_replies_reach_only_the_visitor_whose_hand_over_it_is(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/chat/replies").json() == {"active": False, "replies": []}
    ticket = _hand_over(client, "visitor-a")
    client.cookies.set("shramik_chat", "visitor-a")
    assert client.get("/chat/replies").json() == {"active": True, "replies": []}

    assert client.post("/api/v1/staff/login", json=OFFICER).status_code == 200
    reply = client.post(f"/api/v1/staff/handoffs/{ticket}/reply", json={"text": "मैं देख रही हूँ"})
    assert reply.status_code == 200
    assert client.get("/chat/replies").json() == {"active": True, "replies": ["मैं देख रही हूँ"]}

    client.cookies.set("shramik_chat", "visitor-b")
    assert client.get("/chat/replies").json() == {"active": False, "replies": []}

    client.cookies.set("shramik_chat", "visitor-a")
    client.post(f"/api/v1/staff/handoffs/{ticket}/close")
    assert client.get("/chat/replies").json() == {"active": False, "replies": []}


def test_chat_page_carries_the_officer_label(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/chat", params={"lang": "bn"})
    assert 'const officer = "\\u0986' in page.text  # আধিকারিক, JSON-escaped
    assert "shramik_chat" in page.headers["set-cookie"]
