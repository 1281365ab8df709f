"""CPU time per turn of each process, over one load window: where a 2-core machine's capacity goes.

Latency says how long a caller waits; it does not say which process used the cores. Reading each
service's CPU seconds (its own and its children's, psutil) before and after a load window, and
the machine's busy seconds, gives milliseconds of CPU per answered turn: the figure to shrink
when the stack tops out (`make bench` load steps), and the share the load generator leaves.
"""

from __future__ import annotations

from typing import Any

from bench.memory import tree_total

MACHINE = "machine"


def tree_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of a process and its live descendants; None when it is gone."""

    def used(proc: Any) -> float:
        times = proc.cpu_times()
        return float(times.user + times.system)

    return tree_total(pid, used)


def machine_busy_s() -> float:
    """Seconds all cores spent not idle (and not waiting for the disk) since boot."""
    import psutil

    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    return sum(times) - idle


def snapshot(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far of each named process tree, and of the whole machine."""
    taken = {name: tree_cpu_s(pid) for name, pid in pids.items()}
    out = {name: value for name, value in taken.items() if value is not None}
    out[MACHINE] = machine_busy_s()
    return out


def per_turn(
    before: dict[str, float], after: dict[str, float], turns: int, seconds: float, cores: int
) -> dict[str, Any]:
    """CPU ms per turn of each process and of the machine, and how busy the machine was (%)."""
    if turns <= 0 or seconds <= 0:
        return {}
    used = {name: after[name] - before[name] for name in after if name in before}
    result: dict[str, Any] = {
        "ms_per_turn": {name: round(1000 * value / turns, 1) for name, value in used.items()},
    }
    if MACHINE in used and cores > 0:
        result["machine_busy_pct"] = round(100 * used[MACHINE] / (seconds * cores), 1)
    return result
