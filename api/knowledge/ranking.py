"""The evidence each passage has for a question, as a feature matrix (passages x features).

Kept apart from the decision (api/knowledge/calibration.py) so that the calibration script can
fit the weights and the threshold on exactly what search sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from api.knowledge.embedders import Embedder
from api.knowledge.keywords import LEXICAL_FEATURES, keyword_index
from api.knowledge.store import KnowledgeBase
from api.knowledge.vectors import VIEWS, PassageVectors

Method = Literal["embedding", "keyword"]
FEATURES: dict[str, tuple[str, ...]] = {
    "embedding": (*VIEWS, *LEXICAL_FEATURES),
    "keyword": LEXICAL_FEATURES,
}


@dataclass(frozen=True)
class Ranking:
    method: Method
    features: np.ndarray  # (passages, len(FEATURES[method]))


def keyword_ranking(kb: KnowledgeBase, question: str) -> Ranking:
    return Ranking("keyword", keyword_index(kb).scores(question))


def embedding_ranking(
    kb: KnowledgeBase, question: str, embedder: Embedder, vectors: PassageVectors
) -> Ranking:
    query = np.asarray(embedder.query([question]), dtype=np.float32).reshape(-1)
    if query.shape[0] != vectors.matrix.shape[1] or not np.isfinite(query).all():
        raise ValueError(f"embedder returned a bad vector of shape {query.shape}")
    views = vectors.view_scores(query)
    lexical = keyword_index(kb).scores(question)
    return Ranking("embedding", np.concatenate([views, lexical], axis=1))
