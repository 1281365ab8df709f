"""The lexicon files (api/data/lexicons/*.tsv): well formed, consistent, loaded only when used."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

from api.domain import lexicons as lex

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("lang", lex.LANGUAGES)
def test_every_row_parses_and_is_nfc(lang: str) -> None:
    rows = lex.rows(lang)
    assert rows
    for row in rows:
        for form in row.forms:
            assert form == unicodedata.normalize("NFC", form), (lang, form)
            assert form == form.strip() and "\t" not in form, (lang, form)


@pytest.mark.parametrize("lang", lex.LANGUAGES)
def test_no_form_is_listed_twice_in_a_file(lang: str) -> None:
    seen: dict[tuple[str, str], int | None] = {}
    for row in lex.rows(lang):
        for form in row.forms:
            key = (row.kind, lex.fold_phrase(form))
            assert seen.setdefault(key, row.value) == row.value, (lang, form)


def test_no_two_languages_give_one_spelling_two_meanings() -> None:
    """A folded spelling must mean one value across all files (else the file order decides)."""
    for kinds in [("number", "ordinal", "multiplier"), ("month",), ("relative",), ("weekday",)]:
        meanings: dict[str, set[tuple[int | None, str]]] = defaultdict(set)
        for kind in kinds:
            for row in lex.all_rows(kind):
                for form in row.forms:
                    meanings[lex.fold_phrase(form)].add((row.value, f"{row.lang}:{form}"))
        clashes = {
            key: sorted(found)
            for key, found in meanings.items()
            if len({value for value, _ in found}) > 1
        }
        assert not clashes, clashes


def test_ambiguous_words_are_number_words() -> None:
    numbers = lex.values("number", "ordinal", "multiplier")
    for row in lex.all_rows("ambiguous"):
        for form in row.forms:
            assert lex.fold(form) in numbers, (row.lang, form)


def test_a_bad_row_is_reported_with_its_file_and_line() -> None:
    with pytest.raises(ValueError, match=r"bn.tsv line 7: unknown kind"):
        lex._parse_line("bn", 7, "numbr\t1\tnative\tএক")
    with pytest.raises(ValueError, match="need a number"):
        lex._parse_line("bn", 8, "number\t-\tnative\tএক")
    with pytest.raises(ValueError, match="4 tab-separated"):
        lex._parse_line("bn", 9, "number 1 native এক")


def test_nothing_is_read_at_import() -> None:
    code = (
        "import api.domain.parsing, api.domain.digits, api.domain.lexicons as lex;"
        "print(lex.rows.cache_info().currsize, lex.values.cache_info().currsize)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["0", "0"]
