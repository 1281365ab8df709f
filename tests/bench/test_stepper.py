"""The load stepper's sequence and stop rule."""

from bench.stepper import load_steps, run_steps, step_passes


def _summary(p95: float | None, errors: int = 0, n: int = 100) -> dict:
    return {"n": n, "p95": p95, "errors": errors, "error_kinds": {"timeout": errors}}


def test_steps_are_10_25_50_100_then_doubling() -> None:
    assert list(load_steps(400)) == [10, 25, 50, 100, 200, 400]
    assert list(load_steps(60)) == [10, 25, 50]
    assert list(load_steps(5)) == []


def test_a_step_fails_on_any_error_or_slow_p95() -> None:
    assert step_passes(_summary(900), 1000) == (True, "ok")
    assert not step_passes(_summary(1000), 1000)[0]  # the limit itself fails: "under 1 s"
    assert not step_passes(_summary(100, errors=1), 1000)[0]
    assert not step_passes(_summary(None, n=0), 1000)[0]
    # a polite apology after a backend 500 is a failure too
    assert not step_passes({**_summary(100), "backend_5xx": 2}, 1000)[0]


def test_stepper_stops_at_the_first_failing_step() -> None:
    p95_by_level = {10: 100, 25: 300, 50: 1200, 100: 50}
    ran: list[int] = []

    def step(level: int) -> dict:
        ran.append(level)
        return _summary(p95_by_level[level])

    outcome = run_steps(step, [10, 25, 50, 100], p95_limit_ms=1000, step_seconds=60)
    assert ran == [10, 25, 50]  # 100 never runs, although it would have "passed"
    assert outcome.sustained == 25
    assert outcome.stopped_because.startswith("50 failed")
    assert [s["passed"] for s in outcome.steps] == [True, True, False]


def test_no_passing_step_means_zero() -> None:
    outcome = run_steps(lambda _: _summary(50, errors=3), [10, 25], 1000, 60)
    assert outcome.sustained == 0 and len(outcome.steps) == 1


def test_stepper_does_not_start_a_step_past_the_deadline() -> None:
    now = [0.0]

    def step(level: int) -> dict:
        now[0] += 60
        return _summary(100)

    outcome = run_steps(
        step, [10, 25, 50], 1000, step_seconds=60, deadline=130, clock=lambda: now[0]
    )
    assert outcome.sustained == 25  # 10 at t=0..60, 25 at 60..120, 50 would end at 180
    assert "time budget" in outcome.stopped_because
