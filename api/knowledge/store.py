"""The knowledge base as searched: every passage rendered, with digests of its content.

Why digests: the vector cache and the calibration are only valid for the passages they were
computed on; an edited passage must produce a new cache file and a stale-calibration warning.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from api.knowledge.passages import KB_DIR, Passage, load_raw
from api.knowledge.rendering import Context, context_from_settings, render


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    passages: tuple[Passage, ...]
    digest: str  # of the rendered passages: keys the vector cache
    source_digest: str  # of the passages as written: what a calibration was fitted on
    positions: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.passages)

    def position(self, passage_id: str) -> int:
        return self.positions[passage_id]


def digest_of(passages: tuple[Passage, ...]) -> str:
    return hashlib.sha256(repr(passages).encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=2)
def _raw(folder: Path) -> tuple[Passage, ...]:
    return load_raw(folder)


@lru_cache(maxsize=4)
def _build(folder: Path, context: Context) -> KnowledgeBase:
    raw = _raw(folder)
    rendered = tuple(render(p, context) for p in raw)
    return KnowledgeBase(
        passages=rendered,
        digest=digest_of(rendered),
        source_digest=digest_of(raw),
        positions={p.id: i for i, p in enumerate(rendered)},
    )


def current(folder: Path = KB_DIR) -> KnowledgeBase:
    """The passages of `folder` rendered with today's settings (read once per process)."""
    return _build(folder, context_from_settings())


def reset() -> None:
    """Forget what was read (tests that edit data or settings)."""
    _raw.cache_clear()
    _build.cache_clear()
