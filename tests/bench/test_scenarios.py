"""The scenario file and the tracker check of the validation pass."""

import pytest

from bench.scenarios import load, parse, tracker_findings
from tests.factory import RAMESH


def test_the_shipped_scenarios_cover_each_flow_in_each_language() -> None:
    script = load()
    covered = {(s.flow, s.language) for s in script.scenarios}
    for flow in ("status", "eligibility", "scheme_info"):
        for lang in ("bn", "hi", "en"):
            assert (flow, lang) in covered
    assert script.think_time_s > 0
    # the status flows verify the demo workers of the brief
    status = {
        s.language: " ".join(t.text for t in s.turns)
        for s in script.scenarios
        if s.flow == "status"
    }
    assert RAMESH.uan in status["hi"] and "01-07-1990" in status["hi"]


def test_parse_refuses_empty_and_duplicate_scenarios() -> None:
    with pytest.raises(ValueError):
        parse({"scenarios": [{"name": "a", "turns": []}]})
    with pytest.raises(ValueError):
        parse({"scenarios": [{"name": "a", "turns": [{"text": "x"}]}] * 2})


def test_tracker_findings_compare_intents_and_final_action() -> None:
    script = parse(
        {
            "scenarios": [
                {
                    "name": "s",
                    "expect_action": "action_after_verify",
                    "turns": [{"text": "hi", "intent": "greet"}, {"text": "x", "intent": "inform"}],
                }
            ]
        }
    )
    events = [
        {"event": "user", "parse_data": {"intent": {"name": "greet"}}},
        {"event": "action", "name": "action_route"},
        {"event": "user", "parse_data": {"intent": {"name": "deny"}}},
    ]
    found = tracker_findings(script.scenarios[0], events)
    assert found["intents"] == ["greet", "deny"]
    assert found["intent_mismatches"] == [
        {"turn": 1, "text": "x", "expected": "inform", "got": "deny"}
    ]
    assert found["completed"] is False
    events.append({"event": "action", "name": "action_after_verify"})
    assert tracker_findings(script.scenarios[0], events)["completed"] is True
