"""Where the time goes: py-spy samples of the running services, and per-hop timings.

py-spy samples a process from outside (no code change, `--nonblocking` so the target is never
paused); `--format raw` writes collapsed stacks, one `frame;frame;... count` line per distinct
stack, which `top_frames` turns into inclusive and self shares. The API logs one JSON line per
request with `duration_ms` (api/web/middleware.py): `api_hops` turns them into per-route timings,
the backend hop of a turn.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from bench.stats import summarise

# Code we own: a (shortened) frame from these folders is ours, anything else is a library.
OWN_CODE = re.compile(r"\((?:actions|api|voice|bot|locales|rasa_sdk_plugins|scripts)/")
# Rasa's server has next to no code of ours: there the interesting frames are Rasa's own work
# (NLU, policies, actions, tracker store), not the event loop that runs them.
RASA_WORK = re.compile(
    r"\((?:rasa/(?!core/run\.py|core/agent\.py|core/channels/)"
    r"(?:core|nlu|shared|engine|graph_components|utils)|bot)/"
)
FOCUS = {"rasa": RASA_WORK}
_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^():]+)(?::(?P<line>\d+))?\)$")


def parse_collapsed(lines: Iterable[str]) -> list[tuple[list[str], int]]:
    """`a;b;c 12` lines -> ([a, b, c], 12); malformed lines are skipped."""
    stacks = []
    for line in lines:
        line = line.rstrip("\n")
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        stacks.append((stack.split(";"), int(count)))
    return stacks


def short_frame(frame: str) -> str:
    """`handle (<repo>/.venv/lib/python3.11/site-packages/httpx/_client.py:12)` ->
    `handle (httpx/_client.py)`: the line number and the install prefix only add noise."""
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match.group("file")
    repo = f"{Path(__file__).resolve().parents[1]}/"  # the checkout, wherever it lies
    for marker in ("site-packages/", "lib/python3.11/", repo):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{match.group('func')} ({path})"


def top_frames(
    stacks: list[tuple[list[str], int]], limit: int = 8, keep: re.Pattern[str] | None = None
) -> dict[str, Any]:
    """Inclusive share (frame anywhere in the stack, counted once per stack) and self share
    (frame at the top of the stack) of the sampled CPU time, largest first. `keep` limits the
    inclusive list to matching frames; py-spy's `process N: ...` root frames are dropped."""
    total = sum(count for _, count in stacks)
    inclusive: Counter[str] = Counter()
    own_self: Counter[str] = Counter()
    for frames, count in stacks:
        names = [short_frame(f) for f in frames if not f.startswith("process ")]
        kept = [n for n in names if keep is None or keep.search(n)]
        for name in set(kept):
            inclusive[name] += count
        if names:
            own_self[names[-1]] += count
    share = (lambda c: round(100 * c / total, 1)) if total else (lambda c: 0.0)
    return {
        "samples": total,
        "inclusive": [{"frame": f, "pct": share(c)} for f, c in inclusive.most_common(limit)],
        "self": [{"frame": f, "pct": share(c)} for f, c in own_self.most_common(limit)],
    }


def py_spy() -> str | None:
    """The py-spy executable next to this interpreter, or on PATH."""
    local = Path(sys.executable).parent / "py-spy"
    return str(local) if local.exists() else shutil.which("py-spy")


def start_recording(pid: int, seconds: float, out: Path, rate: int = 50) -> subprocess.Popen[bytes]:
    """py-spy on one process tree for `seconds`; returns the running recorder."""
    exe = py_spy()
    if exe is None:
        raise FileNotFoundError("py-spy is not installed (pip install py-spy)")
    command = [
        exe,
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(max(1, int(seconds))),
        "--rate",
        str(rate),
        "--format",
        "raw",
        "--nonblocking",
        "--subprocesses",
        "--output",
        str(out),
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def finish_recording(
    proc: subprocess.Popen[bytes], out: Path, timeout: float, focus: re.Pattern[str] = OWN_CODE
) -> dict[str, Any]:
    """Wait for a recorder and summarise what it wrote (all frames, and the focus frames)."""
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    if not out.exists():
        message = (err or b"").decode(errors="replace").strip().splitlines()
        return {"error": message[-1] if message else "py-spy wrote nothing"}
    stacks = parse_collapsed(out.read_text(encoding="utf-8", errors="replace").splitlines())
    return {"all": top_frames(stacks), "focus": top_frames(stacks, keep=focus)}


_ROUTE_IDS = re.compile(r"/(?:\d+|[0-9a-f]{8,}|[A-Z]{2}[0-9a-f]{32})(?=/|$)")


def api_hops(
    lines: Iterable[str], since: float = 0.0, until: float = float("inf")
) -> dict[str, Any]:
    """Per-route latency of the API from its JSON access log, between two epoch times.

    Lines that are not JSON access lines are ignored; ids in paths are folded (`/x/12` ->
    `/x/{id}`) so one route is one row.
    """
    per_route: dict[str, list[float]] = {}
    for record in _access_records(lines, since, until, keep_undated=True):
        message = str(record.get("msg", ""))
        route = message.split(" -> ", 1)[0]
        route = _ROUTE_IDS.sub("/{id}", route.split("?", 1)[0])
        per_route.setdefault(route, []).append(float(record["duration_ms"]))
    return {route: summarise(values) for route, values in sorted(per_route.items())}


def api_status_counts(lines: Iterable[str], since: float, until: float) -> dict[str, int]:
    """HTTP status classes the API answered between two epoch times, e.g. {"2xx": 90, "5xx": 3}.

    Why: the action server turns a backend 500 into a polite "system not answering" reply, which
    the REST channel delivers as a normal answer; only the API's log shows the failure.
    """
    counts: Counter[str] = Counter()
    for record in _access_records(lines, since, until, keep_undated=False):
        status = str(record.get("msg", "")).rsplit("-> ", 1)[-1].strip()
        if status.isdigit():
            counts[f"{status[0]}xx"] += 1
    return dict(sorted(counts.items()))


def _access_records(
    lines: Iterable[str], since: float, until: float, *, keep_undated: bool
) -> Iterator[dict[str, Any]]:
    """The API's JSON access lines (those with `duration_ms`) logged between two epoch times;
    `keep_undated`: also those without a readable time."""
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict) or "duration_ms" not in record:
            continue
        when = _epoch(record.get("ts"))
        if when is None and not keep_undated:
            continue
        if when is not None and not since <= when <= until:
            continue
        yield record


def _epoch(ts: Any) -> float | None:
    from datetime import datetime

    if isinstance(ts, int | float):
        return float(ts)
    if isinstance(ts, str):
        try:
            return datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    return None
