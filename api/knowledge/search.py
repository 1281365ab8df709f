"""`search(question, language)`: the passages that answer a question, or none, in the asked
language.

Embedding retrieval (multilingual, so a romanised or code-mixed question still finds the Bengali
passage) plus character n-gram evidence; when no embedder loads, its vectors are not ready yet
or it fails, the n-gram index answers alone and the result says so. Either way the calibrated
confidence decides: below the threshold the answer list is empty, with the reason.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from api.knowledge.calibration import Calibration, MethodCalibration, load_calibration
from api.knowledge.contact_facts import asked_contact_fact
from api.knowledge.embedders import MAX_CHARS, Embedder, get_embedder
from api.knowledge.passages import LANGUAGES, Passage
from api.knowledge.ranking import Method, Ranking, embedding_ranking, keyword_ranking
from api.knowledge.store import KnowledgeBase, current
from api.knowledge.vectors import passage_vectors, ready_vectors

log = logging.getLogger(__name__)
_DEFAULT: Any = object()


@dataclass(frozen=True)
class Answer:
    id: str
    title: str
    text: str
    score: float
    confidence: float
    scheme: str | None
    scheme_name: str | None
    source: str
    follow_up: dict[str, Any] | None
    personal: bool


@dataclass(frozen=True)
class SearchResult:
    answers: list[Answer] = field(default_factory=list)
    method: Method = "keyword"
    # why `answers` is empty (None when answered): empty_question, below_threshold, not_covered
    # (the question is about a topic of not_covered.yaml), uncalibrated, fact_not_held (a phone
    # number, e-mail or website the best passage does not give)
    reason: str | None = None
    threshold: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "answers": [asdict(a) for a in self.answers],
            "method": self.method,
            "reason": self.reason,
            "threshold": self.threshold,
        }


def search(
    question: str, language: str, limit: int = 3, *, embedder: Any = _DEFAULT
) -> SearchResult:
    """Up to `limit` passages whose confidence reaches the threshold, best first.

    `embedder`: default = the process-wide one, used once its vectors are ready (they are built
    in the background, never while a worker waits); an explicit embedder builds them now;
    None forces the n-gram index.
    """
    language = language if language in LANGUAGES else "en"
    question = " ".join((question or "").split())[:MAX_CHARS]
    if not question or limit <= 0:
        return SearchResult([], "keyword", reason="empty_question")
    kb = current()
    calibration = load_calibration()
    ranking, chosen = _rank(kb, question, embedder, calibration)
    if chosen is None:
        return SearchResult([], ranking.method, reason="uncalibrated")
    threshold = _threshold(chosen)
    scores = chosen.scores(ranking.features)
    confidences = chosen.confidences(ranking.features, scores)
    order = np.argsort(-scores, kind="stable")
    rounded = round(threshold, 4)
    best = kb.passages[order[0]]
    if not best.covered:
        return SearchResult([], ranking.method, reason="not_covered", threshold=rounded)
    asked = asked_contact_fact(question)
    if asked is not None and asked not in best.gives:
        return SearchResult([], ranking.method, reason="fact_not_held", threshold=rounded)
    answers = [
        _answer(kb.passages[i], language, float(scores[i]), float(confidences[i]))
        for i in order[:limit]
        if confidences[i] >= threshold and kb.passages[i].covered
    ]
    reason = None if answers else "below_threshold"
    return SearchResult(answers, ranking.method, reason=reason, threshold=rounded)


def method_key(embedder: Embedder | None) -> str:
    """The calibration entry of a retrieval path (each embedder scores on its own scale)."""
    return "keyword" if embedder is None else f"embedding:{embedder.name}"


def _rank(
    kb: KnowledgeBase, question: str, embedder: Any, calibration: Calibration
) -> tuple[Ranking, MethodCalibration | None]:
    chosen = get_embedder() if embedder is _DEFAULT else embedder
    if chosen is not None:
        fitted = calibration.for_method(method_key(chosen))
        if fitted is None:
            _warn_once(f"no calibration for {method_key(chosen)}; using keywords")
        else:
            try:
                vectors = ready_vectors(chosen, kb)
                if vectors is None and embedder is _DEFAULT:
                    start_warm_up(chosen, kb)
                else:
                    vectors = vectors or passage_vectors(chosen, kb)
                    return embedding_ranking(kb, question, chosen, vectors), fitted
            except Exception as exc:  # a broken embedder must not lose the question
                log.warning("knowledge: embedding search failed (%s); using keywords", exc)
    return keyword_ranking(kb, question), calibration.for_method("keyword")


def _threshold(chosen: MethodCalibration) -> float:
    from api.settings import get_settings

    override = get_settings().kb_min_confidence
    return chosen.threshold if override is None else float(override)


def _answer(passage: Passage, language: str, score: float, confidence: float) -> Answer:
    from locales import has_message, translate

    text = passage.text[language]
    if passage.revisable:
        text = f"{text} {translate('kb.revisable', language)}"
    scheme_name = None
    if passage.scheme and has_message(f"scheme.{passage.scheme}", language):
        scheme_name = translate(f"scheme.{passage.scheme}", language)
    return Answer(
        id=passage.id,
        title=passage.title[language],
        text=text,
        score=round(score, 4),
        confidence=round(confidence, 4),
        scheme=passage.scheme,
        scheme_name=scheme_name,
        source=passage.source,
        follow_up=passage.follow_up,
        personal=passage.personal,
    )


_warned: set[str] = set()
_warm_lock = threading.Lock()
_warming: set[tuple[str, str]] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        log.warning("knowledge: %s", message)


def start_warm_up(embedder: Embedder, kb: KnowledgeBase) -> None:
    """Build the passage vectors in a background thread (once); keywords answer meanwhile."""
    key = (embedder.name, kb.digest)
    with _warm_lock:
        if key in _warming:
            return
        _warming.add(key)

    def build() -> None:
        try:
            passage_vectors(embedder, kb)
        except Exception:
            log.warning("knowledge: building passage vectors failed", exc_info=True)
            with _warm_lock:
                _warming.discard(key)

    threading.Thread(target=build, name="kb-vectors", daemon=True).start()


def warm_up() -> None:
    """Read passages, calibration and keyword index, then load the embedder and its passage
    vectors (the API runs this at start, in a thread: the keyword path is ready first)."""
    from api.knowledge.keywords import keyword_index

    kb = current()
    load_calibration()
    keyword_index(kb)
    embedder = get_embedder()
    if embedder is not None:
        passage_vectors(embedder, kb)
