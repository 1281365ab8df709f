"""A complaint told in full when the kind is asked (or in the request itself) is not asked for
again: "the office never answers the phone, I went three times" is its kind AND what happened."""

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
        for requested in ("feedback_category", None):  # answering the question, or the request
            tracker = _category_step(text, code, requested)
            form = ValidateFeedbackForm()
            values = slot_values(run(form, tracker, domain)[0])
            assert values["feedback_category"] == code
            assert values["feedback_text"] == text


def test_a_short_answer_or_a_menu_number_leaves_what_happened_to_be_asked(domain) -> None:
    for text, code in (("bribe", "bribery"), ("3", "bribery"), ("I want to complain", "complaint")):
        values = slot_values(
            run(ValidateFeedbackForm(), _category_step(text, code, "feedback_category"), domain)[0]
        )
        assert values["feedback_category"] == code
        assert values.get("feedback_text") is None
