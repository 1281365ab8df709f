"""What people also ask: how long each step takes comes from the casework targets in the
settings (never a number written into the text), and each district's office from
api/data/offices.yaml, marked as demo data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from api.knowledge import PassageError, current
from api.knowledge.offices import load_offices, parse_offices
from api.knowledge.passages import parse_file
from api.knowledge.store import reset
from api.settings import get_settings

DATA = Path(__file__).resolve().parents[2] / "api" / "data"


ONE = {"address": {"en": "a"}, "hours": "10:00-17:00", "days": "0"}


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_MODE", "true")
    get_settings.cache_clear()
    reset()
    yield
    get_settings.cache_clear()
    reset()


def _text(pid: str) -> dict[str, str]:
    return next(p for p in current().passages if p.id == pid).text


def test_decision_days_are_the_settings_own() -> None:
    due = get_settings().case_due_days
    claim = _text("time_claim")
    assert f"within {due['claim']} days" in claim["en"]
    assert f"within {get_settings().payment_due_days} days of approval" in claim["en"]
    assert f"within {due['renewal']} days" in _text("time_renewal")["en"]
    assert f"within {due['restart']} days" in _text("time_pension_restart")["en"]


def test_changing_the_targets_changes_the_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASE_DUE_DAYS", '{"claim": 21, "renewal": 9, "restart": 12}')
    monkeypatch.setenv("PAYMENT_DUE_DAYS", "7")
    get_settings.cache_clear()
    claim = _text("time_claim")
    assert "within 21 days" in claim["en"] and "within 7 days of approval" in claim["en"]
    assert "21 दिन" in claim["hi"] and "২১ দিনের" in claim["bn"] and "৭" in claim["bn"]
    assert "within 9 days" in _text("time_renewal")["en"]
    assert "১২ দিনের" in _text("time_pension_restart")["bn"]


def test_every_office_passage_is_filled_from_the_data_file_and_says_demo() -> None:
    offices = load_offices()
    passages = [p for p in current().passages if p.office]
    assert {p.office for p in passages} == set(offices)
    west_bengal = {k for k, o in offices.items() if o.state == "West Bengal"}
    assert {"kolkata", "howrah", "north_24_parganas", "murshidabad"} <= west_bengal
    for p in passages:
        office = offices[p.office]
        assert office.demo and p.demo
        for lang in ("en", "hi", "bn"):
            assert office.address[lang] in p.text[lang]
        assert "demo" in p.text["en"] and "डेमो" in p.text["hi"] and "ডেমো" in p.text["bn"]
    kolkata = _text("office_kolkata")
    assert "Monday to Friday, 10:00 to 17:30" in kolkata["en"]
    assert "১০:০০ থেকে ১৭:৩০" in kolkata["bn"]


def test_the_data_file_is_marked_demo_in_its_own_words() -> None:
    raw = (DATA / "offices.yaml").read_text(encoding="utf-8")
    assert "DEMO DATA" in raw and yaml.safe_load(raw)["demo"] is True


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"offices": {"x": {"address": {"en": "a"}, "hours": "10:00-17:00", "days": "0"}}},
            "lacks",
        ),
        (
            {
                "offices": {
                    "x": {"address": {"en": "a", "hi": "b", "bn": "c"}, "hours": "10", "days": "0"}
                }
            },
            "hours",
        ),
    ],
)
def test_office_data_bugs_are_refused(raw: dict, message: str) -> None:
    with pytest.raises(PassageError, match=message):
        parse_offices(raw)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": {lang: "{decision_days}" for lang in ("en", "hi", "bn")}}, "decision"),
        ({"decision": "lottery"}, "decision"),
        ({"text": {lang: "{office_address}" for lang in ("en", "hi", "bn")}}, "office"),
    ],
)
def test_placeholders_go_with_their_source(changes: dict, message: str) -> None:
    item = {
        "id": "x",
        "source": "test",
        "title": {"en": "t", "hi": "ट", "bn": "ট"},
        "text": {"en": "t", "hi": "ट", "bn": "ট"},
        "keywords": {"en": ["t"], "hi": ["ट"], "bn": ["ট"]},
        **changes,
    }
    with pytest.raises(PassageError, match=message):
        parse_file({"scheme": "eshram", "passages": [item]})
