"""The knowledge-base question sets: the main set split into a tuning half and a test half,
and a separate calibration set.

Split rule of the main set (scripts/kb_eval/questions/, written once, never changed): a question
belongs to the TEST half when the first byte of sha256(its text, stripped, UTF-8) is odd, else
to the TUNING half. The rule depends on nothing but the question's own text, so adding, removing
or reordering other questions never moves a question between halves.
- TUNING half: read while editing passages and keywords; the feature weights are fitted on it.
- CALIBRATION set (scripts/kb_eval/calibration/): written after those edits, never used to edit
  a passage; the confidence model and the threshold are fitted on it, because the tuning half's
  questions look easier than new ones once keywords were written from their misses.
- TEST half: frozen. Only scored, only in aggregate, never read to adjust anything.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

QUESTIONS_DIR = Path(__file__).resolve().parent / "questions"
CALIBRATION_DIR = Path(__file__).resolve().parent / "calibration"
Half = Literal["tune", "test"]
LANGUAGES = ("bn", "hi", "en")
FORMS = ("native", "romanised", "mixed")


@dataclass(frozen=True)
class Question:
    text: str
    lang: str
    form: str
    expect: tuple[str, ...]  # empty: the knowledge base cannot answer it
    file: str

    @property
    def answerable(self) -> bool:
        return bool(self.expect)

    @property
    def half(self) -> Half:
        return half_of(self.text)


def half_of(text: str) -> Half:
    return "test" if hashlib.sha256(text.strip().encode("utf-8")).digest()[0] % 2 else "tune"


def load_questions(folder: Path = QUESTIONS_DIR) -> list[Question]:
    """Every question of every file; a malformed line is an error, not a skipped question."""
    import yaml

    out: list[Question] = []
    for path in sorted(folder.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in raw.get("questions") or []:
            question = Question(
                text=str(item["q"]).strip(),
                lang=str(item["lang"]),
                form=str(item["form"]),
                expect=tuple(str(e) for e in item.get("expect") or ()),
                file=path.name,
            )
            if question.lang not in LANGUAGES or question.form not in FORMS:
                raise ValueError(f"{path.name}: bad lang/form in {item}")
            out.append(question)
    texts = [q.text for q in out]
    duplicates = {t for t in texts if texts.count(t) > 1}
    if duplicates:
        raise ValueError(f"questions asked twice: {sorted(duplicates)}")
    return out


def split(questions: list[Question], half: Half) -> list[Question]:
    return [q for q in questions if q.half == half]
