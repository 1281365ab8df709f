"""`search(question, language)`: the best knowledge-base answers, in the asked language.

Embedding retrieval first (multilingual, so a romanised or code-mixed question still finds the
Bengali answer): every entry's passage, title and keywords are embedded once per process in all
three languages, scored by the best-matching language, plus character n-gram evidence. When no
embedder loads or it fails, a character n-gram TF-IDF index over titles, keywords and texts
answers instead, and the result says which method was used.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from api.knowledge.embedders import MAX_CHARS, Embedder, get_embedder
from api.knowledge.entries import LANGUAGES, Entry, load_entries

log = logging.getLogger(__name__)
Method = Literal["embedding", "keyword"]
_DEFAULT = object()
CACHE_VERSION = "1"
KEYWORD_MIN_SCORE = 0.05  # below this a keyword "match" is noise (shared short n-grams)


@dataclass(frozen=True)
class Answer:
    id: str
    title: str
    text: str
    score: float


@dataclass(frozen=True)
class SearchResult:
    answers: list[Answer] = field(default_factory=list)
    method: Method = "keyword"

    def to_dict(self) -> dict[str, Any]:
        return {"answers": [asdict(a) for a in self.answers], "method": self.method}


def search(
    question: str, language: str, limit: int = 3, *, embedder: Any = _DEFAULT
) -> SearchResult:
    """Top `limit` entries for `question`, rendered in `language` (unknown -> English).

    `embedder`: default = the process-wide one; None forces keyword search.
    """
    language = language if language in LANGUAGES else "en"
    question = " ".join((question or "").split())[:MAX_CHARS]
    entries = load_entries()
    if not question or limit <= 0 or not entries:
        return SearchResult([], "keyword")
    chosen = get_embedder() if embedder is _DEFAULT else embedder
    if chosen is not None:
        try:
            scores = _embedding_scores(chosen, entries, question)
            return SearchResult(_top(entries, scores, language, limit), "embedding")
        except Exception as exc:  # a broken embedder must not lose the question
            log.warning("knowledge: embedding search failed (%s); using keywords", exc)
    scores = _keyword_index(entries).scores(question)
    return SearchResult(
        _top(entries, scores, language, limit, min_score=KEYWORD_MIN_SCORE), "keyword"
    )


def _top(
    entries: tuple[Entry, ...],
    scores: np.ndarray,
    language: str,
    limit: int,
    min_score: float = float("-inf"),
) -> list[Answer]:
    order = np.argsort(-scores, kind="stable")[:limit]
    return [
        Answer(
            id=entries[i].id,
            title=entries[i].title[language],
            text=entries[i].text[language],
            score=round(float(scores[i]), 4),
        )
        for i in order
        if scores[i] > min_score
    ]


# ----------------------------------------------------------------------------- embeddings

_lock = threading.Lock()
_vectors: dict[tuple[str, int], np.ndarray] = {}
KEYWORD_WEIGHT = 2.0  # measured on a small question set: hybrid 14/16 top-1, embedding alone 9/16


def _entry_vectors(embedder: Embedder, entries: tuple[Entry, ...]) -> np.ndarray:
    """(entries, 3 views, languages, dim): passage, title and keyword list of each language.

    Computed once per embedder and entry set; titles and keywords help because e5 scores every
    short question against every long passage almost alike.
    """
    key = (embedder.name, id(entries))  # entries come from an lru_cache: same object
    with _lock:
        if key not in _vectors:
            cached = _load_cached(embedder, entries)
            if cached is not None:
                _vectors[key] = cached
                return cached
            passages = [e.passage(lang) for e in entries for lang in LANGUAGES]
            titles = [e.title[lang] for e in entries for lang in LANGUAGES]
            keywords = [", ".join(e.keywords[lang]) for e in entries for lang in LANGUAGES]
            views = [
                np.asarray(embedder.passage(passages), dtype=np.float32),
                np.asarray(embedder.passage(titles), dtype=np.float32),
                np.asarray(embedder.query(keywords), dtype=np.float32),
            ]
            stacked = np.stack([v.reshape(len(entries), len(LANGUAGES), -1) for v in views], 1)
            _vectors[key] = stacked
            _store_cached(embedder, entries, stacked)
        return _vectors[key]


def _cache_path(embedder: Embedder, entries: tuple[Entry, ...]) -> Path:
    """Keyed by embedder and content: an edited entry or another model is a new file."""
    from api.settings import get_settings

    digest = hashlib.sha256(f"{CACHE_VERSION}|{embedder.name}|{entries!r}".encode()).hexdigest()
    return Path(get_settings().var_dir) / "knowledge" / f"vectors-{digest[:16]}.npy"


def _load_cached(embedder: Embedder, entries: tuple[Entry, ...]) -> np.ndarray | None:
    """Embedding ~180 texts takes ~10 s on 2 cores; a restart should not pay it again."""
    try:
        path = _cache_path(embedder, entries)
        return np.load(path, allow_pickle=False) if path.exists() else None
    except (OSError, ValueError) as exc:
        log.warning("knowledge: ignoring vector cache (%s)", exc)
        return None


def _store_cached(embedder: Embedder, entries: tuple[Entry, ...], vectors: np.ndarray) -> None:
    try:
        path = _cache_path(embedder, entries)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as fh:
            np.save(fh, vectors, allow_pickle=False)
        tmp.replace(path)
    except OSError as exc:
        log.warning("knowledge: could not cache vectors (%s)", exc)


def _embedding_scores(embedder: Embedder, entries: tuple[Entry, ...], question: str) -> np.ndarray:
    """Sum over views of the best language's cosine, plus weighted keyword evidence."""
    matrix = _entry_vectors(embedder, entries)
    query = np.asarray(embedder.query([question]), dtype=np.float32).reshape(-1)
    if query.shape[0] != matrix.shape[-1] or not np.isfinite(query).all():
        raise ValueError(f"embedder returned a bad vector of shape {query.shape}")
    semantic = (matrix @ query).max(axis=2).sum(axis=1)
    return semantic + KEYWORD_WEIGHT * _keyword_index(entries).scores(question)


# ----------------------------------------------------------------------------- keywords


class _KeywordIndex:
    """Character n-grams survive spelling variants ("pension bondho", "pensan band")."""

    def __init__(self, entries: tuple[Entry, ...]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        docs = []
        for e in entries:
            keywords = " ".join(k for lang in LANGUAGES for k in e.keywords[lang])
            titles = " ".join(e.title[lang] for lang in LANGUAGES)
            texts = " ".join(e.text[lang] for lang in LANGUAGES)
            docs.append(f"{keywords} {keywords} {titles} {titles} {texts}")
        self._vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, lowercase=True
        )
        self._matrix = self._vectorizer.fit_transform(docs)

    def scores(self, question: str) -> np.ndarray:
        query = self._vectorizer.transform([question])
        return np.asarray((self._matrix @ query.T).toarray()).reshape(-1)


_keyword_indexes: dict[int, _KeywordIndex] = {}


def _keyword_index(entries: tuple[Entry, ...]) -> _KeywordIndex:
    key = id(entries)
    with _lock:
        if key not in _keyword_indexes:
            _keyword_indexes[key] = _KeywordIndex(entries)
        return _keyword_indexes[key]
