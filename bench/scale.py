"""Scale-out on one machine, side by side in one bench run: the same load against one of
everything on SQLite (the embedded default, `make run`: the bench's own stack), one of
everything on PostgreSQL and Redis behind HAProxy (the cluster's stores, one replica per tier),
and two of everything (`make run-cluster`'s layout, scripts/cluster.py).

Why all three: on 2 cores a second replica cannot add speed, it adds a second model in memory
and a second interpreter competing for the same cores; the point of two is surviving a death
(tests/cluster). The first two columns give the price of the shared stores, the last two what
a second copy of each process costs. Each layout gets the same concurrency levels (stopping at
the first level past p95 1 s or with errors), the turns per second, p50/p95 and each tier's CPU
per turn. The stores are throw-away: databases of their own on 127.0.0.1:5432 (dropped after),
a Redis database of its own on 127.0.0.1:6379 with a key prefix of its own.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import cpu, issue_day, stats
from bench.report import Row, fmt
from bench.stepper import run_steps

LEVELS = {False: [10, 25, 50, 100], True: [10]}
STEP_S = {False: 45.0, True: 15.0}
P95_LIMIT_MS = 1000.0
REDIS_DB = 13  # not the database a `make run` or the tests on this machine use
DOOR_SHIFT = 100  # the cluster's doors: the bench's ports + this (replica n: door + n)
TIERS = ("rasa", "actions", "api", "haproxy")
VECTORS_WAIT_S = 180.0
WARM_UP = (5, 10.0)  # conversations, seconds


def tier_ms(ms_per_turn: dict[str, float]) -> dict[str, float]:
    """CPU ms per turn summed per tier (rasa-1 and rasa-2 are one tier), and the machine."""
    out: dict[str, float] = {}
    for name, value in ms_per_turn.items():
        tier = name.split("-", 1)[0]
        out[tier] = round(out.get(tier, 0.0) + value, 1)
    return out


def level(turns: list[dict[str, Any]], used: dict[str, Any]) -> dict[str, Any]:
    """One level's figures: the turn summary and CPU ms per turn per tier."""
    summary = stats.summarise_turns(turns)
    summary["backend_5xx"] = 0  # the stepper's rule reads it; the API log is not split here
    summary["cpu_ms_per_turn"] = tier_ms(used.get("ms_per_turn", {}))
    summary["machine_busy_pct"] = used.get("machine_busy_pct")
    return summary


def _steps(ctx: Any, rasa_url: str, pids: dict[str, int], tag: str) -> dict[str, Any]:
    seconds = STEP_S[ctx.quick]
    # every layout's first turns pay for first-use work (imports, caches, connections), a fresh
    # one more than the bench's own stack: a short load before the levels, not counted
    ctx.load(WARM_UP[0], WARM_UP[1], f"scale-{tag}-warm-up", rasa_url)

    def step(concurrency: int) -> dict[str, Any]:
        ctx.log(f"  scale {tag}: {concurrency} conversations for {seconds:.0f} s")
        before = cpu.snapshot(pids)
        since = time.monotonic()
        turns = ctx.load(concurrency, seconds, f"scale-{tag}-{concurrency}", rasa_url)["turns"]
        used = cpu.per_turn(
            before, cpu.snapshot(pids), len(turns), time.monotonic() - since, os.cpu_count() or 1
        )
        summary = level(turns, used)
        ctx.log(f"    p95 {summary['p95']} ms, {summary['errors']} errors")
        time.sleep(2)  # let queues drain before the next level
        return summary

    outcome = run_steps(step, LEVELS[ctx.quick], P95_LIMIT_MS, seconds + 15)
    return {
        "sustained": outcome.sustained,
        "stopped_because": outcome.stopped_because,
        "steps": outcome.steps,
    }


@contextmanager
def scaled(ctx: Any, replicas: int) -> Iterator[Any]:
    """The cluster's layout with `replicas` of each process, on throw-away stores, stopped and
    its databases dropped afterwards whatever happens."""
    from bench.stackrun import admin_sql, stack_env
    from scripts.cluster import Cluster, cluster_env, prepare

    if shutil.which("haproxy") is None:
        raise RuntimeError("haproxy is missing (`make system-deps` installs Debian's)")
    var_dir = ctx.stack.var_dir / f"scale-{replicas}"
    doors = {name: port + DOOR_SHIFT for name, port in ctx.stack.ports.items()}
    env = stack_env(var_dir, doors)
    name = f"shramik_bench_scale{replicas}_{int(time.time())}"
    pg = "postgresql+psycopg://postgres@127.0.0.1:5432"
    env.update(
        DATABASE_URL=f"{pg}/{name}",
        TRACKER_DB_URL=f"{pg}/{name}_rasa",
        REDIS_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
    )
    env = cluster_env(env)
    log_dir = var_dir / "log"
    log_dir.mkdir(parents=True, exist_ok=True)
    known = ctx.stack.var_dir / "knowledge"  # passage vectors by content digest: built once
    if known.is_dir():
        shutil.copytree(known, var_dir / "knowledge", dirs_exist_ok=True)
    cluster = None
    try:
        prepare(env)
        cluster = Cluster(model=ctx.stack.model, env=env, log_dir=log_dir, replicas=replicas)
        cluster.start(timeout=420, progress=lambda line: ctx.log(f"  {line}"))
        yield cluster
    finally:
        if cluster is not None:
            cluster.stop()
        for database in (name, f"{name}_rasa"):
            admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def pids_of(cluster: Any) -> dict[str, int]:
    """Each running process of a cluster by name (rasa-1, api-2, haproxy, ...)."""
    return {s.name: s.process.pid for s in cluster.services if s.process is not None}


def vectors_on_disk(var_dir: Path, timeout: float = VECTORS_WAIT_S) -> bool:
    """Until the bench stack's API has written its passage vectors (~30 s of CPU after start):
    measured before that, the first layout's turns pay for building them, and each cluster
    would build them again instead of reading them."""
    deadline = time.monotonic() + timeout
    while not any((var_dir / "knowledge").glob("vectors-*.npy")):
        if time.monotonic() > deadline:
            return False
        time.sleep(1)
    return True


def run(ctx: Any) -> dict[str, Any]:
    """The three layouts in turn, the same levels against each."""
    if not vectors_on_disk(ctx.stack.var_dir):
        ctx.log("  scale: the knowledge base's vectors are not on disk; each layout builds them")
    layouts: dict[str, Any] = {"sqlite-1": _steps(ctx, ctx.stack.rasa_url, ctx.stack.pids(), "1")}

    def guarded(tag: str, run_layout: Callable[[], dict[str, Any]]) -> None:
        try:  # a layout that cannot start is a row saying why; the others still run
            layouts[tag] = run_layout()
        except Exception as exc:
            ctx.log(f"  scale {tag}: FAILED: {type(exc).__name__}: {exc}")
            layouts[tag] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}

    def old_code() -> dict[str, Any]:
        ctx.log(f"  scale: the issue-day code ({issue_day.ISSUE_DAY[:7]}), its own model and stack")
        var_dir = ctx.stack.var_dir / "issue-day"
        with issue_day.issue_day_stack(ctx.stack.ports, var_dir) as old:
            if not vectors_on_disk(var_dir):  # its own passages: built at its start, as ours
                ctx.log("  scale issue-day: its knowledge vectors are not on disk after 180 s")
            return _steps(ctx, old["rasa_url"], old["pids"], "issue-day")

    guarded(ISSUE_DAY_TAG, old_code)
    for replicas in (1, 2):
        tag = f"postgres-redis-{replicas}"

        def cluster_steps(replicas: int = replicas, tag: str = tag) -> dict[str, Any]:
            with scaled(ctx, replicas) as cluster:
                return _steps(ctx, cluster.child_env["RASA_URL"], pids_of(cluster), tag)

        guarded(tag, cluster_steps)
    return {
        "step_seconds": STEP_S[ctx.quick],
        "p95_limit_ms": P95_LIMIT_MS,
        "issue_day": issue_day.ISSUE_DAY,
        "layouts": layouts,
    }


ISSUE_DAY_TAG = "issue-day-sqlite-1"
LABELS = {
    "sqlite-1": "one of each, SQLite (make run)",
    ISSUE_DAY_TAG: "the issue-day code, one of each, SQLite",
    "postgres-redis-1": "one of each, PostgreSQL + Redis, HAProxy",
    "postgres-redis-2": "two of each, PostgreSQL + Redis, HAProxy (make run-cluster)",
}


def per_layout(
    area: str,
    layouts: dict[str, Any],
    labels: dict[str, str],
    build: Callable[[str, dict[str, Any]], list[Row]],
) -> list[Row]:
    """Each layout's rows (`build`), or one row saying why it was not measured."""
    out: list[Row] = []
    for tag, found in layouts.items():
        label = labels.get(tag, tag)
        if found.get("error"):
            out.append(Row(area, f"{label}: not measured", found["error"]))
        else:
            out.extend(build(label, found))
    return out


def rows(scale: dict[str, Any]) -> list[Row]:
    """Per layout: what it sustained, then per level turns/s, p50/p95 and Rasa's CPU per turn."""
    return [
        *against_issue_day(scale["layouts"]),
        *per_layout("Scale-out", scale["layouts"], LABELS, _layout_rows),
    ]


def against_issue_day(layouts: dict[str, Any]) -> list[Row]:
    """Issue 22's figure: today's sustained conversations over the issue-day code's, same run."""
    today, old = layouts.get("sqlite-1") or {}, layouts.get(ISSUE_DAY_TAG) or {}
    if "sustained" not in today or "sustained" not in old:
        return []
    ratio = today["sustained"] / old["sustained"] if old["sustained"] else None
    return [
        Row(
            "Scale-out",
            "conversations sustained at p95 < 1 s, today / the issue-day code (SQLite, one of "
            "each, same run)",
            f"{today['sustained']} / {old['sustained']} = "
            + (f"{ratio:.2f}x" if ratio is not None else "-"),
            target=">= 2x",
            met=None if ratio is None else ratio >= 2,
        )
    ]


def _layout_rows(label: str, found: dict[str, Any]) -> list[Row]:
    sustained = f"{found['sustained']} ({found['stopped_because'] or 'every level held'})"
    out = [Row("Scale-out", f"{label}: conversations sustained at p95 < 1 s", sustained)]
    for step in found["steps"]:
        ms = step.get("cpu_ms_per_turn") or {}
        out.append(
            Row(
                "Scale-out",
                f"{label}: {step.get('concurrency')} conversations",
                f"{fmt(step.get('turns_per_s'), 1)} turns/s, p50/p95 {fmt(step.get('p50'))}/"
                f"{fmt(step.get('p95'))} ms, {step.get('errors', '?')} errors; CPU ms/turn "
                + ", ".join(f"{t} {fmt(ms.get(t), 1)}" for t in (*TIERS, "machine") if t in ms),
            )
        )
    return out
