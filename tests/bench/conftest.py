"""Fixture predictions of the NLU evaluation: the worker's JSON for three small held-out files.

They hold what the maths must get right: nlu_fallbacks (one with the intent under it right, one
wrong), predicted intents no message of the file has (no support), a message with no intent,
task-intent confusions, and entities matched, missed, spurious, of the wrong type and untracked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def nlu_predictions() -> dict[str, Any]:
    return json.loads((FIXTURES / "nlu_predictions.json").read_text(encoding="utf-8"))
