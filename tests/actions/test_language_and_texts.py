"""Language choice, and every reply id present in bn, hi and en."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from actions.language import ActionValidateSlotMappings, choose_language
from actions.nlg import RESPONSES, render, render_nlg_request
from api.language.script import script_language
from locales import spell_digits, translate
from tests.actions.conftest import make_tracker, run
from tests.factory import RINA

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("current", "meta", "intent", "entities", "text", "expected"),
    [
        (None, {"language": "hi-IN"}, "greet", [], "hello", "hi"),  # the gateway wins
        ("bn", {}, "change_language", ["en"], "speak english", "en"),
        ("bn", {}, "greet", [], "hello", None),  # known language is kept
        (None, {}, "greet", [], "নমস্কার", "bn"),
        ("hi", {}, "change_language", [], "English", "en"),  # the language buttons
        ("hi", {}, "change_language", [], "अंग्रेजी में बात करो", "en"),  # no entity found
    ],
)
def test_choose_language(current, meta, intent, entities, text, expected) -> None:
    assert choose_language(current, meta, intent, entities, text) == expected


def test_script_fallback() -> None:
    assert script_language("मेरा स्टेटस") == "hi"
    assert script_language("আমার পেনশন") == "bn"
    assert script_language("mera status") is None  # Latin: the romanised-text detector decides


def test_extract_language_runs_as_the_global_slot_mapping(domain) -> None:
    tracker = make_tracker("नमस्ते", intent="greet", slots={"language": None})
    events, _ = run(ActionValidateSlotMappings(), tracker, domain)
    assert {"event": "slot", "timestamp": None, "name": "language", "value": "hi"} in events


def _po_ids(lang: str) -> set[str]:
    with (ROOT / "locales" / lang / "LC_MESSAGES" / "bot.po").open("rb") as f:
        return {str(m.id) for m in read_po(f) if m.id and m.string}


def test_every_message_id_used_by_the_actions_exists_in_all_languages() -> None:
    source = "\n".join(p.read_text() for p in (ROOT / "actions").glob("*.py"))
    literal = set(re.findall(r'"((?:[a-z_]+)\.[a-z_0-9]+)"', source))
    used = {m for m in literal if m.split(".")[0] in _po_ids_prefixes()}
    for lang in ("bn", "hi", "en"):
        missing = used - _po_ids(lang)
        assert not missing, f"{lang}: {sorted(missing)}"
    assert _po_ids("bn") == _po_ids("hi") == _po_ids("en")


def _po_ids_prefixes() -> set[str]:
    return {i.split(".")[0] for i in _po_ids("en")}


def test_translations_are_not_copies_of_english() -> None:
    with (ROOT / "locales" / "en" / "LC_MESSAGES" / "bot.po").open("rb") as f:
        english = {str(m.id): str(m.string) for m in read_po(f) if m.id}
    for lang in ("bn", "hi"):
        with (ROOT / "locales" / lang / "LC_MESSAGES" / "bot.po").open("rb") as f:
            same = [
                str(m.id)
                for m in read_po(f)
                if m.id
                and str(m.string) == english[str(m.id)]
                # words left once the placeholders are out ("{name}." has none to translate)
                and re.search("[a-z]{4}", re.sub(r"\{[a-z_0-9]+\}", "", str(m.string)))
            ]
        assert not same, f"{lang} untranslated: {same}"


@pytest.mark.parametrize("lang", ["bn", "hi", "en"])
def test_every_form_question_renders(lang) -> None:
    slots = {
        "language": lang,
        "uan": RINA.uan,
        "incident_date": "2026-03-05",
        "claim_type": "medical",
        "bank_last4": "3307",
        "incident_description": "x y",
        "age": 30,
        "nominee_name": "Sita",
        "nominee_relation": "wife",
        "feedback_category": "bribery",
        "feedback_text": "x y",
        "renewal_scheme": "bocw_welfare",
    }
    for response in RESPONSES:
        message = render(response, slots)
        assert message["text"] and "{" not in message["text"], response


def test_nlg_request_reads_back_the_uan_in_the_slot_language() -> None:
    body = {
        "response": "utter_ask_verify_form_date_of_birth",
        "arguments": {},
        "tracker": {"slots": {"language": "bn", "uan": RINA.uan}},
        "channel": {"name": "rest"},
    }
    answer = render_nlg_request(body)
    assert spell_digits(RINA.uan, "bn", group=4) in answer["text"]  # in fours, as on the card
    assert answer["custom"]["expect"]["what"] == "dob"
    assert answer["custom"]["keyed_text"] == translate("verify.ask_dob_keyed", "bn")
    assert RINA.uan[:4] not in answer["custom"]["keyed_text"]  # typed on keys: no read-back
    assert answer["buttons"] == []
    on_call = render_nlg_request({**body, "tracker": {**body["tracker"], "sender_id": "voice:CA1"}})
    assert on_call["text"] == translate(  # aloud: no written example date
        "verify.ask_dob_spoken", "bn", uan=spell_digits(RINA.uan, "bn", group=4)
    )
    assert len(on_call["text"]) < len(answer["text"])
    confirm = render_nlg_request(
        {**body, "response": "utter_ask_pension_form_pension_restart_confirmed"}
    )
    assert [b["title"] for b in confirm["buttons"]] == ["হ্যাঁ", "না"]


def test_on_a_call_the_uan_question_is_one_short_sentence() -> None:
    body = {
        "response": "utter_ask_verify_form_uan",
        "arguments": {},
        "tracker": {"slots": {"language": "hi"}},
        "channel": {"name": "rest"},
    }
    written = render_nlg_request(body)
    assert written["text"] == translate("verify.ask_uan", "hi")
    on_call = render_nlg_request({**body, "tracker": {**body["tracker"], "sender_id": "voice:CA1"}})
    assert on_call["text"] == translate("verify.ask_uan_spoken", "hi")
    assert len(on_call["text"]) < len(written["text"])
    assert on_call["custom"]["keyed_text"] == translate("verify.ask_uan_keyed", "hi")
