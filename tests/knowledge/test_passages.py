"""The passages: one fact each, complete in bn/hi/en, figures written per language, every
figure of the domain notes findable in its own passage, single sources respected."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from api.domain.claims import DOCUMENTS_BY_TYPE
from api.domain.codes import SCHEMES
from api.domain.pension import RESTART_STEPS
from api.knowledge import PassageError, current
from api.knowledge.passages import FOLLOW_UP_STEPS, LANGUAGES, load_raw, parse_file
from api.knowledge.store import reset
from api.settings import get_settings
from locales import translate

BENGALI = re.compile(r"[\u0980-\u09FF]")
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
ASCII_DIGIT = re.compile(r"[0-9]")
LATIN = re.compile(r"[A-Za-z]")
DATA = Path(__file__).resolve().parents[2] / "api" / "data"
# An amount of five or more digits must be grouped the Indian way (2,00,000; 1,50,000).
UNGROUPED = re.compile(r"(?<![\d,.])[0-9০-৯]{5,}(?![\d,])")
WESTERN_GROUPING = re.compile(r"[0-9০-৯]{1,3},[0-9০-৯]{3},[0-9০-৯]{3}")

# Every figure of the domain notes, in the passage that states it, as each language writes it.
FACTS = [
    ("eshram_accident_cover", "₹2,00,000", "₹2,00,000", "২,০০,০০০ টাকা"),
    ("eshram_accident_cover", "₹1,00,000", "₹1,00,000", "১,০০,০০০ টাকা"),
    ("eshram_age", "16 to 59", "16 से 59", "১৬ থেকে ৫৯"),
    ("eshram_card_uan", "12-digit", "12 अंकों", "১২ অঙ্কের"),
    ("pmsym_income_limit", "₹15,000", "₹15,000", "১৫,০০০ টাকা"),
    ("pmsym_entry_age", "18 and 40", "18 से 40", "১৮ থেকে ৪০"),
    ("pmsym_pay_until_60", "60", "60", "৬০"),
    ("pmsym_pension_amount", "₹3,000", "₹3,000", "৩,০০০ টাকা"),
    ("pmsym_spouse_pension", "₹1,500", "₹1,500", "১,৫০০ টাকা"),
    ("pmsym_contribution_table", "₹55 at 18", "18 साल पर ₹55", "১৮ বছরে ৫৫ টাকা"),
    ("wbt_what", "13 August 2010", "13 अगस्त 2010", "১৩ আগস্ট ২০১০"),
    ("wbt_who", "18 to 60", "18 से 60", "১৮ থেকে ৬০"),
    ("wbt_registered_count", "4.7 lakh", "4.7 लाख", "৪.৭ লাখ"),
    ("wbt_pension", "₹1,500 a month", "₹1,500 महीना", "মাসে ১,৫০০ টাকা"),
    ("wbt_pension", "₹10", "₹10", "১০ টাকা"),
    ("wbt_pension", "₹750", "₹750", "৭৫০ টাকা"),
    ("wbt_family_pension", "50%", "50%", "৫০%"),
    ("wbt_accidental_death", "₹1,50,000", "₹1,50,000", "১,৫০,০০০ টাকা"),
    ("wbt_other_death", "₹50,000", "₹50,000", "৫০,০০০ টাকা"),
    ("wbt_total_disability", "₹50,000", "₹50,000", "৫০,০০০ টাকা"),
    ("wbt_partial_disability", "₹25,000", "₹25,000", "২৫,০০০ টাকা"),
    ("wbt_finger", "₹9,000", "₹9,000", "৯,০০০ টাকা"),
    ("wbt_finger", "₹4,000", "₹4,000", "৪,০০০ টাকা"),
    ("wbt_hospital", "₹400 a day", "₹400 रोज़", "দিনে ৪০০"),
    ("wbt_hospital", "₹200 a day", "₹200 रोज़", "দিনে ২০০"),
    ("wbt_hospital", "₹10,000", "₹10,000", "১০,০০০ টাকা"),
    ("wbt_major_illness", "₹20,000 a year", "साल में ₹20,000", "বছরে ২০,০০০ টাকা"),
    ("wbt_maternity", "₹6,000", "₹6,000", "৬,০০০ টাকা"),
    ("wbt_education", "₹4,000", "₹4,000", "৪,০০০ টাকা"),
    ("wbt_education", "₹6,000", "₹6,000", "৬,০০০ টাকা"),
    ("wbt_apply", "e-District", "ई-डिस्ट्रिक्ट", "ই-ডিস্ট্রিক্ট"),
]


@pytest.fixture(autouse=True)
def _fresh_settings(monkeypatch: pytest.MonkeyPatch):
    for name in ("OFFICE_HOURS", "OFFICE_DAYS", "KB_USUAL_DAYS"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    reset()
    yield
    get_settings.cache_clear()
    reset()


def _passages():
    return [p for p in current().passages if p.covered]


def test_every_passage_is_complete_and_written_in_its_own_script() -> None:
    passages = _passages()
    assert len(passages) >= 70
    for p in passages:
        assert p.source, p.id
        for lang in LANGUAGES:
            assert p.title[lang] and p.text[lang] and p.keywords[lang], (p.id, lang)
        for field in (p.title["bn"], p.text["bn"]):
            assert BENGALI.search(field) and not ASCII_DIGIT.search(field), p.id
        assert DEVANAGARI.search(p.text["hi"]) and not BENGALI.search(p.text["hi"]), p.id
        assert not (BENGALI.search(p.text["en"]) or DEVANAGARI.search(p.text["en"])), p.id
        # romanised forms: workers type Bengali and Hindi in English letters
        assert any(LATIN.search(k) for k in p.keywords["bn"]), p.id
        assert any(LATIN.search(k) for k in p.keywords["hi"]), p.id


def test_amounts_use_indian_grouping_in_every_language() -> None:
    for p in _passages():
        for lang in LANGUAGES:
            text = f"{p.title[lang]} {p.text[lang]}"
            assert not UNGROUPED.search(text), (p.id, lang, text)
            assert not WESTERN_GROUPING.search(text), (p.id, lang, text)


@pytest.mark.parametrize(("pid", "en", "hi", "bn"), FACTS)
def test_each_fact_of_the_domain_notes_is_in_its_own_passage(
    pid: str, en: str, hi: str, bn: str
) -> None:
    passage = next(p for p in _passages() if p.id == pid)
    assert en in passage.text["en"]
    assert hi in passage.text["hi"]
    assert bn in passage.text["bn"]


def test_pm_sym_figures_agree_with_the_contribution_table() -> None:
    table = yaml.safe_load((DATA / "pm_sym_contributions.yaml").read_text(encoding="utf-8"))
    text = next(p for p in _passages() if p.id == "pmsym_contribution_table").text["en"]
    pairs = re.findall(r"₹(\d+) at (\d+)", text)
    assert len(pairs) >= 4
    for amount, age in pairs:
        assert table["contributions"][int(age)] == int(amount)
    amounts = {p.id: p.text["en"] for p in _passages()}
    assert f"₹{table['pension_at_60']:,}" in amounts["pmsym_pension_amount"]
    assert f"₹{table['spouse_pension_after_death']:,}" in amounts["pmsym_spouse_pension"]
    assert f"₹{table['income_limit_monthly']:,}" in amounts["pmsym_income_limit"]
    entry = f"{table['entry_age_min']} and {table['entry_age_max']}"
    assert entry in amounts["pmsym_entry_age"]


def test_schemes_and_transport_figures_carry_their_caveat() -> None:
    passages = _passages()
    counts = Counter(p.scheme for p in passages)
    assert set(counts) - {None} <= {*SCHEMES, "wbtwsss"}
    assert all(counts[s] for s in (*SCHEMES, "wbtwsss")), counts
    transport = [p for p in passages if p.scheme == "wbtwsss" and p.id != "wbt_what"]
    assert transport and all(p.revisable for p in transport)


def test_claim_documents_come_from_the_claim_rules() -> None:
    passages = {p.claim_type: p for p in _passages() if p.claim_type}
    assert set(passages) == set(DOCUMENTS_BY_TYPE)
    for claim_type, passage in passages.items():
        assert passage.follow_up == {"step": "claim", "values": {"claim_type": claim_type}}
        for lang in LANGUAGES:
            for code in DOCUMENTS_BY_TYPE[claim_type]:
                assert translate(f"doc.{code}", lang) in passage.text[lang]


def test_pension_restart_steps_come_from_the_pension_rules() -> None:
    for passage in (p for p in _passages() if p.stop_reason):
        for lang in LANGUAGES:
            for code in RESTART_STEPS[passage.stop_reason]:
                assert translate(f"step.{code}", lang) in passage.text[lang]


def test_personal_passages_route_somewhere_and_follow_ups_are_known_steps() -> None:
    passages = _passages()
    personal = [p for p in passages if p.personal]
    assert {"claim_when_paid", "payment_not_arrived", "pension_mine_stopped"} <= {
        p.id for p in personal
    }
    assert all(p.follow_up for p in personal)
    assert all(p.follow_up["step"] in FOLLOW_UP_STEPS for p in passages if p.follow_up)
    table = next(p for p in passages if p.id == "pmsym_contribution_table")
    assert table.follow_up == {"step": "eligibility.age"}


def test_every_demo_district_has_an_office_passage_marked_demo() -> None:
    demo = yaml.safe_load((DATA / "demo_dataset.yaml").read_text(encoding="utf-8"))
    districts = {w["district"].lower() for w in demo["workers"]}
    offices = {p.id.removeprefix("office_"): p for p in _passages() if p.demo}
    assert districts <= set(offices)  # and more districts (api/data/offices.yaml)
    for p in offices.values():
        assert "demo" in p.text["en"] and "डेमो" in p.text["hi"] and "ডেমো" in p.text["bn"]


def test_office_hours_follow_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFFICE_HOURS", "10:00-17:00")
    monkeypatch.setenv("OFFICE_DAYS", "0,1,2,3,4")
    get_settings.cache_clear()
    text = next(p for p in current().passages if p.id == "office_hours").text
    assert "10:00 to 17:00, Monday to Friday" in text["en"]
    assert "सोमवार से शुक्रवार, 10:00 से 17:00" in text["hi"]
    assert "সোমবার থেকে শুক্রবার, ১০:০০ থেকে ১৭:০০" in text["bn"]


def test_a_usual_duration_is_said_only_when_the_office_set_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = next(p for p in current().passages if p.id == "time_claim").text
    assert "Usually" not in before["en"]
    monkeypatch.setenv("KB_USUAL_DAYS", '{"claim": 45}')
    get_settings.cache_clear()
    after = next(p for p in current().passages if p.id == "time_claim").text
    assert "Usually it takes about 45 days" in after["en"]
    assert "৪৫ দিন" in after["bn"] and "45 दिन" in after["hi"]
    assert "not a rule" in after["en"]


def _raw(**changes: object) -> dict:
    item = {
        "id": "x",
        "source": "test",
        "title": {"en": "t", "hi": "ट", "bn": "ট"},
        "text": {"en": "t", "hi": "ट", "bn": "ট"},
        "keywords": {"en": ["t"], "hi": ["ट"], "bn": ["ট"]},
    }
    item.update(changes)
    return {"scheme": "eshram", "passages": [item]}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": {"en": "t", "hi": "ट"}}, "lacks"),
        ({"scheme": "ration"}, "unknown scheme"),
        ({"source": ""}, "source"),
        ({"follow_up": {"step": "dance"}}, "follow_up"),
        ({"text": {"en": "{documents}", "hi": "{documents}", "bn": "{documents}"}}, "claim_type"),
        ({"claim_type": "lottery"}, "claim_type"),
        ({"id": "Bad Id"}, "lower_snake_case"),
    ],
)
def test_content_bugs_are_refused(changes: dict, message: str) -> None:
    with pytest.raises(PassageError, match=message):
        parse_file(_raw(**changes))


def test_ids_are_unique_across_files(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(yaml.safe_dump(_raw()), encoding="utf-8")
    with pytest.raises(PassageError, match="twice"):
        load_raw(tmp_path)
