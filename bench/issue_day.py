"""The code of issue 22's day, benched beside today's in the same run (the scale section).

Why: the issue asks that the conversations sustained at p95 < 1 s double against the code of
the day it was filed, "measured side by side in one bench run on the same machine". Figures from
another day's run move with the machine (the same code gave 25 on an Intel Xeon and 50 on an AMD
EPYC), so the old code is run here, now: its files at `ISSUE_DAY` are extracted with
`git archive` under `var/issue-day/<commit>/`, use this checkout's virtual environments (same
Rasa, same libraries), train their own model with their own `scripts/train_model.py` (once per
commit: ~2.5 min, kept for later runs), and start their own bench stack (their own
`bench/stackrun.BenchStack`, SQLite as `make run` then) on ports of their own. A small driver in
the old tree prints the stack's Rasa address and process ids as one JSON line, then holds the
stack until its standard input closes.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# main when issue 22 was filed: the code whose figures it quotes (README speed table of
# 2026-12-01: 25 conversations on an Intel Xeon, 50 on an AMD EPYC)
ISSUE_DAY = "006f0489327ce25e1c729067a95565773fb7518a"
PORT_SHIFT = 200  # beside the bench's own ports and the scale section's doors (+100)
TRAIN_TIMEOUT_S = 1800
START_TIMEOUT_S = 420
VENVS = (".venv", ".venv-bot")

# Runs inside the old tree (its own bench package): start, announce, hold, stop.
DRIVER = """
import json, sys
from pathlib import Path
from bench.stackrun import BenchStack
model, var_dir, ports = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
stack = BenchStack(model=model, var_dir=var_dir, ports=ports)
try:
    stack.prepare()
    stack.start(timeout=float(sys.argv[4]))
    print(json.dumps({"rasa_url": stack.rasa_url, "pids": stack.pids()}), flush=True)
    sys.stdin.read()
finally:
    stack.stop()
"""


def extract(commit: str, dest: Path, root: Path = ROOT) -> Path:
    """The tracked files of `commit` under `dest` (once: a `.commit` file marks a whole copy),
    with links to `root`'s virtual environments."""
    marker = dest / ".commit"
    if not (marker.exists() and marker.read_text().strip() == commit):
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(root), "archive", "--format=tar", commit],
            check=True,
            capture_output=True,
            timeout=120,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
        marker.write_text(commit)
    for venv in VENVS:
        link = dest / venv
        if not link.exists() and (root / venv).exists():
            link.symlink_to(root / venv)
    return dest


def old_env() -> dict[str, str]:
    """This process's environment without what names today's stack (the old code sets its own)."""
    drop = ("DATABASE_", "RASA_", "VAR_DIR", "MODEL_", "REDIS_", "TRACKER_", "PYTHONPATH")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


def train(tree: Path) -> Path:
    """The old tree's model, trained by its own script if missing; its path."""
    python = str(tree / ".venv" / "bin" / "python")
    trained = subprocess.run(
        [python, "scripts/train_model.py"],
        cwd=tree,
        env=old_env(),
        capture_output=True,
        text=True,
        timeout=TRAIN_TIMEOUT_S,
    )
    if trained.returncode != 0:  # the bench's row says why, not only an exit status
        raise RuntimeError(f"its training failed: {(trained.stderr or trained.stdout)[-400:]}")
    found = subprocess.run(
        [python, "-c", "from scripts.train_model import model_path; print(model_path())"],
        cwd=tree,
        env=old_env(),
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return Path(found.stdout.strip().splitlines()[-1])


def announced(line: str) -> dict[str, Any]:
    """The driver's first line: {"rasa_url": ..., "pids": {...}}, or why the stack did not start."""
    if not line.strip():
        raise RuntimeError("the issue-day stack stopped before it answered")
    found = json.loads(line)
    if not isinstance(found, dict) or "rasa_url" not in found:
        raise RuntimeError(f"the issue-day driver said {line[:200]!r}")
    return found


@contextmanager
def issue_day_stack(
    ports: dict[str, int], var_dir: Path, commit: str = ISSUE_DAY
) -> Iterator[dict[str, Any]]:
    """The old code's stack on `ports` + PORT_SHIFT; yields its Rasa URL and process ids."""
    tree = extract(commit, ROOT / "var" / "issue-day" / commit[:12])
    model = train(tree)
    var_dir.mkdir(parents=True, exist_ok=True)
    shifted = {name: port + PORT_SHIFT for name, port in ports.items()}
    log = (var_dir / "driver.log").open("w")
    python = str(tree / ".venv" / "bin" / "python")
    driver = subprocess.Popen(
        [python, "-c", DRIVER, str(model), str(var_dir), json.dumps(shifted), str(START_TIMEOUT_S)],
        cwd=tree,
        env=old_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        start_new_session=True,  # on a hang, its whole group is killed, not the driver alone
    )
    try:
        assert driver.stdout is not None
        yield announced(driver.stdout.readline())
    finally:
        if driver.stdin is not None:
            driver.stdin.close()
        try:
            driver.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(driver.pid, signal.SIGKILL)
            driver.wait(timeout=10)
        log.close()


if __name__ == "__main__":  # `python -m bench.issue_day`: extract and train only
    print(train(extract(ISSUE_DAY, ROOT / "var" / "issue-day" / ISSUE_DAY[:12])), file=sys.stdout)
