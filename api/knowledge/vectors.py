"""Passage vectors for embedding search: computed once per embedder and content, kept on disk.

Each passage is embedded in three views per language: its title and text, its title alone, and
each keyword phrase alone (e5 scores a short question against every long passage almost alike;
the short views tell them apart). A view's similarity is its best row over languages and
phrases, so a romanised Hindi question can match the Hindi keyword that says the same thing.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from api.knowledge.embedders import Embedder
from api.knowledge.passages import LANGUAGES
from api.knowledge.store import KnowledgeBase

log = logging.getLogger(__name__)
CACHE_VERSION = "2"
VIEWS = ("text", "title", "keyword")


@dataclass(frozen=True)
class Layout:
    """Which passage and view each row belongs to; rows of a view are grouped by passage."""

    texts: tuple[str, ...]
    is_query: tuple[bool, ...]  # keyword phrases are embedded like questions
    view_slices: tuple[tuple[int, int], ...]
    view_starts: tuple[np.ndarray, ...]  # row offset of each passage inside its view block


def layout(kb: KnowledgeBase) -> Layout:
    texts: list[str] = []
    is_query: list[bool] = []
    slices, starts = [], []
    for view in VIEWS:
        begin = len(texts)
        offsets = []
        for p in kb.passages:
            offsets.append(len(texts) - begin)
            for lang in LANGUAGES:
                if view == "text":
                    rows = [p.passage(lang)]
                elif view == "title":
                    rows = [p.title[lang]]
                else:
                    rows = list(p.keywords[lang])
                texts.extend(rows)
                is_query.extend([view == "keyword"] * len(rows))
        slices.append((begin, len(texts)))
        starts.append(np.asarray(offsets, dtype=np.intp))
    return Layout(tuple(texts), tuple(is_query), tuple(slices), tuple(starts))


class PassageVectors:
    def __init__(self, matrix: np.ndarray, rows: Layout) -> None:
        self.matrix = matrix
        self.layout = rows

    def view_scores(self, query: np.ndarray) -> np.ndarray:
        """(passages, views): each view's best cosine with the (unit) query vector."""
        sims = self.matrix @ query
        columns = []
        blocks = zip(self.layout.view_slices, self.layout.view_starts, strict=True)
        for (begin, end), starts in blocks:
            columns.append(np.maximum.reduceat(sims[begin:end], starts))
        return np.stack(columns, axis=1)


def _embed(embedder: Embedder, rows: Layout) -> np.ndarray:
    query_idx = [i for i, q in enumerate(rows.is_query) if q]
    passage_idx = [i for i, q in enumerate(rows.is_query) if not q]
    out: np.ndarray | None = None
    for idx, encode in ((passage_idx, embedder.passage), (query_idx, embedder.query)):
        if not idx:
            continue
        vectors = np.asarray(encode([rows.texts[i] for i in idx]), dtype=np.float32)
        if out is None:
            out = np.zeros((len(rows.texts), vectors.shape[1]), dtype=np.float32)
        out[idx] = vectors
    assert out is not None
    return out


def _cache_path(embedder: Embedder, kb: KnowledgeBase) -> Path:
    """Keyed by embedder and content: an edited passage or another model is a new file."""
    from api.settings import get_settings

    key = f"{CACHE_VERSION}|{embedder.name}|{kb.digest}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return Path(get_settings().var_dir) / "knowledge" / f"vectors-{digest}.npy"


def _load_cached(path: Path, rows: int) -> np.ndarray | None:
    try:
        if not path.exists():
            return None
        matrix = np.load(path, allow_pickle=False)
        return matrix if matrix.ndim == 2 and matrix.shape[0] == rows else None
    except (OSError, ValueError) as exc:
        log.warning("knowledge: ignoring vector cache (%s)", exc)
        return None


def _store_cached(path: Path, matrix: np.ndarray) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as fh:
            np.save(fh, matrix, allow_pickle=False)
        tmp.replace(path)
    except OSError as exc:
        log.warning("knowledge: could not cache vectors (%s)", exc)


_lock = threading.Lock()
_ready: dict[tuple[str, str], PassageVectors] = {}


def ready_vectors(embedder: Embedder, kb: KnowledgeBase) -> PassageVectors | None:
    """The vectors if already computed (never waits: a question must not queue behind them)."""
    return _ready.get((embedder.name, kb.digest))


def passage_vectors(embedder: Embedder, kb: KnowledgeBase) -> PassageVectors:
    """Compute (or read from disk) and keep; ~2,000 rows take ~30 s on 2 busy cores."""
    key = (embedder.name, kb.digest)
    with _lock:
        if key not in _ready:
            rows = layout(kb)
            path = _cache_path(embedder, kb)
            matrix = _load_cached(path, len(rows.texts))
            if matrix is None:
                matrix = _embed(embedder, rows)
                _store_cached(path, matrix)
            _ready[key] = PassageVectors(matrix, rows)
        return _ready[key]


def reset() -> None:
    with _lock:
        _ready.clear()
