"""Latency statistics: numpy's percentiles, summarised for the bench reports."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100), interpolated linearly between ranks (numpy's default).

    Why interpolation: with a few hundred samples a nearest-rank p99 jumps between neighbours,
    which makes two runs look more different than they are.
    """
    if not values:
        return math.nan
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be within 0..100, got {p}")
    return float(np.percentile(np.asarray(values, dtype=float), p))


def summarise(latencies_ms: Iterable[float]) -> dict[str, Any]:
    """n, mean, p50, p95, p99 and max of a list of latencies (ms), rounded for reports."""
    values = list(latencies_ms)
    if not values:
        return {"n": 0, "mean": None, "p50": None, "p95": None, "p99": None, "max": None}
    return {
        "n": len(values),
        "mean": round(sum(values) / len(values), 1),
        "p50": round(percentile(values, 50), 1),
        "p95": round(percentile(values, 95), 1),
        "p99": round(percentile(values, 99), 1),
        "max": round(max(values), 1),
    }


def summarise_turns(turns: list[dict[str, Any]]) -> dict[str, Any]:
    """Summary of load-generator turn records: latency of all turns, errors, throughput.

    A turn record is `{"scenario", "turn", "start", "ms", "ok", "error"}`; failed turns count as
    errors and are left out of the latency figures (their time is a timeout, not a latency).
    """
    ok = [t["ms"] for t in turns if t["ok"]]
    errors = [t for t in turns if not t["ok"]]
    summary = summarise(ok)
    summary["errors"] = len(errors)
    kinds: dict[str, int] = {}
    for turn in errors:
        kind = str(turn.get("error") or "error").split(":", 1)[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    summary["error_kinds"] = kinds
    if turns:
        span = max(t["start"] + t["ms"] / 1000 for t in turns) - min(t["start"] for t in turns)
        summary["turns_per_s"] = round(len(turns) / span, 1) if span > 0 else None
    else:
        summary["turns_per_s"] = None
    return summary


def by_key(turns: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    """`summarise_turns` per value of `key` (e.g. per scenario)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for turn in turns:
        groups.setdefault(str(turn.get(key)), []).append(turn)
    return {name: summarise_turns(group) for name, group in sorted(groups.items())}
