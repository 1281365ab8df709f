"""The bench's phone goals: which sentence ends a task, and the goal per task and mode."""

from __future__ import annotations

from bench.efficiency import goal_met, result_event, rows
from voice.simulate import CallSimulator, Event


def _sim(events: list[Event]) -> CallSimulator:
    sim = CallSimulator.__new__(CallSimulator)  # only its events are read
    sim.events = events
    return sim


def test_the_result_is_the_callers_own_sentence_before_the_last_fixed_prompt() -> None:
    events = [
        Event("play", "Type your date of birth", "/voice/audio/a.wav"),
        Event("play", "Thanks, Rina", "/voice/audio/p/b.wav"),
        Event("play", "Your claim CLM-2026-000101: being checked", "/voice/audio/p/c.wav"),
        Event("play", "Your other records too?", "/voice/audio/d.wav"),
        Event("play", "For yes, press 1", "/voice/audio/p/e.wav"),  # numbered: personal again
    ]
    assert result_event(_sim(events), 1) == 2
    assert result_event(_sim(events[:1]), 0) is None


def test_goals_per_task_and_mode() -> None:
    assert goal_met("status", "keypad", 4, 59.9)["goal_met"]
    assert not goal_met("status", "keypad", 5, 30.0)["goal_met"]  # too many turns
    assert not goal_met("status", "speech", 3, 45.0)["goal_met"]
    assert goal_met("renewal", "speech", 6, 89.0)["goal_met"]


def test_the_report_says_each_goal_and_the_choices_per_menu() -> None:
    run = {"call": "c", "task": "renewal", "mode": "keypad", "language": "bn", "turns": 5}
    run |= {"task_audio_s": 95.0, "audio_s": 100.0, "completed": True}
    run |= goal_met("renewal", "keypad", 5, 95.0)
    out = rows({"runs": [run], "menu_choices": {"main": {"status": 2, "renewal": 3}}})
    assert out[0].target == "< 90 s" and out[0].met is False
    assert out[1].measure == "keypad choices, menu main" and out[1].ours == "renewal 3, status 2"
