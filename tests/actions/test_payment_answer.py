"""'Has my money come?': the verified worker's own claim (paid on a date to an account ending
NNNN, approved and due by a date, or still being decided); unverified, the general answer and the
verification that takes the UAN it asks for."""

from __future__ import annotations

from actions.routing.after_verify import ActionAfterVerify
from actions.routing.router import ActionRoute
from locales import format_date, format_money, spell_digits, translate
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.actions.test_flows import token_for
from tests.factory import RINA, SUNITA


def _after_verify(lang: str, token: str, domain, **meta: object) -> tuple[list[dict], list[str]]:
    slots = {"language": lang, "flow": "payment", "verification_token": token}
    return run(ActionAfterVerify(), make_tracker("", slots=slots, metadata=meta or None), domain)


def test_paid_names_date_amount_and_the_accounts_last_4_then_offers_an_officer(
    backend, domain
) -> None:
    events, said = _after_verify("hi", token_for(SUNITA.uan, SUNITA.dob), domain)
    answer = said[0]
    assert "CLM-2026-000104" in answer and format_date("2026-10-05", "hi") in answer
    assert format_money(5000, "hi") in answer and spell_digits("2275", "hi") in answer
    assert translate("payment.ask_bank", "hi") in answer
    assert said[-1] == translate("handoff.offer", "hi")
    assert slot_values(events)["expecting"] == "start:human:"  # the yes that follows is taken
    assert slot_values(events)["flow"] is None


def test_a_claim_being_decided_says_by_when_and_past_that_date_offers_an_officer(
    backend, domain
) -> None:
    events, said = _after_verify("en", token_for(RINA.uan, RINA.dob), domain)
    answer = said[0]  # the demo claim's decision was due on 10 October 2026
    assert "CLM-2026-000101" in answer and "not approved yet" in answer
    assert format_date("2026-10-10", "en") in answer
    assert answer.splitlines()[-1] == translate("payment.late", "en")
    assert said[-1] == translate("handoff.offer", "en")
    assert slot_values(events)["expecting"] == "start:human:"


def test_a_money_question_read_as_a_status_check_starts_the_payment_answer(backend, domain) -> None:
    for text, lang in (
        ("paisa nahi aaya", "hi"),
        ("has my money been paid", "en"),
        ("টাকা আসেনি", "bn"),
    ):
        tracker = make_tracker(text, intent="check_status", slots={"language": lang})
        events, said = run(ActionRoute(), tracker, domain)
        assert slot_values(events)["flow"] == "payment", text
        assert followup(events) == "verify_form" and said == [translate("verify.intro", lang)]
    plain = make_tracker("check my status", intent="check_status", slots={"language": "en"})
    assert slot_values(run(ActionRoute(), plain, domain)[0])["flow"] == "status"


def test_verified_it_answers_with_the_own_claim_at_once(backend, domain) -> None:
    token = token_for(SUNITA.uan, SUNITA.dob)
    slots = {"language": "hi", "verification_token": token}
    tracker = make_tracker("mera paisa nahi aaya", intent="check_status", slots=slots)
    events, _ = run(ActionRoute(), tracker, domain)
    assert slot_values(events)["flow"] == "payment"
    assert followup(events) == "action_after_verify"


def test_unverified_the_knowledge_answer_comes_first_then_verification(
    backend, domain, kb_warm
) -> None:
    tracker = make_tracker(
        "money not received in my bank account", intent="ask_scheme_info", slots={"language": "en"}
    )
    events, said = run(ActionRoute(), tracker, domain)
    assert said[0].startswith("When money has not arrived")
    assert slot_values(events)["flow"] == "payment" and followup(events) == "verify_form"


def test_on_the_phone_the_same_answer_and_a_spoken_yes_or_no(backend, domain) -> None:
    events, said = _after_verify("bn", token_for(SUNITA.uan, SUNITA.dob), domain, channel="voice")
    assert spell_digits("2275", "bn") in said[0] and "CLM-2026-000104" in said[0]
    assert said[-1] == translate("handoff.offer", "bn")
    assert slot_values(events)["expecting"] == "start:human:"
    yes = make_tracker(
        "হ্যাঁ",
        intent="affirm",
        slots={"language": "bn", "expecting": "start:human:", "awaiting_menu": True},
        metadata={"channel": "voice"},
    )
    assert followup(run(ActionRoute(), yes, domain)[0]) == "action_handoff"
