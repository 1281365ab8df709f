"""The training data keeps its promises: every intent in every language, enough examples per
task, a held-out split that training never sees, and no real-looking personal numbers."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from scripts.eval_nlu import TASK_INTENTS

DATA = Path(__file__).resolve().parents[2] / "nlu_data"
LANGS = ("bn", "hi", "en")
OTHER_INTENTS = [
    "greet",
    "goodbye",
    "affirm",
    "deny",
    "thank",
    "inform",
    "help",
    "change_language",
    "repeat",
    "out_of_scope",
    "correct",
]
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]+\)|\{[^}]+\})")


def _examples(paths: list[Path]) -> list[tuple[str, str]]:
    found = []
    for path in paths:
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
            if "intent" not in block:
                continue
            for line in str(block["examples"]).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    found.append((block["intent"], ANNOTATION.sub(r"\1", line[2:]).strip()))
    return found


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


@pytest.mark.parametrize("lang", LANGS)
def test_every_intent_with_enough_examples(lang: str) -> None:
    counts = Counter(intent for intent, _ in _examples(sorted((DATA / lang).glob("*.yml"))))
    for intent in TASK_INTENTS:
        assert counts[intent] >= 40, f"{lang}: {intent} has {counts[intent]} examples"
    for intent in OTHER_INTENTS:
        assert counts[intent] >= 15, f"{lang}: {intent} has {counts[intent]} examples"


@pytest.mark.parametrize("lang", LANGS)
def test_held_out_examples_are_not_in_training(lang: str) -> None:
    training_files = [p for p in sorted(DATA.glob("*/*.yml")) if p.parent.name != "heldout"]
    training = {_norm(t) for _, t in _examples(training_files)}
    held_out = _examples(sorted((DATA / "heldout").glob(f"{lang}_*.yml")))
    assert len(held_out) >= 200, f"{lang}: only {len(held_out)} held-out examples"
    leaked = [t for _, t in held_out if _norm(t) in training]
    assert len(leaked) <= len(held_out) // 50, f"{lang}: held-out copies of training: {leaked}"


def test_training_never_reads_the_held_out_folder() -> None:
    from scripts.train_model import TRAINING_DATA

    assert all("heldout" not in str(path) for path in TRAINING_DATA)


def test_no_aadhaar_shaped_numbers_in_data() -> None:
    aadhaar = re.compile(r"(?<![\d+])[2-9]\d{3}\s?\d{4}\s?\d{4}(?!\d)")
    for path in DATA.rglob("*.yml"):
        text = path.read_text().translate(str.maketrans("০১২৩৪৫৬৭৮৯०१२३४५६७८९", "0123456789" * 2))
        assert not aadhaar.search(text), f"{path}: a 12-digit number shaped like an Aadhaar"
