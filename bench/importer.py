"""Legacy importer: the real command (`python -m api.importer`) on generated registers of
100 000 rows (quick: 5 000), on a fresh SQLite database (the product's default).

Each run is its own process, so its peak memory (its own VmHWM, read as it exits) is the
importer's alone and its time includes start-up, as an operator sees it. A run on a 100-row file
gives the floor: streaming shows as a peak that does not grow with the file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZE = {False: 100_000, True: 5_000}


# The child reports its own peak (VmHWM): ru_maxrss would carry the bench process's peak, which
# Linux keeps across fork and exec.
WRAPPER = """
import runpy, sys
sys.argv = ["api.importer", *sys.argv[1:]]
try:
    runpy.run_module("api.importer", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as status:
        sys.stderr.write("".join(line for line in status if line.startswith("VmHWM")))
"""


def run_import(args: list[str], env: dict[str, str], out: Path) -> dict[str, Any]:
    """One import process: seconds, peak resident MB, exit code and its closing line."""
    err = out.with_suffix(".err")
    started = time.monotonic()
    with out.open("w") as stdout, err.open("w") as stderr:
        done = subprocess.run(  # our own module, fixed arguments
            [sys.executable, "-c", WRAPPER, *args],
            cwd=ROOT,
            env=env,
            stdout=stdout,
            stderr=stderr,
            check=False,
        )
    seconds = time.monotonic() - started
    lines = out.read_text(encoding="utf-8").splitlines()
    problems = err.read_text(encoding="utf-8").splitlines()
    peak = [line.split()[1] for line in problems if line.startswith("VmHWM")]
    said = [line for line in problems if not line.startswith("VmHWM")] or lines
    return {
        "s": round(seconds, 2),
        "peak_mb": round(int(peak[0]) / 1024, 1) if peak else None,  # kB
        "exit": done.returncode,
        "said": (lines if done.returncode == 0 else said)[-1:][0] if (lines or said) else "",
        "printed_lines": len(lines),
    }


def run(
    quick: bool = False, log: Callable[[str], None] = print, rows: int | None = None
) -> dict[str, Any]:
    from api.db.migrate import upgrade
    from bench.importer_data import write

    size = rows or SIZE[quick]
    with tempfile.TemporaryDirectory(prefix="bench-importer-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.db'}"
        env = {**os.environ, "DATABASE_URL": url, "DEMO_MODE": "true", "PYTHONPATH": str(ROOT)}
        upgrade(url)
        files: dict[str, tuple[Path, int]] = {}
        started = time.monotonic()
        for kind, changed in (("workers", False), ("nominees", False), ("claims", False),
                              ("pensions", False), ("workers", True)):  # fmt: skip
            path = folder / f"{kind}{'-changed' if changed else ''}.csv"
            write(path, kind, size, changed=changed)
            with path.open(encoding="utf-8") as handle:
                lines = sum(1 for _ in handle) - 1
            files[path.stem] = (path, lines)
        small = folder / "small.csv"
        write(small, "workers", 100)
        log(f"  importer: {size:,} rows generated in {time.monotonic() - started:.0f} s")
        steps = (
            ("floor_100_rows", [str(small), "--dry-run"], 100),
            ("workers", [str(files["workers"][0])], files["workers"][1]),
            ("workers_dry_run_changed", [str(files["workers-changed"][0]), "--dry-run"],
             files["workers-changed"][1]),
            ("workers_reimport_changed", [str(files["workers-changed"][0])],
             files["workers-changed"][1]),
            ("nominees", [str(files["nominees"][0])], files["nominees"][1]),
            ("claims", [str(files["claims"][0])], files["claims"][1]),
            ("pensions", [str(files["pensions"][0])], files["pensions"][1]),
        )  # fmt: skip
        out: dict[str, Any] = {"rows": size, "database": "sqlite"}
        for name, args, count in steps:
            result = run_import(args, env, folder / f"{name}.out")
            result["rows"] = count
            result["rows_per_s"] = round(count / result["s"]) if result["s"] else None
            out[name] = result
            log(f"  importer: {name}: {count:,} rows in {result['s']} s, {result['peak_mb']} MB")
    return out


STEPS = (
    ("workers", "workers + enrollments, new"),
    ("workers_dry_run_changed", "dry run of a changed copy (every fate printed)"),
    ("workers_reimport_changed", "re-import of the changed copy (upsert)"),
    ("nominees", "nominees, new"),
    ("claims", "claims, new (each a case)"),
    ("pensions", "pensions, new"),
)


def rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(measure, figure) for the report table."""
    floor = (data.get("floor_100_rows") or {}).get("peak_mb")
    out = []
    for key, label in STEPS:
        s = data.get(key) or {}
        ok = "" if s.get("exit") == 0 else f", exit {s.get('exit')}"
        out.append(
            (
                f"importer: {label}, {s.get('rows', 0):,} rows ({data.get('database')})",
                f"{s.get('s')} s ({s.get('rows_per_s')} rows/s), peak {s.get('peak_mb')} MB"
                f" (100-row file: {floor} MB){ok}",
            )
        )
    return out
