"""Where the evaluation's data lives and what it is scored on.

Why one module: the training folders, the held-out split and the intent/entity lists are shared
by training, parsing, cross-validation and the report, and must not drift apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOT_PYTHON = ROOT / ".venv-bot" / "bin" / "python"
TRAIN_DIRS = ("nlu_data/bn", "nlu_data/hi", "nlu_data/en", "nlu_data/common", "bot/data")
HELDOUT_DIR = ROOT / "nlu_data" / "heldout"
GROUPS = ("native", "romanised", "mixed", "transcript")
TEXT_KEY = "text"
TASK_INTENTS = (
    "check_status",
    "renew_registration",
    "file_claim",
    "check_eligibility",
    "update_nominee",
    "pension_issue",
    "register",
    "give_feedback",
    "talk_to_human",
    "ask_scheme_info",
)
ENTITIES = ("uan", "date", "age")
TARGET_F1 = 0.95


def heldout_files(heldout: Path) -> list[Path]:
    """The held-out files, one per language and group (`<lang>_<group>.yml`), in name order."""
    return sorted(heldout.glob("*.yml"))


def training_files(root: Path = ROOT) -> Iterator[tuple[str, Path]]:
    """(training folder, file) for every YAML file training sees; never nlu_data/heldout."""
    for rel in TRAIN_DIRS:
        src = root / rel
        for path in sorted(src.rglob("*.y*ml")) if src.exists() else []:
            yield rel, path
