"""How a worker is told, chosen in the conversation: the keypad key or the intent verifies first,
then the settings are said with numbered choices; a number changes them in the backend (decision
calls, all reminders, one kind), which is said back and offered again."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.backend_client import BackendClient
from actions.notify_settings import ActionNotifySettings, NotifyClient
from actions.routing.after_verify import ActionAfterVerify
from actions.routing.router import ActionRoute
from actions.submit.pension import ActionSubmitPensionRestart
from api.db.models import ReminderPreference, Worker
from api.db.session import session_scope
from locales import translate
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.factory import ANWAR, RINA

Msg = dict[str, Any]
Domain = dict[str, Any]


def _said(action: Any, tracker: Any, domain: Domain) -> tuple[list[Msg], list[Msg]]:
    """Events and the whole messages (text and buttons)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return events, dispatcher.messages


def _verified(lang: str = "bn") -> Msg:
    token = asyncio.run(BackendClient("notify-test").verify(RINA.uan, RINA.dob, "voice")).token
    return {"verification_token": token, "verification_level": "basic", "language": lang}


def _rina() -> Worker:
    with session_scope() as s:
        worker = s.execute(select(Worker).where(Worker.uan == RINA.uan)).scalar_one()
        s.expunge(worker)
        return worker


def _kind_enabled(kind: str) -> bool | None:
    with session_scope() as s:
        row = s.get(ReminderPreference, (_rina().id, kind))
        return None if row is None else row.enabled


def test_the_keypad_key_asks_who_is_calling_first(domain) -> None:
    tracker = make_tracker("how do you tell me", intent="greet", metadata={"menu_choice": "notify"})
    events, said = run(ActionRoute(), tracker, domain)
    assert followup(events) == "verify_form" and slot_values(events)["flow"] == "notify"
    assert said == [translate("verify.intro", "en")]


def test_the_intent_of_a_verified_worker_goes_to_the_settings(backend, domain) -> None:
    slots = _verified("en")
    tracker = make_tracker("notification settings", intent="notification_settings", slots=slots)
    events, _ = run(ActionRoute(), tracker, domain)
    assert followup(events) == "action_after_verify"
    events, _ = run(
        ActionAfterVerify(), make_tracker("", slots={**slots, "flow": "notify"}), domain
    )
    assert followup(events) == "action_notify_settings"


def test_settings_said_then_a_number_turns_decision_calls_on(backend, domain) -> None:
    slots = {**_verified(), "flow": "notify"}
    events, (message,) = _said(ActionNotifySettings(), make_tracker("", slots=slots), domain)
    assert translate("notify.calls_off", "bn") in message["text"]
    assert translate("notify.reminders_on", "bn") in message["text"]
    titles = [b["title"] for b in message["buttons"]]
    assert titles[0] == translate("notify.option_calls_on", "bn") and len(titles) == 4
    assert [b["payload"] for b in message["buttons"]] == ["1", "2", "3", "4"]
    offered = slot_values(events)["expecting"]
    assert offered == "notify:calls,reminders,kinds,done"
    asked = {**slots, "flow": None, "expecting": offered}
    # a key is never misheard: "1" is the first choice whatever the NLU made of it
    tracker = make_tracker("১", intent="check_status", slots=asked)
    events, (message,) = _said(ActionRoute(), tracker, domain)
    assert _rina().notify_by_call
    assert message["text"].startswith(translate("notify.saved", "bn"))
    assert translate("notify.calls_on", "bn") in message["text"]
    assert message["buttons"][0]["title"] == translate("notify.option_calls_off", "bn")
    assert slot_values(events)["expecting"] == offered


def test_one_kind_off_then_all_off_then_leave_it(backend, domain) -> None:
    slots = {**_verified("en"), "expecting": "notify:calls,reminders,kinds,done"}
    events, (message,) = _said(ActionRoute(), make_tracker("3", slots=slots), domain)
    assert message["text"] == translate("notify.kinds_ask", "en")
    kinds = slot_values(events)["expecting"]
    assert kinds == "notify_kind:renewal,documents,life_certificate,contribution"
    events, (message,) = _said(
        ActionRoute(), make_tracker("2", slots={**slots, "expecting": kinds}), domain
    )
    assert _kind_enabled("documents") is False and _kind_enabled("renewal") is None
    names = ", ".join(
        translate(f"notify.kind.{k}", "en") for k in ("renewal", "life_certificate", "contribution")
    )
    assert translate("notify.reminders_some", "en", kinds=names) in message["text"].split("\n")
    events, (message,) = _said(ActionRoute(), make_tracker("2", slots=slots), domain)
    assert _kind_enabled("all") is False
    assert translate("notify.reminders_off", "en") in message["text"]
    offered = slot_values(events)["expecting"]
    assert offered == "notify:calls,reminders,done"  # no kinds while all are off
    events, said = run(
        ActionRoute(), make_tracker("3", slots={**slots, "expecting": offered}), domain
    )
    assert said == [translate("common.anything_else", "en")]
    assert slot_values(events)["expecting"] is None and slot_values(events)["awaiting_menu"]


def test_a_number_out_of_range_is_not_taken_as_a_setting(backend, domain) -> None:
    slots = {**_verified("en"), "expecting": "notify:calls,reminders,kinds,done"}
    run(ActionRoute(), make_tracker("7", slots=slots), domain)
    assert not _rina().notify_by_call and _kind_enabled("all") is None


def _anwar_restart_slots(token: str) -> Msg:
    return {"flow": "pension", "verification_token": token, "pension_restart_confirmed": True}


def _anwar_calls() -> bool:
    with session_scope() as s:
        calls = s.execute(select(Worker.notify_by_call).where(Worker.uan == ANWAR.uan))
        return bool(calls.scalar_one())


def test_a_restart_filed_by_phone_offers_a_decision_call_once(backend, domain) -> None:
    token = asyncio.run(BackendClient("voice:CA1").verify(ANWAR.uan, ANWAR.dob, "voice")).token
    on_phone = {"channel": "voice"}
    tracker = make_tracker("1", slots=_anwar_restart_slots(token), metadata=on_phone)
    events, said = run(ActionSubmitPensionRestart(), tracker, domain)
    assert "PRR-" in said[0] and said[-1] == translate("notify.offer_call", "en")
    assert translate("common.anything_else", "en") not in said
    assert slot_values(events)["expecting"] == "notify_offer"
    # key 1 of a yes/no question sends the yes word
    yes = translate("common.yes", "en")
    asked = {"verification_token": token, "expecting": "notify_offer"}
    events, said = run(
        ActionRoute(), make_tracker(yes, intent="affirm", slots=asked, metadata=on_phone), domain
    )
    assert _anwar_calls()
    assert said == [translate("notify.call_set", "en"), translate("common.anything_else", "en")]
    assert slot_values(events)["expecting"] is None
    # chosen now: the next filing by phone goes straight on to "anything else?"
    token = asyncio.run(BackendClient("voice:CA2").verify(ANWAR.uan, ANWAR.dob, "voice")).token
    tracker = make_tracker("1", slots=_anwar_restart_slots(token), metadata=on_phone)
    _, said = run(ActionSubmitPensionRestart(), tracker, domain)
    assert translate("notify.offer_call", "en") not in said


def test_no_to_the_offer_is_kept_and_a_chat_filing_is_never_offered(backend, domain) -> None:
    token = asyncio.run(BackendClient("web:x").verify(ANWAR.uan, ANWAR.dob, "web")).token
    tracker = make_tracker("yes", slots=_anwar_restart_slots(token), metadata={"channel": "web"})
    _, said = run(ActionSubmitPensionRestart(), tracker, domain)
    assert said[-1] == translate("common.anything_else", "en")
    asked = {"verification_token": token, "expecting": "notify_offer"}
    no = translate("common.no", "en")
    _, said = run(ActionRoute(), make_tracker(no, intent="deny", slots=asked), domain)
    assert said[0] == translate("notify.call_not_set", "en") and not _anwar_calls()
    settings = asyncio.run(NotifyClient("web:x").notify_settings(token))
    assert settings["chosen"] is True


def test_after_the_menu_a_number_is_a_menu_choice_again(backend, domain) -> None:
    slots = {**_verified("en"), "expecting": "notify:calls,reminders,kinds,done"}
    menu_shown = {**slots, "awaiting_menu": True}  # e.g. a greeting in between said the menu
    events, _ = run(ActionRoute(), make_tracker("1", slots=menu_shown), domain)
    assert not _rina().notify_by_call and slot_values(events)["flow"] == "status"
