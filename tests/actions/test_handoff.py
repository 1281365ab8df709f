"""Hand-over: a ticket with the transcript; the assistant serves while nobody has taken it, then
stays quiet except for the officer's own replies."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from actions.handoff import ActionHandoff
from actions.routing.router import ActionRoute
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.secrets import STAFF_PASSWORD

EVENTS = [
    {"event": "user", "text": "मेरा पैसा नहीं आया", "timestamp": 1_790_000_000.0},
    {"event": "bot", "text": "अपना 12 अंकों का यूएएन नंबर बताइए।", "timestamp": 1_790_000_001.0},
    {"event": "user", "text": "अधिकारी से बात करनी है", "timestamp": 1_790_000_002.0},
]


def officer(transport: httpx.ASGITransport, action: str, text: str | None = None) -> dict:
    """What an officer does in the staff UI, through the real staff API."""

    async def go() -> dict:
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as c:
            login = {"username": "officer1", "password": STAFF_PASSWORD}
            assert (await c.post("/api/v1/staff/login", json=login)).status_code == 200
            tickets = (await c.get("/api/v1/staff/handoffs")).json()
            # officers never see conversation ids: the test's one open ticket is worker-7's
            ticket = next(t for t in tickets if t["status"] != "closed")
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
    assert said and said[0].startswith("नमस्ते")  # nobody has taken it yet: still served

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


def test_while_waiting_the_worker_can_cancel_or_hear_the_wait(backend, domain) -> None:
    from locales import translate

    tracker = make_tracker(
        "officer please", intent="talk_to_human", slots={"language": "en"}, sender="worker-7"
    )
    _, said = run(ActionHandoff(), tracker, domain)
    assert translate("handoff.meanwhile", "en") in said
    waiting = {"language": "en", "handoff_active": True, "relayed_replies": 0}
    again = make_tracker("officer!", intent="talk_to_human", slots=waiting, sender="worker-7")
    _, said = run(ActionRoute(), again, domain)
    assert said[0].startswith("Your request HND-")
    events, said = run(
        ActionRoute(), make_tracker("cancel", slots=waiting, sender="worker-7"), domain
    )
    assert said[0] == translate("handoff.withdrawn", "en")
    assert slot_values(events)["handoff_active"] is False


def test_out_of_hours_a_whatsapp_worker_can_get_a_call_back(backend, domain, monkeypatch) -> None:
    from sqlalchemy import select

    from api.db.models import CallbackRequest
    from api.db.session import session_scope
    from api.services import senders
    from api.settings import get_settings
    from locales import translate

    monkeypatch.setenv("OFFICE_DAYS", "")  # nobody works today
    get_settings.cache_clear()
    number = "+919800000002"
    with session_scope() as s:  # the gateway recorded the number's pseudonym when it wrote
        senders.remember(s, number)
    sender = senders.sender_for("whatsapp", number)
    meta = {"channel": "whatsapp", "caller_phone": number}
    tracker = make_tracker(
        "officer please",
        intent="talk_to_human",
        slots={"language": "en"},
        sender=sender,
        metadata=meta,
    )
    events, said = run(ActionHandoff(), tracker, domain)
    assert said[-1] == translate("handoff.offer_callback", "en")
    waiting = {
        "language": "en",
        "handoff_active": True,
        "relayed_replies": 0,
        **slot_values(events),
    }
    events, said = run(
        ActionRoute(),
        make_tracker("yes", intent="affirm", slots=waiting, sender=sender, metadata=meta),
        domain,
    )
    assert said[-1].startswith("An officer will phone you back.") and "CBK-" in said[-1]
    with session_scope() as s:  # the number behind the pseudonym is rung
        assert s.execute(select(CallbackRequest.phone)).scalars().all() == [number]


def test_inside_a_form_the_officers_reply_is_passed_on_and_the_form_stops(backend, domain) -> None:
    """A worker who started a service while waiting, and is mid-question when the officer
    answers: the reply reaches them, the form stops without its completion step, and the
    assistant stays quiet from then on."""
    from actions.forms.verify import ValidateVerifyForm

    tracker = make_tracker(
        "officer please", intent="talk_to_human", slots={"language": "en"}, sender="worker-7"
    )
    run(ActionHandoff(), tracker, domain)
    waiting = {"language": "en", "handoff_active": True, "relayed_replies": 0, "flow": "status"}
    waiting["requested_slot"] = "uan"
    in_form = make_tracker("ok", slots=waiting, form="verify_form", sender="worker-7")
    events, _ = run(ValidateVerifyForm(), in_form, domain)
    stopped = [e for e in events if e.get("event") == "active_loop" and e["name"] is None]
    assert not stopped, "nobody has taken it: the form goes on"

    officer(backend, "reply", "I have your file open.")
    in_form = make_tracker("hello?", slots=waiting, form="verify_form", sender="worker-7")
    events, said = run(ValidateVerifyForm(), in_form, domain)
    assert said == ["I have your file open."]
    assert any(e.get("event") == "active_loop" and e["name"] is None for e in events)
    assert any(e.get("event") == "followup" and e["name"] == "action_listen" for e in events)


def test_out_of_hours_the_worker_is_told_when_the_office_opens_not_a_wait(
    backend, domain, monkeypatch
) -> None:
    """Nobody is at work: "about 2 minutes" would be false; the office's hours are the answer."""
    from api.settings import get_settings
    from locales import localise_digits, translate

    monkeypatch.setenv("OFFICE_DAYS", "")  # nobody works today
    monkeypatch.setenv("OFFICE_HOURS", "09:30-17:30")
    get_settings.cache_clear()
    tracker = make_tracker(
        "officer please", intent="talk_to_human", slots={"language": "hi"}, sender="worker-8"
    )
    events, said = run(ActionHandoff(), tracker, domain)
    hours = translate(
        "handoff.office_hours",
        "hi",
        start=localise_digits("09:30", "hi"),
        end=localise_digits("17:30", "hi"),
    )
    assert hours in said
    reference = slot_values(events)["handoff_reference"]
    waiting = {"language": "hi", "handoff_active": True, "relayed_replies": 0}
    again = make_tracker("officer!", intent="talk_to_human", slots=waiting, sender="worker-8")
    _, said = run(ActionRoute(), again, domain)
    assert said == [
        translate(
            "handoff.waiting_closed",
            "hi",
            reference=reference,
            start=localise_digits("09:30", "hi"),
            end=localise_digits("17:30", "hi"),
        ),
        translate("handoff.meanwhile", "hi"),  # still served, and how to stop waiting
    ]


def _waiting(domain: dict, sender: str) -> dict:
    """A hand-over opened for `sender` (nobody has taken it): the slots while it waits."""
    tracker = make_tracker(
        "officer please", intent="talk_to_human", slots={"language": "en"}, sender=sender
    )
    events, _ = run(ActionHandoff(), tracker, domain)
    return {"language": "en", "relayed_replies": 0, **slot_values(events)}


@pytest.mark.parametrize("nine", ["9", "৯", "९", " 9. "])
def test_a_bare_nine_stops_waiting_in_any_script(backend, domain, nine: str) -> None:
    from locales import translate

    waiting = _waiting(domain, "worker-7")
    events, said = run(
        ActionRoute(), make_tracker(nine, intent="inform", slots=waiting, sender="worker-7"), domain
    )
    assert said[0] == translate("handoff.withdrawn", "en")
    assert slot_values(events)["handoff_active"] is False


def test_at_the_text_menu_nine_is_its_officer_entry_not_a_cancel(backend, domain) -> None:
    """The menu on screen says "9. Talk to an officer": a 9 there is that, so the worker hears
    the wait (and how to stop waiting) and keeps the ticket."""
    from locales import translate

    waiting = {**_waiting(domain, "worker-7"), "awaiting_menu": True}
    events, said = run(
        ActionRoute(), make_tracker("9", intent="inform", slots=waiting, sender="worker-7"), domain
    )
    assert said[0].startswith("Your request HND-") and "handoff_active" not in slot_values(events)
    assert said[-1] == translate("handoff.meanwhile", "en")


def test_while_waiting_a_status_check_and_a_scheme_question_are_still_served(
    backend, domain
) -> None:
    waiting = _waiting(domain, "worker-7")
    status = make_tracker("my status", intent="check_status", slots=waiting, sender="worker-7")
    events, _ = run(ActionRoute(), status, domain)
    assert followup(events) == "verify_form" and slot_values(events)["flow"] == "status"
    assert "handoff_active" not in slot_values(events)  # still waiting for the officer

    question = "how much is the monthly contribution for PM-SYM"
    asked = make_tracker(question, intent="ask_scheme_info", slots=waiting, sender="worker-7")
    events, said = run(ActionRoute(), asked, domain)
    assert said and "handoff_active" not in slot_values(events)
    assert "55" in " ".join(said)  # the knowledge base's answer (contributions from Rs 55)


@pytest.mark.parametrize("locale", ["en", "bn", "hi", "bn-Latn", "hi-Latn"])
def test_the_stop_waiting_words_the_worker_is_told_are_the_ones_that_work(locale: str) -> None:
    """handoff.meanwhile names words in quotes and the key 9: each of them stops waiting."""
    from api.language.waiting import wants_to_stop_waiting
    from locales import translate

    said = translate("handoff.meanwhile", locale)
    words = re.findall(r'"([^"]+)"', said)
    assert len(words) >= 2, said
    assert all(wants_to_stop_waiting(w) for w in words), words
    nine = re.findall(r"[9৯९]", said)
    assert nine and wants_to_stop_waiting(nine[0])
