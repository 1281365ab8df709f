"""The load stepper: raise concurrency step by step and stop at the first step that fails.

Kept free of I/O so the stop rule is tested on its own: a step passes when it had no error and
its p95 stayed under the limit; the capacity is the last passing step before the first failure.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

FIRST_STEPS = (10, 25, 50, 100)


def load_steps(maximum: int = 400, first: tuple[int, ...] = FIRST_STEPS) -> Iterator[int]:
    """10, 25, 50, 100, then doubling (200, 400, ...) up to `maximum` inclusive."""
    level = 0
    for level in first:
        if level > maximum:
            return
        yield level
    level *= 2
    while level <= maximum:
        yield level
        level *= 2


def step_passes(summary: dict[str, Any], p95_limit_ms: float) -> tuple[bool, str]:
    """Whether one step held: no errors, some turns, and p95 under the limit. Says why not."""
    if summary.get("errors"):
        return False, f"{summary['errors']} errors ({summary.get('error_kinds') or {}})"
    if summary.get("backend_5xx"):
        return False, f"{summary['backend_5xx']} backend 5xx answers (see the API log)"
    if not summary.get("n"):
        return False, "no turn completed"
    if summary["p95"] is None or summary["p95"] >= p95_limit_ms:
        return False, f"p95 {summary['p95']} ms >= {p95_limit_ms:.0f} ms"
    return True, "ok"


@dataclass
class StepOutcome:
    """What the stepper found: the sustained level (0 if none) and every step it ran."""

    sustained: int = 0
    steps: list[dict[str, Any]] = field(default_factory=list)
    stopped_because: str = ""


def run_steps(
    run_step: Callable[[int], dict[str, Any]],
    steps: Iterator[int] | list[int],
    p95_limit_ms: float,
    step_seconds: float,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> StepOutcome:
    """Run `run_step(concurrency)` (returns a turn summary) per step until one fails.

    A step is not started when it could not finish before `deadline` (the bench's time box): the
    result then says so, and the sustained level is a lower bound.
    """
    outcome = StepOutcome()
    for concurrency in steps:
        if deadline is not None and clock() + step_seconds > deadline:
            outcome.stopped_because = f"time budget reached before {concurrency}"
            return outcome
        summary = run_step(concurrency)
        passed, why = step_passes(summary, p95_limit_ms)
        outcome.steps.append({"concurrency": concurrency, "passed": passed, "why": why, **summary})
        if not passed:
            outcome.stopped_because = f"{concurrency} failed: {why}"
            return outcome
        outcome.sustained = concurrency
    outcome.stopped_because = outcome.stopped_because or "largest step passed"
    return outcome
