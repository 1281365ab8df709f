"""An accident named without its outcome: death, disability or an injury treated in hospital.

"I want to claim for an accident" fits three claim types. The rest of the message often says
which ("my husband died in an accident"); when it does not, the assistant asks rather than
filing the wrong claim. The words are the ones workers use in bn, hi and en, native and romanised.
"""

from __future__ import annotations

import re
import unicodedata

# The value NLU gives a bare "accident" (nlu_data/common/synonyms.yml); not a claim type.
ACCIDENT = "accident"
ACCIDENT_OUTCOMES = ("accident_death", "accident_disability", "medical")

# Word starts: Bengali and Hindi add endings to the word itself (মারা গেছেন, मौत से).
_OUTCOME_WORDS: dict[str, tuple[str, ...]] = {
    "accident_death": (
        "died", "dead", "death", "killed", "passed away", "maut", "mrityu", "mrittu",
        "mar gay", "mar gai", "mara gech", "mara jay", "guzar", "gujar", "expire",
        "मौत", "मृत्यु", "मर गय", "मर गए", "गुज़र", "गुजर", "देहांत",
        "মারা", "মৃত্যু", "মৃত", "প্রাণ",
    ),
    "accident_disability": (
        "disab", "handicap", "crippl", "paralys", "lost my leg", "lost my hand", "lost my arm",
        "lost my eye", "viklang", "apahij", "pongu", "protibondh", "protiband",
        "विकलांग", "अपाहिज", "পক্ষাঘাত", "পঙ্গু", "প্রতিবন্ধ", "অক্ষম",
    ),
    "medical": (
        "hurt", "injur", "wound", "fractur", "broke", "hospital", "treatment", "chot", "ilaj",
        "ilaaj", "aghat", "haspatal", "chikits",
        "चोट", "घायल", "इलाज", "अस्पताल", "टूट",
        "চোট", "আঘাত", "আহত", "চিকিৎসা", "হাসপাতাল", "ভেঙে", "ভেঙ্গে",
    ),
}  # fmt: skip
# That someone died, in any claim (api/domain/family.py: the family files those).
DEATH_WORDS = _OUTCOME_WORDS["accident_death"]
_SPLIT = re.compile(r"[\s,.;:!?()\"'।]+")


def tokens(text: str) -> list[str]:
    """The message's words, NFC and case-folded (shared with api/domain/claim_words.py)."""
    return [t for t in _SPLIT.split(unicodedata.normalize("NFC", text).casefold()) if t]


def says_word(words: list[str], joined: str, word: str) -> bool:
    """A phrase anywhere in `joined`, or a single word as the start of one of `words`."""
    if " " in word:
        return f" {word}" in joined
    return any(token.startswith(word) for token in words)


def named(text: str, table: dict[str, tuple[str, ...]]) -> list[str]:
    """The keys of `table` whose words (word starts) the message says, in the table's order."""
    said = tokens(text)
    joined = " " + " ".join(said)
    return [
        key
        for key, words in table.items()
        if any(says_word(said, joined, unicodedata.normalize("NFC", w)) for w in words)
    ]


def accident_outcome(text: str) -> str | None:
    """The claim type the message's own words give an accident, or None if none or several do."""
    found = named(text, _OUTCOME_WORDS)
    return found[0] if len(found) == 1 else None
