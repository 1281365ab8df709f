"""Aggregate played conversations: share finished, turns, misses and hand-overs per task.

Per language and channel (the issue's targets are per language on chat, and keypad vs speech on
the phone), per failure pattern, per task, and the list of conversations that did not finish
with where they went off and their last replies. Pure functions of the results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from bench.conversations.records import Result
from bench.conversations.schema import CHANNELS, LANGUAGES, PATTERNS, TASKS

TARGET_FINISHED = 0.95
MAX_MISSES_PER_TASK = 1
NOT_RUN = "not run:"


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def cell(results: list[Result]) -> dict[str, Any]:
    """The scores of a group of played conversations."""
    finished = [r for r in results if r.finished]
    n = len(results)
    return {
        "n": n,
        "finished": len(finished),
        "share": round(len(finished) / n, 3) if n else None,
        "turns_finished": _mean([r.turns for r in finished]),
        "turns_all": _mean([r.turns for r in results]),
        "misses": _mean([r.misses for r in results]),
        "over_one_miss": sum(1 for r in results if r.misses > MAX_MISSES_PER_TASK),
        "handovers": _mean([r.handovers for r in results]),
        "failures": sum(r.failures for r in results),
        "errors": sum(1 for r in results if r.error),
    }


def _group(
    results: list[Result], key: Callable[[Result], Any], order: Iterable[Any]
) -> list[tuple[Any, dict[str, Any]]]:
    out = []
    for value in order:
        members = [r for r in results if key(r) == value]
        if members:
            out.append((value, cell(members)))
    return out


def last_replies(result: Result, count: int = 2, width: int = 240) -> list[str]:
    played = [e for e in result.transcript if not e.skipped and e.replies]
    texts = [" / ".join(e.replies) for e in played[-count:]]
    return [" ".join(t.split())[:width].replace("|", "\\|") for t in texts]


def summarise(results: list[Result]) -> dict[str, Any]:
    played = [r for r in results if not (r.error or "").startswith(NOT_RUN)]
    pairs = [(lang, ch) for lang in LANGUAGES for ch in CHANNELS]
    by_pattern: dict[str, dict[str, Any]] = {}
    for pattern in PATTERNS:
        rows = _group([r for r in played if pattern in r.patterns], lambda r: r.language, LANGUAGES)
        if rows:
            by_pattern[pattern] = dict(rows)
    return {
        "total": cell(played),
        "not_run": [r.id for r in results if r not in played],
        "by_language_channel": [
            {"language": lang, "channel": ch, **c}
            for (lang, ch), c in _group(played, lambda r: (r.language, r.channel), pairs)
        ],
        "by_language": dict(_group(played, lambda r: r.language, LANGUAGES)),
        "by_channel": dict(_group(played, lambda r: r.channel, CHANNELS)),
        "by_task": dict(_group(played, lambda r: r.task, TASKS)),
        "by_pattern": by_pattern,
        "not_finished": [
            {
                "id": r.id,
                "language": r.language,
                "channel": r.channel,
                "task": r.task,
                "patterns": r.patterns,
                "went_off": r.went_off,
                "failed_checks": r.failed_checks,
                "last_replies": last_replies(r),
            }
            for r in played
            if not r.finished
        ],
    }


def _pct(c: dict[str, Any]) -> str:
    return f"{c['finished']}/{c['n']} ({c['share'] * 100:.0f}%)" if c["n"] else "–"


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


HEADER = (
    "| {what} | finished | turns/task (finished) | misses/task | tasks with >1 miss "
    "| hand-overs/task | runner errors |"
)


def _row(label: str, c: dict[str, Any]) -> str:
    return (
        f"| {label} | {_pct(c)} | {_num(c['turns_finished'])} | {_num(c['misses'])} "
        f"| {c['over_one_miss']} | {_num(c['handovers'])} | {c['errors']} |"
    )


def _table(what: str, rows: list[tuple[str, dict[str, Any]]]) -> list[str]:
    lines = [HEADER.format(what=what), "|---|---|---|---|---|---|---|"]
    return lines + [_row(label, c) for label, c in rows]


def markdown(summary: dict[str, Any], *, failures: int = 60) -> str:
    """The report: tables, the patterns by language, and the conversations that did not finish."""
    total = summary["total"]
    parts = [
        "## Conversations that finish the task",
        "",
        f"{_pct(total)} finished (target: ≥ {TARGET_FINISHED:.0%} in every language and "
        f"channel; at most {MAX_MISSES_PER_TASK} miss per task).",
        "",
        *_table(
            "language / channel",
            [(f"{r['language']} {r['channel']}", r) for r in summary["by_language_channel"]]
            + [(f"**{k} (all)**", c) for k, c in summary["by_language"].items()]
            + [(f"**{k} (all)**", c) for k, c in summary["by_channel"].items()]
            + [("**all**", total)],
        ),
        "",
        *_table("task", list(summary["by_task"].items())),
        "",
        "| failure pattern | " + " | ".join(LANGUAGES) + " |",
        "|---|" + "---|" * len(LANGUAGES),
    ]
    for pattern, langs in summary["by_pattern"].items():
        cells = [_pct(langs[lang]) if lang in langs else "–" for lang in LANGUAGES]
        parts.append(f"| {PATTERNS[pattern]} | " + " | ".join(cells) + " |")
    missing = summary["not_finished"]
    if missing:
        parts += ["", f"### Not finished ({len(missing)})", ""]
        for f in missing[:failures]:
            parts.append(f"- **{f['id']}** ({f['channel']}, {f['task']}): {f['went_off']}")
            for reply in f["last_replies"]:
                parts.append(f"  - last reply: {reply}")
        if len(missing) > failures:
            parts.append(f"- ... and {len(missing) - failures} more (see the JSON)")
    if summary["not_run"]:
        parts += ["", f"Not run (time budget): {', '.join(summary['not_run'])}"]
    return "\n".join(parts) + "\n"


def headline(summary: dict[str, Any]) -> str:
    """One line for logs and the console."""
    total = summary["total"]
    langs = ", ".join(f"{k} {_pct(c)}" for k, c in summary["by_language"].items())
    return f"conversations finished: {_pct(total)} ({langs})"


def bench_rows(summary: dict[str, Any]) -> list[tuple[str, str, str, str, bool | None]]:
    """(measure, ours, stock, target, met) rows for the bench's one table (bench/report.py)."""

    def ours(c: dict[str, Any]) -> str:
        return (
            f"{_pct(c)}; {_num(c['turns_finished'])} turns, {_num(c['misses'])} misses, "
            f"{_num(c['handovers'])} hand-overs per task"
        )

    rows: list[tuple[str, str, str, str, bool | None]] = []
    for r in summary.get("by_language_channel") or []:
        met = None if r["share"] is None else r["share"] >= TARGET_FINISHED
        rows.append(
            (
                f"tasks finished, {r['language']} {r['channel']}",
                ours(r),
                "–",
                f"≥ {TARGET_FINISHED:.0%}",
                met,
            )
        )
    total = summary.get("total") or {}
    if total.get("n"):
        subset = summary.get("subset", "all")
        rows.append(
            (
                f"tasks finished, all ({subset}; bench/out/conversations-latest.md)",
                ours(total),
                "–",
                f"≥ {TARGET_FINISHED:.0%}",
                total["share"] >= TARGET_FINISHED,
            )
        )
        rows.append(
            (
                "tasks needing more than one 'I did not understand'",
                f"{total['over_one_miss']} of {total['n']}",
                "–",
                "0",
                total["over_one_miss"] == 0,
            )
        )
    return rows
