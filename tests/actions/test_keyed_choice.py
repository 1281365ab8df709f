"""A phone keypad key names its service in metadata: it starts whatever the NLU made of it."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions.routing.router import ActionRoute
from actions.routing.services import INTENT_BY_CHOICE
from locales import translate
from tests.actions.conftest import followup, make_tracker, run, slot_values

PHONE_CHOICES = ("status", "renewal", "claim", "pension", "eligibility", "nominee", "register")


def keyed(choice: str, words: str = "hmm", intent: str = "out_of_scope") -> Tracker:
    return make_tracker(words, intent=intent, metadata={"channel": "voice", "menu_choice": choice})


def test_every_phone_choice_names_an_intent() -> None:
    for choice in (*PHONE_CHOICES, "family", "feedback", "scheme", "human"):
        assert choice in INTENT_BY_CHOICE


@pytest.mark.parametrize("choice", ["nominee", "status", "claim"])
def test_a_keyed_service_needing_identity_starts_verification(domain, choice: str) -> None:
    events, _ = run(ActionRoute(), keyed(choice, intent="greet"), domain)
    assert followup(events) == "verify_form"
    assert slot_values(events)["flow"] == choice


def test_a_keyed_registration_starts_registration_whatever_the_nlu_said(domain) -> None:
    _, said = run(ActionRoute(), keyed("register", intent="thank"), domain)
    assert translate("register.guidance", "en") in said


def test_an_unknown_choice_is_ignored(domain) -> None:
    events, _ = run(ActionRoute(), keyed("format_disk", intent="check_status"), domain)
    assert slot_values(events)["flow"] == "status"


@pytest.mark.parametrize("words", ["hmm", "I want to check my status"])
def test_the_family_key_starts_the_family_flow_never_the_workers_check(domain, words) -> None:
    """Keys cannot say "the worker died": the claim menu's second key does (voice.menu_claim)."""
    events, said = run(ActionRoute(), keyed("family", words, intent="check_status"), domain)
    assert followup(events) == "family_form"
    assert slot_values(events)["flow"] == "family"
    assert not slot_values(events).get("family_claim_type")  # asked after the check
    assert translate("family.intro", "en") in said
