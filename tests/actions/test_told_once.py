"""What a worker already told is not asked for again, nor lost: a complaint told in full when its
kind is asked ("the office never answers the phone, I went three times"), and more of what
happened said at a complaint's or a claim's read-back ("shall I send it?")."""

from __future__ import annotations

from actions.forms.feedback import ValidateFeedbackForm
from tests.actions.conftest import make_tracker, run, slot_values

TOLD = [
    ("ऑफिस में कोई फोन नहीं उठाता, तीन बार गया कोई सुनता नहीं", "no_response"),
    ("daftar wale ne claim ke liye paanch sau rupaye maange the", "bribery"),
    ("অফিসে তিনবার গেছি কেউ কোনো উত্তর দেয় না, ফোনও ধরে না", "no_response"),
]


def _category_step(text: str, code: str, requested: str | None):
    slots = {"requested_slot": requested} if requested else {}
    entities = [{"entity": "feedback_category", "value": code}]
    return make_tracker(text, intent="give_feedback", entities=entities, form="feedback_form",
                        slots=slots)  # fmt: skip


def test_a_full_account_given_with_the_kind_is_kept_as_what_happened(domain) -> None:
    for text, code in TOLD:
        tracker = _category_step(text, code, "feedback_category")
        values = slot_values(run(ValidateFeedbackForm(), tracker, domain)[0])
        assert values["feedback_category"] == code
        assert values["feedback_text"] == text


def test_the_request_itself_is_not_taken_as_the_account(domain) -> None:
    """ "A clerk wants money, I will complain of a bribe": the kind, and the account is asked."""
    tracker = _category_step("একজন বাবু টাকা চাইছে, ঘুষের অভিযোগ করব", "bribery", None)
    values = slot_values(run(ValidateFeedbackForm(), tracker, domain)[0])
    assert values["feedback_category"] == "bribery" and values.get("feedback_text") is None


def test_a_short_answer_or_a_menu_number_leaves_what_happened_to_be_asked(domain) -> None:
    for text, code in (("bribe", "bribery"), ("3", "bribery"), ("I want to complain", "complaint")):
        values = slot_values(
            run(ValidateFeedbackForm(), _category_step(text, code, "feedback_category"), domain)[0]
        )
        assert values["feedback_category"] == code
        assert values.get("feedback_text") is None


def test_more_told_at_the_read_back_is_added_and_read_back_again(domain) -> None:
    """ "He wanted 500 for taking the form" at "shall I send it?" (the classifier may call it a
    status or claim request) adds to the complaint; it does not leave it for another service."""
    slots = {
        "requested_slot": "feedback_confirmed",
        "feedback_category": "bribery",
        "feedback_text": "একজন বাবু টাকা চাইছে",
    }
    more = "ফর্ম জমা নিতে পাঁচশো টাকা চেয়েছে"
    for intent in ("check_status", "file_claim", "inform"):
        tracker = make_tracker(more, intent=intent, form="feedback_form", slots=slots)
        values = slot_values(run(ValidateFeedbackForm(), tracker, domain)[0])
        assert values["feedback_text"] == f"একজন বাবু টাকা চাইছে {more}"
        assert values["feedback_confirmed"] is None


def test_yes_no_and_dont_send_at_the_read_back_are_still_answers(domain) -> None:
    slots = {"requested_slot": "feedback_confirmed", "feedback_category": "bribery",
             "feedback_text": "a clerk wanted money"}  # fmt: skip
    for text, intent, expected in (("yes", "affirm", True), ("haan bhej do", "affirm", True),
                                   ("no don't send it", "deny", False)):  # fmt: skip
        tracker = make_tracker(text, intent=intent, form="feedback_form", slots=slots)
        values = slot_values(run(ValidateFeedbackForm(), tracker, domain)[0])
        assert values.get("feedback_confirmed") is expected, text
        assert "feedback_text" not in values


def test_more_told_at_a_claims_read_back_joins_what_happened(domain) -> None:
    from actions.forms.claim import ValidateClaimForm

    slots = {
        "requested_slot": "claim_confirmed",
        "claim_type": "medical",
        "incident_date": "2026-11-30",
        "incident_description": "I slipped on a wet floor at work",
        "bank_last4": "2275",
    }
    more = "also I broke my wrist and was in hospital for 3 days"
    for intent in ("file_claim", "inform"):
        tracker = make_tracker(more, intent=intent, form="claim_form", slots=slots)
        values = slot_values(run(ValidateClaimForm(), tracker, domain)[0])
        assert values["incident_description"] == f"I slipped on a wet floor at work {more}"
        assert values["claim_confirmed"] is None
    # a correction of the date is still a correction, not more of the account
    tracker = make_tracker("the date is wrong", intent="correct", form="claim_form", slots=slots)
    values = slot_values(run(ValidateClaimForm(), tracker, domain)[0])
    assert "incident_description" not in values
