"""Load generator, run as its own process: `python -m bench.loadgen SPEC.json OUT.json`.

Why a separate process: the client must not share the bench's interpreter (or its GIL) with the
samplers, and on 2 cores its own CPU use is part of the picture, so it is kept small (asyncio,
one httpx client). Every run is bounded in time (`duration_s`) and count (`max_turns`); each
virtual user plays whole conversations with fresh sender ids, pausing `think_time_s` between an
answer and the next message. The pause is drawn uniformly from 0.5-1.5 times `think_time_s` (seeded
per user): people do not answer in lockstep, and a fixed pause made every user re-arrive in one
wave (the server finishes a burst together, so the whole burst comes back together), which
measured the generator rather than the stack. An empty answer counts as an error: Rasa answers `[]`
when it lost a lock or an action failed, and a caller hears silence.

`run_load(spec)` starts the process from the bench and returns its turn records.
"""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


async def _user(
    index: int, spec: dict[str, Any], client: Any, deadline: float, records: list[dict[str, Any]]
) -> None:
    conversations = spec["conversations"]
    think = float(spec.get("think_time_s", 1.0))
    rng = random.Random(index)
    await asyncio.sleep(rng.uniform(0, think))  # stagger so N users do not arrive as one spike
    round_no = 0
    while time.monotonic() < deadline:
        conversation = conversations[(index + round_no) % len(conversations)]
        sender = f"{spec.get('sender_prefix', 'bench')}-{index}-{round_no}"
        round_no += 1
        for turn_no, turn in enumerate(conversation["turns"]):
            if time.monotonic() >= deadline or len(records) >= spec.get("max_turns", 100_000):
                return
            record = await _send(client, spec, sender, turn, conversation["name"], turn_no)
            records.append(record)
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))


async def _send(
    client: Any, spec: dict[str, Any], sender: str, turn: dict[str, Any], name: str, turn_no: int
) -> dict[str, Any]:
    import httpx

    body = {"sender": sender, "message": turn["text"], "metadata": turn.get("metadata") or {}}
    started_wall = time.time()
    started = time.perf_counter()
    error = None
    try:
        answer = await client.post(spec["url"], json=body)
        if answer.status_code != 200:
            error = f"http_{answer.status_code}"
        elif not answer.json():
            error = "empty_reply"
    except httpx.TimeoutException:
        error = "timeout"
    except (httpx.HTTPError, ValueError) as exc:
        error = f"{type(exc).__name__}"
    return {
        "scenario": name,
        "turn": turn_no,
        "start": started_wall,
        "ms": round((time.perf_counter() - started) * 1000, 2),
        "ok": error is None,
        "error": error,
    }


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    import httpx

    records: list[dict[str, Any]] = []
    limits = httpx.Limits(max_connections=spec["concurrency"] + 5, max_keepalive_connections=None)
    timeout = httpx.Timeout(float(spec.get("request_timeout_s", 10.0)))
    started = time.monotonic()
    deadline = started + float(spec["duration_s"])
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        users = [_user(i, spec, client, deadline, records) for i in range(int(spec["concurrency"]))]
        await asyncio.gather(*users)
    return {
        "concurrency": spec["concurrency"],
        "duration_s": round(time.monotonic() - started, 2),
        "turns": records,
    }


def main(argv: list[str] | None = None) -> int:
    spec_path, out_path = (sys.argv[1:] if argv is None else argv)[:2]
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    result = asyncio.run(run(spec))
    Path(out_path).write_text(json.dumps(result), encoding="utf-8")
    return 0


def run_load(spec: dict[str, Any], python: str = sys.executable) -> dict[str, Any]:
    """Run one bounded load in a subprocess; a hung generator is killed after its time box."""
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        spec_file, out_file = Path(tmp) / "spec.json", Path(tmp) / "out.json"
        spec_file.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        box = float(spec["duration_s"]) + float(spec.get("request_timeout_s", 10.0)) + 30
        proc = subprocess.run(
            [python, "-m", "bench.loadgen", str(spec_file), str(out_file)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=box,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"load generator failed: {proc.stderr[-2000:]}")
        result: dict[str, Any] = json.loads(out_file.read_text(encoding="utf-8"))
        return result


if __name__ == "__main__":
    sys.exit(main())
