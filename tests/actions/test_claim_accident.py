"""A bare "accident" is not a death claim: the message's words decide, or the worker is asked."""

from __future__ import annotations

import pytest

from actions.forms.claim import ValidateClaimForm
from api.domain.accidents import accident_outcome
from locales import translate
from tests.actions.conftest import make_tracker, run, slot_values

ACCIDENT = [{"entity": "claim_type", "value": "accident"}]


def _asked_type(text: str):
    slots = {"requested_slot": "claim_type"}
    return make_tracker(text, intent="inform", entities=ACCIDENT, form="claim_form", slots=slots)


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("file a claim for accident", None),
        ("दुर्घटना का क्लेम करना है", None),
        ("accident এর জন্য claim করতে চাই", None),
        ("my husband died in an accident at the site", "accident_death"),
        ("pati ki accident me maut ho gayi", "accident_death"),
        ("মাচা থেকে পড়ে মারা গেছেন, দুর্ঘটনা", "accident_death"),
        ("accident me viklang ho gaya", "accident_disability"),
        ("দুর্ঘটনায় পঙ্গু হয়ে গেছি", "accident_disability"),
        ("accident hua, haath toot gaya, hospital me hoon", "medical"),
        ("দুর্ঘটনায় চোট লেগেছে, চিকিৎসার খরচ চাই", "medical"),
        ("hamara accident hua", None),  # "mara" inside "hamara" is not a death
        ("he died and I was hurt in the same accident", None),  # two outcomes: ask
    ],
)
def test_the_outcome_comes_from_the_words_around_it(text: str, outcome: str | None) -> None:
    assert accident_outcome(text) == outcome


def test_a_bare_accident_asks_what_it_led_to_without_counting_a_failure(domain) -> None:
    events, said = run(ValidateClaimForm(), _asked_type("file a claim for accident"), domain)
    values = slot_values(events)
    assert values["claim_type"] is None and "failed_attempts" not in values
    assert said == [translate("claim.accident_which", "en")]


def test_an_accident_that_killed_is_a_death_claim(domain) -> None:
    tracker = _asked_type("accident, my husband died")
    assert (
        slot_values(run(ValidateClaimForm(), tracker, domain)[0])["claim_type"] == "accident_death"
    )
