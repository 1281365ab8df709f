"""Asked what the claim is for, a worker names it in their own words, not the list's label."""

from __future__ import annotations

import pytest

from actions.forms.claim import ValidateClaimForm
from api.domain.claim_words import claim_type_in
from locales import translate
from tests.actions.conftest import make_tracker, run, slot_values


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("চিকিৎসার খরচ", "medical"),  # "of treatment": the ending is on the word itself
        ("ভারা থেকে পড়ে গিয়ে কোমরে চোট লেগেছে", "medical"),
        ("doctor ka kharcha", "medical"),
        ("इलाज का खर्चा", "medical"),
        ("প্রসবের খরচ", "maternity"),
        ("बच्चे की पढ़ाई के लिए", "education"),
        ("antim sanskar ke liye", "death_funeral"),
        ("মারা গেছেন, দুর্ঘটনা", "accident_death"),
        ("pension", "pension"),
        ("৩০ নভেম্বর, ২০২৬", None),  # a date is no claim type
        ("3307", None),
        ("bachche ki padhai aur doctor ka kharcha", None),  # two types: asked again
    ],
)
def test_a_claim_type_is_read_from_the_workers_words(text: str, code: str | None) -> None:
    assert claim_type_in(text) == code


def test_the_cost_of_treatment_in_bengali_is_the_medical_claim(domain) -> None:
    slots = {"requested_slot": "claim_type"}
    tracker = make_tracker("চিকিৎসার খরচ", intent="inform", form="claim_form", slots=slots)
    tracker.slots["language"] = "bn"
    events, said = run(ValidateClaimForm(), tracker, domain)
    assert slot_values(events)["claim_type"] == "medical"
    assert translate("claim.type_not_understood", "bn") not in said
