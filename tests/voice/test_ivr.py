"""The call flow through the real gateway, backend and database, with a loopback Rasa stand-in."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sqlalchemy import select

from actions import expect
from api.db.models import HandoffTicket
from api.db.session import session_scope
from api.services import calls
from locales import LANGUAGES, spell_digits, translate
from tests.factory import RINA
from tests.voice.conftest import KNOWN_BN, UNKNOWN, ask_uan, outbound_rows, post_signed, simulator

ASK_UAN = "Please tell me your 12-digit UAN number. It is on your e-Shram card."


def gather_of(twiml: str) -> ET.Element:
    node = ET.fromstring(twiml).find("Gather")  # noqa: S314
    assert node is not None, twiml
    return node


def last_twiml(client, sim) -> str:
    """The TwiML of the current <Gather> (replayed: same turn = same answer)."""
    path = sim.gather.action.split("/twilio", 1)[1]
    return post_signed(client, path, {**sim._base_params()}).text


def test_unknown_caller_hears_the_language_menu_in_each_language(app_client) -> None:
    sim = simulator(app_client, UNKNOWN)
    heard = sim.start()
    assert translate("voice.language_option", "bn") in heard
    assert translate("voice.language_option", "hi") in heard
    assert translate("voice.language_option", "en") in heard
    attrs = sim.gather.attributes
    assert attrs["input"] == "speech dtmf" and attrs["numDigits"] == "1"
    assert "বাংলা" in attrs["hints"] and "hindi" in attrs["hints"]
    assert sim.waiting_for("language")
    assert not any(translate("voice.keys_hint_short", x) in heard for x in LANGUAGES)
    heard = sim.say("Hindi please")
    # the open question alone; the menu and star/9 (in Hindi, once) after its short silence
    assert heard == [translate("voice.language_set", "hi"), translate("voice.say_or_press", "hi")]
    assert sim.gather.attributes["language"] == "hi-IN"
    assert sim.gather.attributes["timeout"] == "3"
    assert sim.waiting_for("menu")
    heard = sim.silence()
    assert heard == [
        translate("voice.menu_options", "hi"),
        translate("voice.keys_hint_short", "hi"),
    ]
    assert not any(translate("voice.no_input_1", x) in heard for x in LANGUAGES)  # not a miss
    assert sim.gather.attributes["timeout"] == "6"


def test_known_caller_is_greeted_in_own_language_and_can_change_it(app_client) -> None:
    sim = simulator(app_client, KNOWN_BN)
    heard = sim.start()
    assert heard[0] == translate("voice.welcome_back", "bn")  # known: the short welcome
    assert translate("voice.change_language_hint", "bn") in heard
    # the open question ends the greeting: a caller who knows what to say says it, the menu
    # comes only after a silence (docs/contracts.md, "Phone keypad")
    assert heard[-1] == translate("voice.say_or_press", "bn")
    assert translate("voice.menu_options", "bn") not in heard
    attrs = sim.gather.attributes
    assert attrs["bargeIn"] == "true"
    assert attrs["language"] == "bn-IN"
    assert attrs["hints"] == translate("voice.hints_menu", "bn")
    sim.press("8")
    assert sim.waiting_for("language")
    heard = sim.press("3")
    assert heard[0] == translate("voice.language_set", "en")
    assert sim.gather.attributes["language"] == "en-IN"


def test_menu_key_reaches_assistant_with_language_and_number_entry_is_read_back(
    app_client, rasa
) -> None:
    # the assistant's question and its machine-readable part, as Rasa's REST channel sends them
    rasa.reply = ask_uan
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    heard = sim.press("1")
    sent = rasa.received[-1]
    assert sent["message"] == translate("voice.intent.status", "bn")
    assert sent["metadata"] == {**sent["metadata"], "language": "bn", "channel": "voice"}
    assert sent["sender"] == f"voice:{sim.call_sid}"
    assert heard[-1] == translate("voice.keypad_uan", "bn")
    attrs = sim.gather.attributes
    assert attrs["finishOnKey"] == "#" and "numDigits" not in attrs and attrs["timeout"] == "10"
    heard = sim.press("1000000000")  # ten digits: not a UAN
    assert heard[0] == translate("voice.wrong_length", "bn", count=10, expected=12)
    heard = sim.press(RINA.uan)
    spelt = spell_digits(RINA.uan, "bn", group=4)  # after a miss: read back once, in fours
    assert heard[0] == translate("voice.readback", "bn", digits=spelt)
    assert sim.waiting_for("confirm")
    sim.press("2")  # type it again
    assert sim.waiting_for("number")
    rasa.reply = lambda p: [
        {"text": translate("verify.ask_dob", "bn", uan=RINA.uan)},
        {"custom": expect.number("dob")},
    ]
    sim.press(RINA.uan)
    sim.press("1")
    assert rasa.received[-1]["message"] == RINA.uan
    sim.press("14031988")  # right at the first try: keys are not misheard, no read-back
    assert rasa.received[-1]["message"] == "14-03-1988"


def test_buttons_become_keypad_choices(app_client, rasa) -> None:
    rasa.reply = lambda p: [
        {
            "text": "Shall I send it?",
            "buttons": [{"title": "Yes", "payload": "yes"}, {"title": "No", "payload": "no"}],
        }
    ]
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")
    heard = sim.say("renew my card")
    assert heard[-2:] == [
        translate("voice.choice_item", "en", label="Yes", digit="1"),
        translate("voice.choice_item", "en", label="No", digit="2"),
    ]
    assert sim.gather.attributes["numDigits"] == "1"
    sim.press("2")
    assert rasa.received[-1]["message"] == "no"


def test_nine_repeats_star_slows_down(app_client) -> None:
    sim = simulator(app_client, KNOWN_BN)
    first = sim.start()
    assert sim.press("9") == first[2:]  # the open question again, without the greeting
    menu = sim.silence()
    again = sim.press("9")
    assert again == menu  # the menu again, with star/9
    normal_audio = [e.url for e in sim.events if e.kind == "play"][-1]
    heard = sim.press("*")
    assert heard[0] == translate("voice.slower_on", "bn")
    slow_audio = [e.url for e in sim.events if e.kind == "play"][-1]
    assert heard[-1] == again[-1] and slow_audio != normal_audio  # same words, slower audio
    assert calls.snapshot(sim.call_sid)["slow"] is True


def test_zero_dials_the_officer_after_opening_a_ticket(app_client) -> None:
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")
    told = sim.press("0")
    assert told[-1] == translate("casework.wait_estimate", "en", minutes="2")
    assert sim.waiting_for("officer_wait") and sim.dialled == []
    heard = sim.silence()  # waiting on: the officer is dialled
    assert sim.dialled == ["+913312345678"]
    with session_scope() as s:
        ticket = s.execute(select(HandoffTicket)).scalar_one()
        assert ticket.conversation_id == f"rasa:voice:{sim.call_sid}"
        assert ticket.channel == "voice"
        reference = ticket.reference
    assert heard[-1] == translate("voice.officer_connecting", "en", reference=reference)


def test_outside_office_hours_offers_a_callback_and_texts_the_reference(
    app_client, monkeypatch
) -> None:
    from api.settings import get_settings

    monkeypatch.setenv("OFFICE_DAYS", "")  # nobody works today
    get_settings.cache_clear()
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")
    heard = sim.press("0")
    assert sim.dialled == []
    assert heard[-1] == translate("voice.callback_offer", "en")
    assert sim.waiting_for("callback")
    sim.press("1")
    assert sim.ended and sim.events[-1].kind == "hangup"
    bodies = [r["body"] for r in outbound_rows()]
    handover, callback = calls.snapshot(sim.call_sid)["references"]
    assert handover.startswith("HND-") and callback.startswith("CBK-")
    assert translate("voice.sms_callback", "en", reference=callback) in bodies


def test_an_officers_written_reply_reaches_a_waiting_caller_and_9_then_cannot_cancel(
    app_client, monkeypatch
) -> None:
    """Out of hours the caller is offered a call-back; an officer answers the ticket in writing
    (it reaches the caller by SMS, wherever the call is), so 9 no longer cancels it: the caller
    is told so and hears the menu."""
    from api.db.models import StaffUser
    from api.services import handoff
    from api.services.context import Ctx
    from api.settings import get_settings

    monkeypatch.setenv("OFFICE_DAYS", "")  # nobody works today
    get_settings.cache_clear()
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")
    sim.press("0")
    assert sim.waiting_for("callback")
    with session_scope() as s:
        ticket = s.execute(select(HandoffTicket)).scalar_one()
        staff = s.execute(select(StaffUser).where(StaffUser.username == "officer1")).scalar_one()
        handoff.reply(s, Ctx(), ticket.id, staff, "I will call you at ten tomorrow.")
        reference = ticket.reference
    sms = [r for r in outbound_rows() if r["body"] == "I will call you at ten tomorrow."]
    assert [r["to_address"] for r in sms] == [UNKNOWN]

    heard = sim.press("9")
    assert heard == [
        translate("voice.handoff_not_cancelled", "en", reference=reference),
        translate("voice.menu_options", "en"),
    ]
    assert sim.waiting_for("menu")
    with session_scope() as s:
        assert s.execute(select(HandoffTicket.status)).scalar_one() == "assigned"
    assert reference in calls.snapshot(sim.call_sid)["references"]


def test_wrong_key_and_low_confidence_are_reprompts_not_silence(app_client, rasa) -> None:
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")
    assert sim.press("7")[0] == translate("voice.no_match_1", "en")
    heard = sim.say("mumble", confidence=0.1)
    assert heard[0] == translate("voice.no_match_2", "en")
    assert rasa.received == []  # nothing unclear reached the assistant
    sim.press("1")  # a good answer resets the ladder
    assert calls.snapshot(sim.call_sid)["misses"] == 0
    assert sim.say("status", confidence=0.2)[0] == translate("voice.low_confidence", "en")


def test_assistant_down_or_empty_says_so_and_offers_officer(app_client, rasa) -> None:
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")
    rasa.status = 500
    heard = sim.press("1")
    assert heard == [
        translate("voice.assistant_down", "en"),
        translate("voice.offer_officer", "en"),
    ]
    rasa.status, rasa.reply = 200, lambda p: []
    heard = sim.say("my status")
    assert heard[0] == translate("voice.assistant_down", "en")
    sim.press("0")
    sim.silence()
    assert sim.dialled  # the officer path still works


def test_duplicate_webhook_does_the_work_once(app_client, rasa) -> None:
    rasa.reply = lambda p: [{"text": "Your claim is approved. Reference CLM-2026-000123."}]
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")
    path = sim.gather.action.split("/twilio", 1)[1]
    params = {**sim._base_params(), "Digits": "1"}
    one = post_signed(app_client, path, params)
    two = post_signed(app_client, path, params)
    assert one.status_code == two.status_code == 200
    assert one.text == two.text
    assert len(rasa.received) == 1
    # a repeated "incoming" does not start the call twice either
    call = {k: v for k, v in sim._base_params().items()}
    assert (
        post_signed(app_client, "/voice/incoming", call).text
        == post_signed(app_client, "/voice/incoming", call).text
    )


def fast_timings(monkeypatch) -> None:
    """Shorter waits than production (3 s, then 4 s holds) so the test takes seconds."""
    from api.settings import get_settings

    monkeypatch.setenv("VOICE_TURN_WAIT_S", "1.0")
    monkeypatch.setenv("VOICE_HOLD_WAIT_S", "1.0")
    get_settings.cache_clear()


def test_slow_assistant_gets_one_moment_and_a_redirect_within_the_budget(
    app_client, rasa, monkeypatch
) -> None:
    fast_timings(monkeypatch)
    rasa.delay_s = 1.8
    rasa.reply = lambda p: [{"text": "Here is your status."}]
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")
    path = sim.gather.action.split("/twilio", 1)[1]
    params = {**sim._base_params(), "Digits": "1"}
    first = post_signed(app_client, path, params)
    # Twilio gives up after 15 s: while the assistant still works, the caller hears "one moment"
    # and Twilio comes back for the answer (a <Redirect>, no <Gather> yet)
    root = ET.fromstring(first.text)  # noqa: S314
    assert root.find("Redirect") is not None and root.find("Gather") is None
    assert translate("voice.one_moment", "en") in first.text or root.find("Play") is not None
    # the simulator follows the redirect and hears the answer once it is ready
    sim2_heard = sim.press("1")  # same turn again = a duplicate delivery: no second Rasa call
    assert "Here is your status." in sim2_heard
    assert len(rasa.received) == 1


def test_hopelessly_slow_assistant_gives_up_politely(app_client, rasa, monkeypatch) -> None:
    from api.settings import get_settings

    monkeypatch.setenv("RASA_TIMEOUT_S", "30")
    get_settings.cache_clear()
    fast_timings(monkeypatch)
    rasa.delay_s = 4.5
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")
    heard = sim.press("1")  # the wait, two holds, then the line gives up (VOICE_MAX_HOLDS=2)
    assert heard.count(translate("voice.one_moment", "en")) == 2
    assert heard[-2:] == [
        translate("voice.service_slow", "en"),
        translate("voice.offer_officer", "en"),
    ]
    assert sim.press("0") and sim.silence() and sim.dialled  # a person can still be reached


def test_summary_sms_after_the_call_lists_the_references(app_client, rasa) -> None:
    rasa.reply = lambda p: [{"text": "Your claim is sent. Reference number: CLM-2026-000123."}]
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")
    sim.press("3")
    assert sim.status_callback("completed") == 204
    assert sim.status_callback("completed") == 204  # twice: still one SMS
    rows = outbound_rows()
    assert [r["body"] for r in rows] == [
        translate("voice.sms_summary", "en", references="CLM-2026-000123")
    ]


def test_assistant_handoff_is_followed_by_a_dial(app_client, rasa) -> None:
    """When the assistant opened a ticket (talk_to_human), the phone line connects the officer."""

    def reply(payload):
        from api.services import handoff
        from api.services.context import Ctx

        with session_scope() as s:
            handoff.create(
                s,
                Ctx(),
                conversation_id=f"rasa:{payload['sender']}",
                channel="voice",
                language="en",
                reason="asked",
                transcript=[],
                worker=None,
            )
        return [{"text": "An officer will reply to you here shortly."}]

    rasa.reply = reply
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")
    sim.say("I want to talk to a person")
    sim.press("2")  # any key but 1: wait for the officer
    assert sim.dialled == ["+913312345678"]


def test_the_line_acts_on_the_replys_structure_not_its_words(app_client, rasa) -> None:
    """A question worded like no catalog text still gets the right keypad prompt, and a reply
    marked as the end of the conversation ends the call (no guessing from the words)."""
    rasa.reply = lambda p: [
        {"text": "Tell me the four digits at the end of your bank account."},
        {"custom": expect.number("last4")},
    ]
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")
    heard = sim.press("1")
    assert heard[-1] == translate("voice.keypad_last4", "en")
    assert sim.waiting_for("number")
    rasa.reply = lambda p: [
        {"text": "Pick one:\n1. this\n2. that\n3. other"},
        {"custom": expect.options(3)},
    ]
    heard = sim.press("1234")
    sim.press("1")  # the read-back's "correct"
    assert sim.waiting_for("options") and sim.gather.attributes["numDigits"] == "1"
    rasa.reply = lambda p: [{"text": "Thank you, goodbye."}, {"custom": expect.end()}]
    heard = sim.press("2")
    assert rasa.received[-1]["message"] == "2"
    assert heard == ["Thank you, goodbye."] and sim.ended
