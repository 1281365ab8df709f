"""One entity per stretch of text: the rule, and the Rasa component that applies it."""

from __future__ import annotations

from bot.components.entity_overlap import keep_one_per_span
from scripts.stack import ROOT
from tests.bot_env import last_json, needs_bot_env, run_in_bot_env


def entity(name: str, start: int, end: int, extractor: str) -> dict:
    return {"entity": name, "start": start, "end": end, "value": "x", "extractor": extractor}


def test_the_regex_match_wins_over_the_crf_on_the_same_span() -> None:
    regex = entity("uan", 10, 24, "RegexEntityExtractor")
    crf = entity("uan", 10, 24, "CRFEntityExtractor")
    assert keep_one_per_span([crf, regex]) == [regex]


def test_a_crf_guess_inside_a_regex_match_is_dropped() -> None:
    regex = entity("uan", 0, 14, "RegexEntityExtractor")
    part = entity("date", 5, 9, "CRFEntityExtractor")
    assert keep_one_per_span([part, regex]) == [regex]


def test_a_date_keeps_its_year_that_the_digits_regex_also_matches() -> None:
    date = entity("date", 0, 13, "CRFEntityExtractor")  # "14 march 1988"
    year = entity("digits", 9, 13, "RegexEntityExtractor")
    assert keep_one_per_span([date, year]) == [date]


def test_separate_entities_all_stay_in_text_order() -> None:
    name = entity("person_name", 0, 5, "CRFEntityExtractor")
    uan = entity("uan", 10, 22, "RegexEntityExtractor")
    date = entity("date", 30, 40, "CRFEntityExtractor")
    assert keep_one_per_span([name, uan, date]) == [name, uan, date]


def test_among_equals_the_longer_span_wins() -> None:
    short = entity("date", 0, 6, "CRFEntityExtractor")
    long = entity("date", 0, 11, "CRFEntityExtractor")
    assert keep_one_per_span([short, long]) == [long]


def test_entities_without_a_span_are_kept() -> None:
    spanless = {"entity": "language", "value": "bn"}
    uan = entity("uan", 0, 12, "RegexEntityExtractor")
    assert keep_one_per_span([spanless, uan, entity("uan", 0, 12, "CRFEntityExtractor")]) == [
        spanless,
        uan,
    ]


@needs_bot_env
def test_the_rasa_component_filters_a_parsed_message() -> None:
    script = r"""
import json
from rasa.shared.nlu.training_data.message import Message
from bot.components.entity_filter import OverlappingEntityFilter
found = {"entity": "uan", "start": 4, "end": 16, "value": "100000000001"}
m = Message(data={"text": "uan 100000000001", "entities": [
    {**found, "extractor": "CRFEntityExtractor"}, {**found, "extractor": "RegexEntityExtractor"},
]})
OverlappingEntityFilter().process([m])
print(json.dumps(m.as_dict(only_output_properties=True)["entities"]))
"""
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    kept = last_json(run_in_bot_env(script, env=env, timeout=120))
    assert [e["extractor"] for e in kept] == ["RegexEntityExtractor"]
