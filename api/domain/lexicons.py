"""The word lists behind number and date parsing, one data file per language.

Number words, month and weekday names and relative-day words live in
api/data/lexicons/<lang>.tsv (format described at the top of each file), so a spelling a caller
used is added as data, not code. The files are read once, on first use, never at import.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicons"
LANGUAGES = ("bn", "hi", "en")
SCRIPTS = frozenset({"native", "roman"})
# Kinds whose rows carry a value, and kinds that are plain word lists.
VALUED_KINDS = frozenset(
    {"number", "multiplier", "ordinal", "month", "weekday", "relative", "unit", "article"}
)
WORD_KINDS = frozenset({"ambiguous", "suffix", "day_suffix", "ago", "last", "joiner", "filler"})


@dataclass(frozen=True)
class Row:
    """One line of a lexicon: a meaning (kind, value) and the ways to write it."""

    lang: str
    kind: str
    value: int | None
    script: str
    forms: tuple[str, ...]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def canon_roman(word: str) -> str:
    """Fold common spelling variants of romanised Hindi/Bengali (aa/a, ee/i, doubled letters)."""
    w = word.lower()
    w = w.replace("aa", "a").replace("ee", "i").replace("oo", "u").replace("w", "v")
    return re.sub(r"([a-z])\1+", r"\1", w)


def latin(word: str) -> str | None:
    """`word` without accents if it is written in Latin letters ("shō" -> "sho"), else None."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return bare if bare.isascii() else None


@lru_cache(maxsize=16384)
def fold(word: str) -> str:
    """The key a word is looked up by: NFC and lower case; Latin words also canon_roman'd.

    Cached: every word of every stretch of a message is folded when a date is looked for."""
    low = nfc(word).lower()
    bare = latin(low)
    return canon_roman(bare) if bare is not None else low


def fold_phrase(phrase: str) -> str:
    return " ".join(fold(word) for word in phrase.split())


def _parse_line(lang: str, number: int, line: str) -> Row:
    where = f"{lang}.tsv line {number}"
    cells = line.split("\t")
    if len(cells) != 4:
        raise ValueError(f"{where}: expected 4 tab-separated cells, got {len(cells)}")
    kind, value, script, forms = (cell.strip() for cell in cells)
    if kind not in VALUED_KINDS | WORD_KINDS:
        raise ValueError(f"{where}: unknown kind {kind!r}")
    if script not in SCRIPTS:
        raise ValueError(f"{where}: unknown script {script!r}")
    if (kind in VALUED_KINDS) != value.isdigit():
        raise ValueError(f"{where}: {kind} rows need {'a number' if kind in VALUED_KINDS else '-'}")
    spellings = tuple(nfc(form.strip()) for form in forms.split("|") if form.strip())
    if not spellings:
        raise ValueError(f"{where}: no forms")
    return Row(lang, kind, int(value) if kind in VALUED_KINDS else None, script, spellings)


@cache
def rows(lang: str) -> tuple[Row, ...]:
    """Every row of one language's file, in file order (read once)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no lexicon for {lang!r}")
    text = (LEXICON_DIR / f"{lang}.tsv").read_text(encoding="utf-8")
    return tuple(
        _parse_line(lang, number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.startswith("#")
    )


def all_rows(kind: str) -> list[Row]:
    return [row for lang in LANGUAGES for row in rows(lang) if row.kind == kind]


@cache
def values(*kinds: str) -> dict[str, int]:
    """Folded form (and its plain lower-case spelling) -> value, for rows of these kinds.

    A key two rows disagree on keeps the first (languages in LANGUAGES order); the lexicon
    tests forbid such clashes, so the order only matters while a file is being edited.
    """
    table: dict[str, int] = {}
    for kind in kinds:
        for row in all_rows(kind):
            assert row.value is not None
            for form in row.forms:
                for key in (nfc(form).lower(), fold_phrase(form)):
                    table.setdefault(key, row.value)
    return table


@cache
def words(kind: str) -> frozenset[str]:
    """Folded forms (and plain lower-case spellings) of a word-list kind."""
    return frozenset(
        key
        for row in all_rows(kind)
        for form in row.forms
        for key in (nfc(form).lower(), fold_phrase(form))
    )


@cache
def native_forms(kind: str) -> tuple[tuple[str, int | None], ...]:
    """(form, value) of the non-Latin forms of a kind, longest first (for suffix matching)."""
    found = {
        (form, row.value) for row in all_rows(kind) for form in row.forms if latin(form) is None
    }
    return tuple(sorted(found, key=lambda item: (-len(item[0]), item[0])))
