"""Who a nominee is to the worker, and their name, from what the worker said.

Why: "I want to make my wife Sunita Devi my nominee" already answers two of the nominee
questions; asking them again makes the worker repeat themself (issue 17). The words live in
api/data/lexicons/kin.tsv (bn, hi, en, native and romanised), read once on first use.

Conservative by design: a relation is taken only when the message names exactly one and does
not speak of the nominee being replaced; a name only when it is the person_name entity, or the
few words right after the relation word or after "name is"/"naam", and never a relation word,
a function word, a verb or a number. When unsure nothing is taken, and the question is asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from api.domain.codes import RELATIONS
from api.domain.lexicons import LEXICON_DIR, fold, latin, nfc, values

KIN_FILE = LEXICON_DIR / "kin.tsv"
WORD_KINDS = frozenset({"relation", "possessive", "marker", "copula", "self", "stop", "past"})
KINDS = WORD_KINDS | {"name_suffix", "relation_suffix"}
LANGS = frozenset({"bn", "hi", "en"})
NAME_WORDS = 4  # more words than this with no word ending them: unsure, the name is asked
NAME_MAX = 80
_WORD = re.compile(r"[\w\u0900-\u0963\u0966-\u09ff\u200c\u200d]+")
_SENTENCE_END = re.compile(r"[.?!\u0964\u0965;]")


@dataclass(frozen=True)
class KinRow:
    kind: str
    value: str | None
    lang: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Told:
    """What one message says about the nominee: a relation code and a name, or None each."""

    relation: str | None
    name: str | None


@dataclass(frozen=True)
class _Token:
    text: str
    key: str
    gap: str  # what stands between this word and the one before it


def _parse(number: int, line: str) -> KinRow:
    cells = [cell.strip() for cell in line.split("\t")]
    if len(cells) != 4:
        raise ValueError(f"kin.tsv line {number}: expected 4 tab-separated cells")
    kind, value, lang, forms = cells
    if kind not in KINDS or lang not in LANGS:
        raise ValueError(f"kin.tsv line {number}: unknown kind or language")
    if (kind == "relation") != (value in RELATIONS) or (kind != "relation" and value != "-"):
        raise ValueError(f"kin.tsv line {number}: a relation row needs a RELATIONS code, others -")
    spellings = tuple(nfc(f.strip()) for f in forms.split("|") if f.strip())
    if not spellings or any(" " in f for f in spellings):
        raise ValueError(f"kin.tsv line {number}: forms must be single words")
    return KinRow(kind, value if kind == "relation" else None, lang, spellings)


@cache
def rows() -> tuple[KinRow, ...]:
    """Every row of kin.tsv, in file order (read once)."""
    text = KIN_FILE.read_text(encoding="utf-8")
    return tuple(
        _parse(number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.startswith("#")
    )


@cache
def _table() -> dict[str, dict[str, str]]:
    """Folded word -> {kind: relation code or "-"}."""
    table: dict[str, dict[str, str]] = {}
    for row in rows():
        if row.kind in WORD_KINDS:
            for form in row.forms:
                table.setdefault(fold(form), {}).setdefault(row.kind, row.value or "-")
    return table


@cache
def _suffixes(kind: str) -> tuple[str, ...]:
    found = {form for row in rows() if row.kind == kind for form in row.forms}
    return tuple(sorted(found, key=len, reverse=True))


@cache
def _number_words() -> frozenset[str]:
    return frozenset(values("number", "multiplier"))


def _tokens(text: str) -> list[_Token]:
    said = nfc(text or "")
    out: list[_Token] = []
    end = 0
    for match in _WORD.finditer(said):
        out.append(_Token(match.group(), fold(match.group()), said[end : match.start()]))
        end = match.end()
    return out


def _is(token: _Token, kind: str) -> bool:
    return kind in _table().get(token.key, {})


def _relation(token: _Token) -> str | None:
    """The relation a word names ("patni", "স্ত্রী"), also with a case ending ("বউকে")."""
    code = _table().get(token.key, {}).get("relation")
    if code or latin(token.text) is not None:
        return code
    for suffix in _suffixes("relation_suffix"):
        if token.text.endswith(suffix) and len(token.text) > len(suffix):
            stem = _table().get(fold(token.text[: -len(suffix)]), {})
            if "relation" in stem:
                return stem["relation"]
    return None


def relation_word(word: str) -> str | None:
    """The relation one word names, in any language and script ("beta", "বউকে"), or None."""
    tokens = _tokens(word)
    return _relation(tokens[0]) if len(tokens) == 1 else None


def _name_word(token: _Token, first: bool = True) -> bool:
    """A word that may be in a name. A number word may not begin one ("teen", "তিন") but may
    follow a name word: "das" is ten in Hindi and one of Bengal's commonest surnames."""
    if any(ch.isdigit() for ch in token.text) or "_" in token.text:
        return False
    if _table().get(token.key, {}).keys() & WORD_KINDS or _relation(token):
        return False
    if not first:
        return True
    return token.key not in _number_words() and nfc(token.text).lower() not in _number_words()


def _without_suffix(word: str) -> str:
    if latin(word) is not None:
        return word
    for suffix in _suffixes("name_suffix"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    return word


def _name_from(tokens: list[_Token], start: int) -> str | None:
    """The words of a name from `start`: up to NAME_WORDS name words, ended by punctuation or
    by a word that cannot be in a name; None when there are none or too many."""
    words: list[str] = []
    for token in tokens[start:]:
        if _SENTENCE_END.search(token.gap) or (words and token.gap.strip()):
            break
        if not _name_word(token, first=not words):
            break
        words.append(token.text)
        if len(words) > NAME_WORDS:
            return None
    if not words:
        return None
    words[-1] = _without_suffix(words[-1])
    name = " ".join(words)
    return name if len(name) >= 2 else None


def _after_markers(tokens: list[_Token]) -> str | None:
    """The name after "naam"/"name is"; never after "my name"/"mera naam" (the worker's own)."""
    for index, token in enumerate(tokens):
        if _is(token, "marker") and not _owned(tokens, index):
            start = index + 1
            while start < len(tokens) and _is(tokens[start], "copula"):
                start += 1
            found = _name_from(tokens, start)
            if found:
                return found
    return None


def is_plain_name(candidate: str | None) -> bool:
    """Whether words given as a name (the NLU's person_name) hold only name words."""
    tokens = _tokens(candidate or "")
    text = " ".join(t.text for t in tokens)
    return (
        0 < len(tokens) <= NAME_WORDS
        and len(text) <= NAME_MAX
        and all(_name_word(token, first=i == 0) for i, token in enumerate(tokens))
    )


def _leads(tokens: list[_Token], index: int) -> bool:
    """A relation word not straight after a name word: in "Ramesh Bhai Patel" or "Sunita Didi"
    it is part of how a person is called, not who they are to the worker."""
    if index == 0 or tokens[index].gap.strip():
        return True
    return not _name_word(tokens[index - 1])


def _owned(tokens: list[_Token], index: int) -> bool:
    """The word follows "my"/"meri"/"amar" with nothing between but spaces."""
    return index > 0 and _is(tokens[index - 1], "possessive") and not tokens[index].gap.strip()


def told(
    text: str,
    *,
    relations: tuple[str, ...] = (),
    person_name: str | None = None,
    owned: bool = False,
) -> Told:
    """The nominee's relation and name as one message states them.

    `relations`: the NLU's relation entity values; `person_name`: its person_name entity, not
    trusted when the worker speaks of themself ("I am Ramesh", "my name is ...").
    `owned`: only a relation word right after a possessive counts ("meri patni Sunita"), for a
    message that answers another question (the name) and may hold a word like "bhai" inside a
    name; the entities are then not trusted for the relation either.
    """
    tokens = _tokens(text)
    if any(_is(token, "past") for token in tokens):
        return Told(None, None)
    found = [
        (i, code) for i, t in enumerate(tokens) if (code := _relation(t)) and _leads(tokens, i)
    ]
    if owned:
        found = [(i, code) for i, code in found if _owned(tokens, i)]
    codes = {code for _, code in found}
    if not owned:
        codes |= {r for r in relations if r in RELATIONS}
    relation = next(iter(codes)) if len(codes) == 1 else None
    own_name = any(_is(t, "self") or (_is(t, "marker") and _owned(tokens, i))
                   for i, t in enumerate(tokens))  # fmt: skip
    candidates = {_after_markers(tokens)}
    if relation:
        after = [_name_from(tokens, i + 1) for i, code in found if code == relation]
        candidates.add(next((name for name in after if name), None))
    candidates.discard(None)
    name = candidates.pop() if len(candidates) == 1 else None
    if owned and relation and name is None:  # "Sunita Devi, my wife": the answer's name first
        name = next(
            (n for i, code in found if code == relation and (n := _name_before(tokens, i))), None
        )
    if person_name and is_plain_name(person_name) and not own_name:
        entity = " ".join(person_name.split())
        # the NLU often tags the first word alone ("Tapan" of "Tapan Das"): the words after the
        # relation win when they begin with the entity's
        longer = name is not None and _starts_with(name, entity) and name != entity
        return Told(relation, name if longer else entity)
    return Told(relation, name)


def _name_before(tokens: list[_Token], index: int) -> str | None:
    """The name an answer begins with, before "my wife" at `index` (its possessive right
    before it): every word from the first a name word, at most NAME_WORDS of them."""
    words = tokens[: index - 1]
    if not 0 < len(words) <= NAME_WORDS:
        return None
    if not all(_name_word(t, first=n == 0) for n, t in enumerate(words)):
        return None
    if any(_SENTENCE_END.search(t.gap) for t in words[1:]):
        return None
    name = " ".join(t.text for t in words)
    return name if len(name) >= 2 else None


def _starts_with(name: str, first: str) -> bool:
    words, head = [t.key for t in _tokens(name)], [t.key for t in _tokens(first)]
    return 0 < len(head) < len(words) and words[: len(head)] == head
