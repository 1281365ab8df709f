"""Passage vectors: computed once, cached on disk by embedder and content, each view's best row."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
import yaml

from api.knowledge import vectors
from api.knowledge.store import current, reset
from api.knowledge.vectors import layout, passage_vectors, ready_vectors
from api.settings import get_settings


class CountingEmbedder:
    """Deterministic unit vectors from the text's hash; counts what it was asked to embed."""

    name = "counting"

    def __init__(self) -> None:
        self.calls = 0

    def _vectors(self, texts: list[str]) -> np.ndarray:
        self.calls += len(texts)
        rows = []
        for t in texts:
            seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:4], "little")
            v = np.random.default_rng(seed).normal(size=8)
            rows.append(v / np.linalg.norm(v))
        return np.asarray(rows, dtype=np.float32)

    def query(self, texts: list[str]) -> np.ndarray:
        return self._vectors(texts)

    def passage(self, texts: list[str]) -> np.ndarray:
        return self._vectors(texts)


def _write_kb(folder: Path, title: str) -> None:
    item = {
        "id": "only",
        "source": "test",
        "title": {"en": title, "hi": "शीर्षक", "bn": "শিরোনাম"},
        "text": {"en": "text", "hi": "पाठ", "bn": "লেখা"},
        "keywords": {"en": ["a", "b"], "hi": ["क"], "bn": ["ক"]},
    }
    second = {**item, "id": "second", "keywords": {"en": ["c"], "hi": ["ख"], "bn": ["খ"]}}
    folder.mkdir(exist_ok=True)
    data = {"scheme": "eshram", "passages": [item, second]}
    (folder / "kb.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    reset()
    vectors.reset()
    yield tmp_path / "var"
    get_settings.cache_clear()
    reset()
    vectors.reset()


def test_vectors_are_cached_by_content(tmp_path: Path, var_dir: Path) -> None:
    folder = tmp_path / "kb"
    _write_kb(folder, "first title")
    kb = current(folder)
    embedder = CountingEmbedder()
    assert ready_vectors(embedder, kb) is None
    passage_vectors(embedder, kb)
    first = embedder.calls
    assert first == len(layout(kb).texts) and ready_vectors(embedder, kb) is not None
    assert len(list((var_dir / "knowledge").glob("vectors-*.npy"))) == 1

    vectors.reset()  # a restart: read from disk, nothing embedded again
    passage_vectors(embedder, kb)
    assert embedder.calls == first

    _write_kb(folder, "an edited title")  # new content: a new file, embedded anew
    reset()
    vectors.reset()
    passage_vectors(embedder, current(folder))
    assert embedder.calls == 2 * first
    assert len(list((var_dir / "knowledge").glob("vectors-*.npy"))) == 2


def test_each_view_scores_its_best_row(tmp_path: Path, var_dir: Path) -> None:
    folder = tmp_path / "kb"
    _write_kb(folder, "title")
    kb = current(folder)
    embedder = CountingEmbedder()
    found = passage_vectors(embedder, kb)
    rows = layout(kb)
    query = embedder.query(["b"])[0]  # the first passage's second English keyword
    scores = found.view_scores(query)
    assert scores.shape == (2, 3)
    assert scores[0, 2] == pytest.approx(1.0, abs=1e-5)  # keyword view of "only"
    assert scores[1, 2] < 0.999
    sims = found.matrix @ query
    begin, end = rows.view_slices[0]
    assert scores[:, 0].max() == pytest.approx(sims[begin:end].max())
