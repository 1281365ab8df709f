"""The stack sections of the bench: latency (+ profile), load steps, voice, task efficiency,
scripted conversations.

Each takes a `Context` (the running stack, the scenario file, quick or not, the run's deadline)
and returns a JSON-able dict. Durations are here, in one table, so a quick run and a full run
differ only in them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench import stats
from bench.loadgen import run_load
from bench.scenarios import ScenarioFile, validate
from bench.stackrun import BenchStack
from bench.stepper import load_steps, run_steps

# seconds, (full, quick)
DURATIONS = {
    "single": (30, 10),
    "concurrent": (45, 15),
    "profile": (20, 8),
    "load_step": (60, 15),
}
LATENCY_CONCURRENCY = 25
LOAD_MAX = {False: 400, True: 50}


@dataclass
class Context:
    stack: BenchStack
    script: ScenarioFile
    quick: bool
    deadline: float
    log: Callable[[str], None]

    def seconds(self, name: str) -> float:
        full, quick = DURATIONS[name]
        return float(quick if self.quick else full)

    def load(
        self, concurrency: int, seconds: float, prefix: str, rasa_url: str = ""
    ) -> dict[str, Any]:
        """One bounded run of the load generator process against the REST channel (of the
        bench's stack, or of the Rasa at `rasa_url`: a cluster's door)."""
        spec = {
            "url": f"{rasa_url or self.stack.rasa_url}/webhooks/rest/webhook",
            "concurrency": concurrency,
            "duration_s": seconds,
            "think_time_s": self.script.think_time_s,
            "request_timeout_s": self.script.request_timeout_s,
            "max_turns": 200 * concurrency + 1000,
            "sender_prefix": f"bench-{prefix}-{int(time.time())}",
            "conversations": [s.as_spec() for s in self.script.scenarios],
        }
        return run_load(spec)

    def api_lines(self) -> list[str]:
        path = self.stack.log_path("api")
        return path.read_text(errors="replace").splitlines() if path.exists() else []

    def measure(
        self, concurrency: int, seconds: float, prefix: str
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """A load run and its summary, with the API's own status counts for the same window
        (a backend 5xx reaches the caller as a polite apology, not as an HTTP error)."""
        from bench import cpu
        from bench.profiling import api_status_counts

        pids = self.stack.pids()
        cpu_before = cpu.snapshot(pids)
        since = time.time()
        turns = self.load(concurrency, seconds, prefix)["turns"]
        ended = time.time()
        cpu_after = cpu.snapshot(pids)
        summary = stats.summarise_turns(turns)
        summary["api_status"] = api_status_counts(self.api_lines(), since, ended + 0.5)
        summary["backend_5xx"] = summary["api_status"].get("5xx", 0)
        summary["cpu"] = cpu.per_turn(
            cpu_before, cpu_after, len(turns), ended - since, os.cpu_count() or 1
        )
        return turns, summary


def slowest_turn(turns: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The (scenario, turn) with the highest p95 among successful turns."""
    groups: dict[tuple[str, int], list[float]] = {}
    for t in turns:
        if t["ok"]:
            groups.setdefault((t["scenario"], t["turn"]), []).append(t["ms"])
    if not groups:
        return None
    (scenario, turn), values = max(groups.items(), key=lambda i: stats.percentile(i[1], 95))
    return {"scenario": scenario, "turn": turn, **stats.summarise(values)}


def latency(ctx: Context) -> dict[str, Any]:
    """Validation pass, then 1 and 25 concurrent conversations, then a profiled window."""
    from bench.profiling import api_status_counts

    ctx.log("  playing each scenario once (validation + warm-up)")
    since = time.time()
    validation = validate(ctx.stack.rasa_url, ctx.script)
    validation_status = api_status_counts(ctx.api_lines(), since, time.time() + 0.5)
    ctx.log(f"  1 conversation for {ctx.seconds('single'):.0f} s")
    _, single = ctx.measure(1, ctx.seconds("single"), "single")
    ctx.log(f"  {LATENCY_CONCURRENCY} conversations for {ctx.seconds('concurrent'):.0f} s")
    many, concurrent = ctx.measure(LATENCY_CONCURRENCY, ctx.seconds("concurrent"), "c25")
    slowest = slowest_turn(many)
    flows = {s.name: s.flow for s in ctx.script.scenarios}
    result: dict[str, Any] = {
        "concurrency": LATENCY_CONCURRENCY,
        "validation": validation,
        "validation_api_status": validation_status,
        "single": single,
        "concurrent": concurrent,
        "concurrent_by_scenario": stats.by_key(many, "scenario"),
        "concurrent_by_flow": stats.by_key(
            [{**t, "flow": flows.get(t["scenario"], "?")} for t in many], "flow"
        ),
        "slowest_turn": slowest,
    }
    try:
        result["profile"] = profile(ctx, slowest)
    except Exception as exc:  # a profiler problem must not lose the latency figures
        result["profile"] = {"error": f"{type(exc).__name__}: {exc}"}
    return result


def profile(ctx: Context, slowest: dict[str, Any] | None) -> dict[str, Any]:
    """py-spy on every service during a 25-conversation window; API hops from its log;
    the slowest turn's NLU parse timed alone."""
    from bench import profiling

    seconds = ctx.seconds("profile")
    out_dir = ctx.stack.var_dir / "profile"
    out_dir.mkdir(exist_ok=True)
    recorders: dict[str, tuple[Any, Any]] = {}
    for name, pid in ctx.stack.pids().items():
        try:
            out = out_dir / f"{name}.txt"
            recorders[name] = (profiling.start_recording(pid, seconds, out), out)
        except OSError as exc:
            recorders[name] = (None, str(exc))
    ctx.log(f"  profiling every service for {seconds:.0f} s under {LATENCY_CONCURRENCY} conv.")
    since = time.time()
    window = ctx.load(LATENCY_CONCURRENCY, seconds, "profile")["turns"]
    until = time.time()
    py_spy = {}
    for name, (proc, out) in recorders.items():
        if proc is None:
            py_spy[name] = {"error": out}
        else:
            focus = profiling.FOCUS.get(name, profiling.OWN_CODE)
            py_spy[name] = profiling.finish_recording(proc, out, timeout=30, focus=focus)
    routes = profiling.api_hops(ctx.api_lines(), since, until)
    routes = dict(sorted(routes.items(), key=lambda i: -(i[1]["p95"] or 0)))
    return {
        "window": stats.summarise_turns(window),
        "py_spy": py_spy,
        "api_routes": routes,
        "hops": hops(ctx, slowest, window) if slowest else {},
    }


def hops(ctx: Context, slowest: dict[str, Any], window: list[dict[str, Any]]) -> dict[str, Any]:
    """Split the slowest turn: its time under load vs Rasa's NLU parse of the same text alone."""
    import httpx

    scenario = next(s for s in ctx.script.scenarios if s.name == slowest["scenario"])
    text = scenario.turns[slowest["turn"]].text
    parse_ms = []
    with httpx.Client(timeout=10) as client:
        for _ in range(10):
            started = time.perf_counter()
            client.post(f"{ctx.stack.rasa_url}/model/parse", json={"text": text})
            parse_ms.append((time.perf_counter() - started) * 1000)
    alone = stats.summarise(parse_ms)
    under_load = [
        t["ms"]
        for t in window
        if t["ok"] and t["scenario"] == slowest["scenario"] and t["turn"] == slowest["turn"]
    ]
    return {
        "turn": f"{slowest['scenario']}#{slowest['turn']} ({text!r})",
        "turn_p50_under_load_ms": stats.summarise(under_load)["p50"],
        "nlu_parse_p50_alone_ms": alone["p50"],
    }


def load(ctx: Context) -> dict[str, Any]:
    """Step the concurrency until a step fails or the time box is reached."""
    seconds = ctx.seconds("load_step")

    def step(concurrency: int) -> dict[str, Any]:
        ctx.log(f"  load step: {concurrency} conversations for {seconds:.0f} s")
        _, summary = ctx.measure(concurrency, seconds, f"load{concurrency}")
        ctx.log(
            f"    p95 {summary['p95']} ms, {summary['errors']} errors, "
            f"{summary['backend_5xx']} backend 5xx, {summary['turns_per_s']} turns/s"
        )
        time.sleep(2)  # let queues drain before the next step
        return summary

    outcome = run_steps(
        step,
        load_steps(LOAD_MAX[ctx.quick]),
        p95_limit_ms=1000,
        step_seconds=seconds + 15,
        deadline=ctx.deadline - 30,
    )
    return {
        "step_seconds": seconds,
        "sustained": outcome.sustained,
        "stopped_because": outcome.stopped_because,
        "steps": outcome.steps,
    }


def voice(ctx: Context) -> dict[str, Any]:
    from bench import voice_bench

    return voice_bench.run(ctx)


def efficiency(ctx: Context) -> dict[str, Any]:
    from bench import efficiency as eff

    return eff.run(ctx)


def conversations(ctx: Context) -> dict[str, Any]:
    from bench.conversations import section

    return section.run(ctx)
