"""Soak: the stack under steady load for a long stretch (30 min; --quick 2 min), memory of every
process at the start and the end; on the embedded default (one of each, SQLite) and then on
`make run-cluster`'s layout (two of each on PostgreSQL and Redis, behind HAProxy). A process
that keeps what it should let go (a cache without a bound, conversations held in memory) grows;
the issue allows 10% at most.

The load is the bench's own generator (bench/loadgen.py, the REST channel, the scenario file's
conversations) run in one-minute windows, with every process tree's RSS read before the first
window and after each one, so the JSON shows the curve and not only its ends. The first window
is the warm-up: the action server's first turns import and cache what every later turn uses
(+50% in the first minute, flat after it), so growth counts from the end of that window.
"""

from __future__ import annotations

import time
from typing import Any

from bench import stats
from bench.memory import tree_rss_mb
from bench.report import Row, fmt

SECONDS = {False: 1800.0, True: 120.0}
WINDOW_S = 60.0
CONCURRENCY = 10  # well inside what one machine sustains at p95 < 1 s (the load section)
MAX_GROWTH = 0.10
LAYOUTS = ("sqlite", "cluster")


def _rss(pids: dict[str, int]) -> dict[str, float | None]:
    return {name: _round(tree_rss_mb(pid)) for name, pid in pids.items()}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def growth(start: dict[str, float | None], end: dict[str, float | None]) -> dict[str, Any]:
    """Per process: start and end MB and the growth as a share of the start (None if gone)."""
    out: dict[str, Any] = {}
    for name, first in start.items():
        last = end.get(name)
        share = None if not first or last is None else round((last - first) / first, 3)
        out[name] = {"start_mb": first, "end_mb": last, "growth": share}
    return out


def run(ctx: Any, layouts: tuple[str, ...] = LAYOUTS) -> dict[str, Any]:
    """The soak on each layout in turn: the bench's own stack (SQLite, one of each) and
    `make run-cluster`'s (two of each on PostgreSQL and Redis, behind HAProxy)."""
    from bench.scale import pids_of, scaled, vectors_on_disk

    out: dict[str, Any] = {}
    for layout in layouts:
        if layout not in LAYOUTS:
            out[layout] = {"error": f"unknown layout; choose from {', '.join(LAYOUTS)}"}
            continue
        if layout == "sqlite":
            out[layout] = _soak(ctx, ctx.stack.pids(), "", layout)
            continue
        vectors_on_disk(ctx.stack.var_dir)  # read by the cluster, not built in its first minute
        try:  # a cluster that cannot start is a row saying why
            with scaled(ctx, 2) as cluster:
                out[layout] = _soak(ctx, pids_of(cluster), cluster.child_env["RASA_URL"], layout)
        except Exception as exc:
            ctx.log(f"  soak {layout}: FAILED: {type(exc).__name__}: {exc}")
            out[layout] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    return {"layouts": out}


def _soak(ctx: Any, pids: dict[str, int], rasa_url: str, layout: str) -> dict[str, Any]:
    """Windows of load until the soak's time is up."""
    total_s = SECONDS[ctx.quick]
    start = end = _rss(pids)
    samples: list[dict[str, Any]] = [{"t_s": 0.0, "rss_mb": start}]
    turns: list[dict[str, Any]] = []
    began = time.monotonic()
    n = 0
    while time.monotonic() - began < total_s:
        ctx.log(f"  soak {layout} window {n + 1}: {CONCURRENCY} conversations, {WINDOW_S:.0f} s")
        turns += ctx.load(CONCURRENCY, WINDOW_S, f"soak-{layout}-{n}", rasa_url)["turns"]
        end = _rss(pids)
        samples.append({"t_s": round(time.monotonic() - began, 1), "rss_mb": end})
        n += 1
    baseline = samples[1]["rss_mb"] if len(samples) > 2 else start  # after the warm-up
    per_process = growth(baseline, end)
    grown = [g["growth"] for g in per_process.values() if g["growth"] is not None]
    return {
        "seconds": round(time.monotonic() - began, 1),
        "planned_s": total_s,
        "concurrency": CONCURRENCY,
        "turns": stats.summarise_turns(turns),
        "processes": per_process,
        "max_growth": max(grown) if grown else None,
        "samples": samples,
    }


LABELS = {"sqlite": "one of each, SQLite", "cluster": "two of each, PostgreSQL + Redis"}


def rows(soak: dict[str, Any]) -> list[Row]:
    """Per layout: one row for the turns served, one per process (start -> end MB)."""
    from bench.scale import per_layout

    return per_layout("Soak", soak["layouts"], LABELS, _layout_rows)


def _layout_rows(label: str, soak: dict[str, Any]) -> list[Row]:
    minutes = soak["seconds"] / 60
    turns = soak.get("turns") or {}
    out = [
        Row(
            "Soak",
            f"{label}, {minutes:.0f} min at {soak['concurrency']} conversations: turns",
            f"{turns.get('n', 0) + turns.get('errors', 0)} turns, p50/p95 {fmt(turns.get('p50'))}/"
            f"{fmt(turns.get('p95'))} ms, {turns.get('errors', '?')} errors",
        )
    ]
    for name, g in sorted(soak["processes"].items()):
        share = g["growth"]
        out.append(
            Row(
                "Soak",
                f"{label}: RSS of {name}, after the first minute -> end",
                f"{fmt(g['start_mb'])} -> {fmt(g['end_mb'])} MB"
                + ("" if share is None else f" ({share * 100:+.1f}%)"),
                target="<= +10%",
                met=None if share is None else share <= MAX_GROWTH,
            )
        )
    return out
