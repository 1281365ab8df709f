"""`python -m bench [--only nlu,latency,...] [--quick]`: run the benchmarks, print one table.

Order matters on 2 cores: NLU training and scoring, the casework, knowledge-base and importer
sections run before the stack starts, so they do not compete with it; then one stack is started
(that start is the cold-start figure), every stack section runs against it, and it is stopped at
the end whatever happens (finally + SIGTERM). Every step is bounded in time. The scripted
conversations (bench/conversations/) run first, on the fresh stack, under a bound of their own; the
other stack sections then share a time box (`--budget-s`, 15 min; quick 5 min) that the load stepper
respects; training a model whose inputs changed (the stock baseline takes ~30 min on 2 cores)
comes on top, once per change of the training data.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import report

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
WORK_DIR = ROOT / "var" / "bench"
SECTIONS = (
    "nlu",
    "casework",
    "kb",
    "importer",
    "conversations",
    "latency",
    "load",
    "voice",
    "memory",
    "efficiency",
    "coldstart",
    "scale",
    "soak",
)
STACK_SECTIONS = frozenset(SECTIONS) - {"nlu", "casework", "kb", "importer"}


def parse_only(value: str | None) -> list[str]:
    """`--only a,b` -> the sections in run order; unknown names are an error."""
    if not value:
        return list(SECTIONS)
    wanted = [v.strip() for v in value.split(",") if v.strip()]
    unknown = sorted(set(wanted) - set(SECTIONS))
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}"
        )
    return [s for s in SECTIONS if s in wanted]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def guarded(name: str, action: Callable[[], Any]) -> Any:
    """Run one section; a failure becomes `{"error": ...}` so the others still run."""
    started = time.monotonic()
    log(f"{name}: start")
    try:
        result = action()
    except Exception as exc:
        log(f"{name}: FAILED: {type(exc).__name__}: {exc}")
        result = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    log(f"{name}: done in {time.monotonic() - started:.0f} s")
    return result


def machine() -> dict[str, Any]:
    """What the figures were measured on (cores first: read results as ratios)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        import psutil

        ram_gb = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "machine": f"{cpu} ({platform.system()} {platform.release()})",
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "python": platform.python_version(),
        "commit": commit,
    }


def _stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so `finally` stops the stack."""

    def _raise(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, _raise)


def _fresh_run_dir() -> Path:
    """A new var dir per run (fresh DB, trackers, logs); older runs beyond two are removed."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    runs = sorted(WORK_DIR.glob("run-*"))
    for old in runs[:-2]:
        shutil.rmtree(old, ignore_errors=True)
    run_dir = WORK_DIR / f"run-{datetime.now():%Y%m%d-%H%M%S}"
    run_dir.mkdir()
    return run_dir


def _time_model_check() -> float:
    """Seconds `make model` takes when the model is already trained (part of `make run`)."""
    from scripts.stack import APP_PYTHON

    started = time.monotonic()
    subprocess.run(
        [str(APP_PYTHON), "scripts/train_model.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return round(time.monotonic() - started, 2)


def run_stack_sections(
    sections: list[str], args: argparse.Namespace, results: dict[str, Any], budget: float
) -> None:
    from bench import scenarios
    from bench import sections as sec
    from bench.memory import RssSampler
    from bench.stackrun import BenchStack
    from scripts.train_model import train

    model = train(quiet=True)  # reused when trained from the same inputs
    model_check_s = _time_model_check() if "coldstart" in sections else None
    deadline = time.monotonic() + budget
    from bench.stackrun import PORTS

    ports = {name: port + args.port_offset for name, port in PORTS.items()}
    bench_stack = BenchStack(model=model, var_dir=_fresh_run_dir(), ports=ports, database=args.db)
    results["meta"]["database"] = args.db
    sampler: RssSampler | None = None
    try:
        log(f"preparing a fresh database in {bench_stack.var_dir.relative_to(ROOT)}")
        bench_stack.prepare()
        log(f"starting the stack on ports {bench_stack.ports}")
        bench_stack.start(timeout=300, progress=lambda line: log(f"  {line}"))
        if "coldstart" in sections:
            results["coldstart"] = {**bench_stack.timings, "model_check_s": model_check_s}
        sampler = RssSampler(bench_stack.pids()).start()
        script = scenarios.load()
        results["meta"]["think_time_s"] = script.think_time_s
        ctx = sec.Context(bench_stack, script, args.quick, deadline, log)
        if "conversations" in sections:  # first, on the fresh stack; bounded on its own
            results["conversations"] = guarded("conversations", lambda: sec.conversations(ctx))
            ctx.deadline = time.monotonic() + budget
        if "latency" in sections:
            latency = guarded("latency", lambda: sec.latency(ctx))
            results["profile"] = latency.pop("profile", None) if "error" not in latency else None
            results["latency"] = latency
        if "voice" in sections:
            results["voice"] = guarded("voice", lambda: sec.voice(ctx))
        if "efficiency" in sections:
            results["efficiency"] = guarded("efficiency", lambda: sec.efficiency(ctx))
        if "load" in sections:
            results["load"] = guarded("load", lambda: sec.load(ctx))
        if "memory" in sections:
            results["memory"] = sampler.snapshot()
        if "scale" in sections:  # its own clusters, each level bounded: after the time box
            from bench import scale

            results["scale"] = guarded("scale", lambda: scale.run(ctx))
        if "soak" in sections:  # last: 30 minutes per layout, after the time box of the others
            from bench import soak

            layouts = tuple(v.strip() for v in args.soak_on.split(",") if v.strip())
            results["soak"] = guarded("soak", lambda: soak.run(ctx, layouts))
    finally:
        if sampler is not None:
            sampler.stop()
        log("stopping the stack")
        bench_stack.stop()


def write_outputs(results: dict[str, Any], out_dir: Path = OUT_DIR) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    text = json.dumps(results, ensure_ascii=False, indent=1, default=str)
    path = out_dir / f"bench-{stamp}.json"
    path.write_text(text, encoding="utf-8")
    (out_dir / "latest.json").write_text(text, encoding="utf-8")
    (out_dir / "latest.md").write_text(report.render_markdown(results), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--only", type=parse_only, default=list(SECTIONS), help=",".join(SECTIONS))
    parser.add_argument("--quick", action="store_true", help="short durations (smoke run)")
    parser.add_argument(
        "--budget-s", type=float, default=None, help="time box of the stack sections (900 s)"
    )
    parser.add_argument(
        "--port-offset", type=int, default=0, help="add to the ports 28000/25055/25005"
    )
    parser.add_argument(
        "--db",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="backend database: SQLite as `make run` (default) or PostgreSQL as production",
    )
    parser.add_argument(
        "--soak-on",
        default="sqlite,cluster",
        help="the soak's layouts, in turn: sqlite (one of each), cluster (two of each)",
    )
    args = parser.parse_args(argv)
    sections: list[str] = args.only
    budget = args.budget_s or (300.0 if args.quick else 900.0)
    started = time.monotonic()
    _stop_on_sigterm()
    results: dict[str, Any] = {
        "meta": {
            "date": datetime.now().astimezone().isoformat(timespec="seconds"),
            "quick": args.quick,
            "sections": sections,
            **machine(),
        }
    }
    interrupted = False
    try:
        if "nlu" in sections:
            from bench import nlu

            results["nlu"] = guarded(
                "nlu", lambda: nlu.run(WORK_DIR, quick=args.quick, log=lambda m: log(f"  {m}"))
            )
        if "casework" in sections:
            from bench import casework

            results["casework"] = guarded(
                "casework", lambda: casework.run(quick=args.quick, log=lambda m: log(f"  {m}"))
            )
        if "kb" in sections:
            from bench import kb

            results["kb"] = guarded(
                "kb", lambda: kb.run(quick=args.quick, log=lambda m: log(f"  {m}"))
            )
        if "importer" in sections:
            from bench import importer

            results["importer"] = guarded(
                "importer", lambda: importer.run(quick=args.quick, log=lambda m: log(f"  {m}"))
            )
        if STACK_SECTIONS & set(sections):
            try:
                run_stack_sections(sections, args, results, budget)
            except (RuntimeError, TimeoutError, subprocess.SubprocessError, OSError) as exc:
                log(f"the stack could not be run: {exc}")
                for name in STACK_SECTIONS & set(sections):
                    results.setdefault(name, {"error": f"stack not started: {str(exc)[:200]}"})
    except KeyboardInterrupt:
        interrupted = True
        log("interrupted; writing what was measured")
    results["meta"]["duration_s"] = round(time.monotonic() - started)
    path = write_outputs(results)
    print(report.markdown_table(report.rows(results)))
    print()
    print(report.header(results["meta"]))
    log(f"wrote {path.relative_to(ROOT)}, bench/out/latest.json and bench/out/latest.md")
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
