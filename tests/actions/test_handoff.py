"""Hand-over: a ticket with the transcript, then silence except the officer's own replies."""

from __future__ import annotations

import asyncio

import httpx

from actions.flows import ActionRoute
from actions.handoff import ActionHandoff
from tests.actions.conftest import make_tracker, run, slot_values

EVENTS = [
    {"event": "user", "text": "मेरा पैसा नहीं आया", "timestamp": 1_790_000_000.0},
    {"event": "bot", "text": "अपना 12 अंकों का यूएएन नंबर बताइए।", "timestamp": 1_790_000_001.0},
    {"event": "user", "text": "अधिकारी से बात करनी है", "timestamp": 1_790_000_002.0},
]


def officer(transport: httpx.ASGITransport, action: str, text: str | None = None) -> dict:
    """What an officer does in the staff UI, through the real staff API."""

    async def go() -> dict:
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as c:
            login = {"username": "officer1", "password": "demo-officer-pass"}
            assert (await c.post("/api/v1/staff/login", json=login)).status_code == 200
            tickets = (await c.get("/api/v1/staff/handoffs")).json()
            ticket = next(t for t in tickets if t["conversation_id"] == "rasa:worker-7")
            if action == "reply":
                r = await c.post(
                    f"/api/v1/staff/handoffs/{ticket['id']}/reply", json={"text": text}
                )
            else:
                r = await c.post(f"/api/v1/staff/handoffs/{ticket['id']}/close")
            assert r.status_code == 200, r.text
            return ticket

    return asyncio.run(go())


def test_handoff_relays_officer_replies_and_ends_when_closed(backend, domain) -> None:
    tracker = make_tracker(
        "अधिकारी से बात करनी है",
        intent="talk_to_human",
        slots={"language": "hi", "handoff_reason": "asked"},
        sender="worker-7",
        events=EVENTS,
    )
    events, said = run(ActionHandoff(), tracker, domain)
    values = slot_values(events)
    assert values["handoff_active"] is True
    assert values["handoff_reference"] in said[0]

    quiet = {"language": "hi", "handoff_active": True, "relayed_replies": 0}
    events, said = run(
        ActionRoute(), make_tracker("हेलो?", intent="greet", slots=quiet, sender="worker-7"), domain
    )
    assert said == []  # no greeting, no menu: the officer has the conversation

    officer(backend, "reply", "नमस्ते, मैं अधिकारी सीमा हूँ।")
    events, said = run(ActionRoute(), make_tracker("जी", slots=quiet, sender="worker-7"), domain)
    assert said == ["नमस्ते, मैं अधिकारी सीमा हूँ।"]
    assert slot_values(events)["relayed_replies"] == 1

    officer(backend, "close")
    relayed = {**quiet, "relayed_replies": 1}
    events, said = run(
        ActionRoute(), make_tracker("धन्यवाद", slots=relayed, sender="worker-7"), domain
    )
    assert slot_values(events)["handoff_active"] is False
    assert "बंद" in said[0]


def test_handoff_with_backend_down_says_so_and_stays_a_bot(backend_down, domain) -> None:
    tracker = make_tracker("officer please", intent="talk_to_human", sender="worker-8")
    events, said = run(ActionHandoff(), tracker, domain)
    assert "handoff_active" not in slot_values(events)
    assert "cannot reach an officer" in said[0]


def test_the_web_chat_page_shows_replies_itself(backend, domain) -> None:
    """The page polls for replies and says so: the assistant must not show them a second time."""
    tracker = make_tracker(
        "officer please", intent="talk_to_human", slots={"language": "en"}, sender="worker-7"
    )
    run(ActionHandoff(), tracker, domain)
    officer(backend, "reply", "I am looking into it.")
    quiet = {"language": "en", "handoff_active": True, "relayed_replies": 0}
    live = {"channel": "web", "live_replies": True}
    events, said = run(
        ActionRoute(), make_tracker("ok", slots=quiet, sender="worker-7", metadata=live), domain
    )
    assert said == []
    assert slot_values(events)["relayed_replies"] == 1
