"""Verification form: read-back, corrections, the backend's verdict, hand-over after 2 failures."""

from __future__ import annotations

import re
from datetime import date

from actions.forms.failures import NOT_CONFIRMED
from actions.forms.verify import ValidateVerifyForm
from actions.inputs import find_date
from locales import translate
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.factory import RINA, SUNITA

FORM = "verify_form"
DIGIT_WORDS = r"((zero|one|two|three|four|five|six|seven|eight|nine) ?){12}"


def ask(text: str, requested: str, slots: dict | None = None, intent: str = "inform", **kw):
    return make_tracker(
        text, intent=intent, form=FORM, slots={"requested_slot": requested, **(slots or {})}, **kw
    )


def test_uan_in_bengali_digits_is_taken(backend, domain) -> None:
    events, said = run(ValidateVerifyForm(), ask("আমার ইউএএন ১০০০ ০০০০ ০০০১", "uan"), domain)
    assert slot_values(events)["uan"] == RINA.uan
    assert said == []


def test_date_of_birth_verifies_through_the_backend(backend, domain) -> None:
    tracker = ask("১৪ মার্চ ১৯৮৮", "date_of_birth", {"uan": RINA.uan, "language": "bn"})
    events, said = run(ValidateVerifyForm(), tracker, domain)
    values = slot_values(events)
    assert values["date_of_birth"] == RINA.dob
    assert values["verification_token"]
    assert values["worker_name"] == "রিনা"
    assert "রিনা" in said[0]


def test_a_new_uan_while_asking_the_date_is_a_correction(backend, domain) -> None:
    tracker = ask("no, it is 100000000004", "date_of_birth", {"uan": RINA.uan}, intent="correct")
    values = slot_values(run(ValidateVerifyForm(), tracker, domain)[0])
    assert values["uan"] == SUNITA.uan
    assert values.get("date_of_birth") is None


def test_wrong_date_is_read_back_then_second_failure_hands_over(backend, domain) -> None:
    first = ask("1 January 1990", "date_of_birth", {"uan": RINA.uan})
    events, said = run(ValidateVerifyForm(), first, domain)
    values = slot_values(events)
    assert values["date_of_birth"] is None
    assert values["failed_attempts"] == 1
    assert "1 January 1990" in said[0] and "one zero zero" in said[0]
    assert followup(events) is None

    second = ask(
        "2 January 1990",
        "date_of_birth",
        {"uan": RINA.uan, "failed_step": "date_of_birth", "failed_attempts": 1},
    )
    events, said = run(ValidateVerifyForm(), second, domain)
    assert followup(events) == "action_handoff"
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)
    assert slot_values(events)["handoff_reason"] == "repeated_failure"
    assert said == [translate(NOT_CONFIRMED, "en")]  # not "say it again" while putting through


def test_gibberish_counts_as_a_failed_attempt_but_help_does_not(backend, domain) -> None:
    events, said = run(ValidateVerifyForm(), ask("asdf qwer", "uan", intent="nlu_fallback"), domain)
    assert slot_values(events)["failed_attempts"] == 1
    assert "12-digit" in said[0]
    events, said = run(
        ValidateVerifyForm(), ask("I need a person", "uan", intent="talk_to_human"), domain
    )
    assert events == [] and said == []  # the form rejects; the rules route it


def test_backend_down_keeps_the_uan_and_offers_a_person(backend_down, domain) -> None:
    tracker = ask(RINA.dob_typed, "date_of_birth", {"uan": RINA.uan, "language": "hi"})
    events, said = run(ValidateVerifyForm(), tracker, domain)
    values = slot_values(events)
    assert values["date_of_birth"] is None
    assert "uan" not in values  # kept
    assert "अधिकारी" in said[0]


def test_office_system_down_twice_hands_over_instead_of_asking_for_ever(backend_down, domain):
    slots = {"uan": RINA.uan, "failed_step": "date_of_birth", "failed_attempts": 1}
    events, said = run(ValidateVerifyForm(), ask(RINA.dob_typed, "date_of_birth", slots), domain)
    assert followup(events) == "action_handoff"
    assert said == [translate("handoff.system_still_down", "en")]


def test_a_spoken_date_the_crf_cut_short_is_read_whole() -> None:
    text = "twentieth november nineteen ninety five"
    cut = {"entity": "date", "value": "twentieth november nineteen ninety", "start": 0, "end": 34}
    assert find_date(make_tracker(text, entities=[cut])) == date(1995, 11, 20)
    said = make_tracker("my birthday is 14 march 1988 ok", entities=[])
    assert find_date(said) == date(1988, 3, 14)


def test_on_a_call_the_status_follows_without_the_thanks(backend, domain) -> None:
    """Every second of a call is listened to: the status that follows names the worker."""
    slots = {"uan": RINA.uan, "language": "bn", "flow": "status"}
    call = ask("১৪ মার্চ ১৯৮৮", "date_of_birth", slots, metadata={"channel": "voice"})
    events, said = run(ValidateVerifyForm(), call, domain)
    assert slot_values(events)["verification_token"]
    assert said == []
    chat = ask("১৪ মার্চ ১৯৮৮", "date_of_birth", slots)
    assert run(ValidateVerifyForm(), chat, domain)[1] == [translate("verify.ok", "bn", name="রিনা")]
    claim = {**slots, "flow": "claim"}  # the next words are a question: the thanks stays
    call = ask("১৪ মার্চ ১৯৮৮", "date_of_birth", claim, metadata={"channel": "voice"})
    assert run(ValidateVerifyForm(), call, domain)[1] == [translate("verify.ok", "bn", name="রিনা")]


def test_an_unknown_uan_and_a_wrong_date_are_answered_in_the_same_words(backend, domain) -> None:
    """No enumeration in what the assistant says either: only the UAN read back differs."""
    answers = []
    for uan in (RINA.uan, "199999999999"):
        tracker = ask("1 January 1990", "date_of_birth", {"uan": uan})
        events, said = run(ValidateVerifyForm(), tracker, domain)
        assert slot_values(events)["failed_attempts"] == 1 and followup(events) is None
        answers.append([re.sub(DIGIT_WORDS, "<UAN> ", line) for line in said])
    assert answers[0] == answers[1] and "<UAN>" in answers[0][0]
