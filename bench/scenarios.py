"""Conversation scripts (bench/scenarios.yaml): loading, and the one-at-a-time validation pass.

Why a validation pass: a latency figure for a flow that derailed after two turns measures the
wrong thing. Each scenario is played once, alone, and the Rasa tracker tells which intent every
message got and whether the flow's final action ran.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCENARIOS_FILE = Path(__file__).resolve().parent / "scenarios.yaml"


@dataclass(frozen=True)
class Turn:
    text: str
    intent: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    name: str
    flow: str
    language: str
    turns: tuple[Turn, ...]
    expect_action: str | None = None

    def as_spec(self) -> dict[str, Any]:
        """The JSON form the load generator subprocess reads."""
        return {
            "name": self.name,
            "turns": [{"text": t.text, "metadata": t.metadata} for t in self.turns],
        }


@dataclass(frozen=True)
class VoiceCall:
    """A scripted phone call: keypad digits, speech results or silence (the caller waits for
    the <Gather> to time out: not a turn, its seconds count), one per <Gather>. A step's `after`
    (a catalog id) is the prompt after which the caller answers, speaking over the rest of the
    reply (barge-in: the line's <Gather> stops its prompts then)."""

    name: str
    language: str
    mode: str  # keypad | speech
    from_number: str  # "new": a number the line has never heard (fresh each run)
    steps: tuple[dict[str, str], ...]
    task: str = "status"  # status | renewal: what completes the call, and its goal


@dataclass(frozen=True)
class ScenarioFile:
    scenarios: tuple[Scenario, ...]
    think_time_s: float = 1.0
    request_timeout_s: float = 10.0
    voice_calls: tuple[VoiceCall, ...] = ()


def parse(doc: dict[str, Any]) -> ScenarioFile:
    """Build scenarios from the YAML document, refusing scripts the bench cannot play."""
    scenarios = []
    for item in doc.get("scenarios") or []:
        turns = tuple(
            Turn(str(t["text"]), t.get("intent"), dict(t.get("metadata") or {}))
            for t in item.get("turns") or []
        )
        if not turns:
            raise ValueError(f"scenario {item.get('name')!r} has no turns")
        scenarios.append(
            Scenario(
                name=str(item["name"]),
                flow=str(item.get("flow", item["name"])),
                language=str(item.get("language", "en")),
                turns=turns,
                expect_action=item.get("expect_action"),
            )
        )
    if not scenarios:
        raise ValueError("no scenarios")
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ValueError("scenario names must be unique")
    calls = []
    for item in doc.get("voice_calls") or []:
        steps = tuple({k: str(v) for k, v in step.items()} for step in item.get("steps") or [])
        if any(
            set(step) - {"digits", "speech", "silence", "after"} or len(set(step) - {"after"}) != 1
            for step in steps
        ):
            raise ValueError(
                f"voice call {item.get('name')!r}: each step is digits, speech or silence, "
                "and may say `after` which prompt the caller speaks over the rest (barge-in)"
            )
        calls.append(
            VoiceCall(
                str(item["name"]),
                str(item.get("language", "en")),
                str(item.get("mode", "keypad")),
                str(item.get("from", "+919811111111")),
                steps,
                str(item.get("task", "status")),
            )
        )
    load = doc.get("load") or {}
    return ScenarioFile(
        tuple(scenarios),
        float(load.get("think_time_s", 1.0)),
        float(load.get("request_timeout_s", 10.0)),
        tuple(calls),
    )


def load(path: Path = SCENARIOS_FILE) -> ScenarioFile:
    import yaml

    return parse(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


def tracker_findings(scenario: Scenario, events: list[dict[str, Any]]) -> dict[str, Any]:
    """Compare a played conversation's tracker events with what the script expected."""
    intents = [
        (e.get("parse_data") or {}).get("intent", {}).get("name")
        for e in events
        if e.get("event") == "user"
    ]
    actions = {e.get("name") for e in events if e.get("event") == "action"}
    mismatches = [
        {"turn": i, "text": turn.text, "expected": turn.intent, "got": got}
        for i, (turn, got) in enumerate(zip(scenario.turns, intents, strict=False))
        if turn.intent and got != turn.intent
    ]
    completed = scenario.expect_action is None or scenario.expect_action in actions
    return {"intents": intents, "intent_mismatches": mismatches, "completed": completed}


# bandit B107: an empty default token means "no token", it is no password
def validate(  # nosec B107
    rasa_url: str, scenarios: ScenarioFile, token: str = "", timeout: float = 30.0
) -> dict[str, Any]:
    """Play every scenario once, alone; return per scenario: latencies, replies, findings."""
    import httpx

    results: dict[str, Any] = {}
    params = {"token": token} if token else {}
    with httpx.Client(timeout=timeout) as client:
        for scenario in scenarios.scenarios:
            sender = f"bench-validate-{scenario.name}-{uuid.uuid4().hex[:8]}"
            turns = []
            for turn in scenario.turns:
                started = time.perf_counter()
                try:
                    answer = client.post(
                        f"{rasa_url}/webhooks/rest/webhook",
                        json={"sender": sender, "message": turn.text, "metadata": turn.metadata},
                    )
                    replies = answer.json() if answer.status_code == 200 else []
                    error = None if answer.status_code == 200 and replies else "empty or http"
                except (httpx.HTTPError, ValueError) as exc:
                    replies, error = [], f"{type(exc).__name__}"
                turns.append(
                    {
                        "text": turn.text,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                        "replies": [r.get("text") for r in replies if isinstance(r, dict)],
                        "error": error,
                    }
                )
            try:
                tracker = client.get(
                    f"{rasa_url}/conversations/{sender}/tracker", params=params
                ).json()
                findings = tracker_findings(scenario, tracker.get("events") or [])
            except (httpx.HTTPError, ValueError) as exc:
                findings = {"completed": None, "tracker_error": type(exc).__name__}
            results[scenario.name] = {"turns": turns, **findings}
    return results
