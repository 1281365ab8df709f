"""Peak resident memory of the stack's processes, sampled in a background thread (psutil).

RSS of a service includes its children (uvicorn/rasa may fork helpers). Sampling every half
second misses spikes shorter than that; for a server that holds a model in memory the peak is a
plateau, so this is enough, and it costs the measured processes nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


def tree_total(pid: int, read: Callable[[Any], float]) -> float | None:
    """`read(process)` summed over a process and all its descendants; None when it is gone.
    A descendant that ends while being read counts nothing."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return None
    total = 0.0
    for proc in procs:
        try:
            total += read(proc)
        except psutil.Error:
            continue
    return total


def tree_rss_mb(pid: int) -> float | None:
    """RSS in MB of a process plus all its descendants; None when the process is gone."""
    total = tree_total(pid, lambda proc: proc.memory_info().rss)
    return None if total is None else total / (1024 * 1024)


class RssSampler:
    """Samples named process trees until stopped; keeps each one's peak and last value."""

    def __init__(self, pids: dict[str, int], interval_s: float = 0.5) -> None:
        self.pids = dict(pids)
        self.interval_s = interval_s
        self.peak_mb: dict[str, float] = {}
        self.last_mb: dict[str, float] = {}
        self.peak_total_mb = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def sample(self) -> None:
        total = 0.0
        for name, pid in self.pids.items():
            rss = tree_rss_mb(pid)
            if rss is None:
                continue
            total += rss
            with self._lock:
                self.last_mb[name] = rss
                self.peak_mb[name] = max(self.peak_mb.get(name, 0.0), rss)
        with self._lock:
            self.peak_total_mb = max(self.peak_total_mb, total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval_s)

    def start(self) -> RssSampler:
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "peak_mb": {k: round(v, 1) for k, v in self.peak_mb.items()},
                "last_mb": {k: round(v, 1) for k, v in self.last_mb.items()},
                "peak_total_mb": round(self.peak_total_mb, 1),
            }


def watch_peak(pid: int, interval_s: float = 0.5) -> RssSampler:
    """A sampler for one process tree (e.g. a training run), already started."""
    return RssSampler({"process": pid}, interval_s).start()


def wait_and_sample(proc: Any, sampler: RssSampler, timeout: float) -> int:
    """Wait for a Popen while the sampler runs; kill it after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None:
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            raise TimeoutError(f"process {proc.pid} still running after {timeout:.0f} s")
        time.sleep(0.2)
    return int(proc.returncode)
