"""One word, however it is written: what the knowledge base's word-level evidence compares.

Why: the phonetic key (api/language/phonetic.py) makes many spellings meet, but not all: a
Bengali word's written inherent vowels ("পেনশন" is "penoshon", "pension" in Latin letters), its
case endings ("প্রকল্পে", "প্রকল্পের", "prokolpota") and the loanwords people mix in ("office"
for "অফিস", "दफ़्तर") left a romanised or inflected question without the words its passage has.
Here a word loses its endings (stem) and then takes one spelling for each group of variants and
synonyms (canonical). Knowledge base only: the NLU keeps the plain phonetic key.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from api.language.phonetic import phonetic_key

# Endings as the phonetic key spells them: Bengali "-gulo", "-der", "-er", "-ke", "-te", "-ta",
# "-ti", "-ra", "-y" and a final vowel ("prokolpe", "prokolper", "prokolpota", "prokolpo"),
# Hindi's final vowels ("bachche", "bachcha"; "milti", "milta") and oblique plural "-on"
# ("majaduron"). At most two come off and four letters stay, so "taka" is not "tak" and "mara"
# stays whole.
SUFFIXES: tuple[str, ...] = (
    *("gulo", "guli", "der", "er", "ke", "te", "ta", "ti", "ra", "on"),
    *("y", "a", "e", "i", "o"),
)
MIN_STEM = 4

# The word groups, one a line (data, not code)
SYNONYMS_FILE = Path(__file__).resolve().parent.parent / "data" / "knowledge" / "synonyms.txt"


def stem(word: str) -> str:
    for _ in range(2):
        if not word.isalpha():
            break
        ending = next(
            (s for s in SUFFIXES if word.endswith(s) and len(word) - len(s) >= MIN_STEM), None
        )
        if ending is None:
            break
        word = word[: -len(ending)]
    return word


@lru_cache(maxsize=1)
def _canonical() -> dict[str, str]:
    out: dict[str, str] = {}
    for group in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        if not group.strip() or group.startswith("#"):
            continue
        keys = [stem(phonetic_key(variant)) for variant in group.split()]
        for key in keys:
            out.setdefault(key, keys[0])
    return out


def canonical(word: str) -> str:
    """A phonetic key's word, stemmed, then spelled as its group's first variant."""
    stemmed = stem(word)
    return _canonical().get(stemmed, stemmed)
