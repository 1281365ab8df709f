"""A helper acts for a worker: who may, how they are named, and the words that ask for it
(docs/contracts.md, "A helper acts for a worker").

Why a relation from a short list: the worker's consent SMS names the helper in the worker's own
language, and an officer reads it on the case; free words would be neither translatable nor
comparable. The name is the helper's own words, kept short and free of numbers (a number in it
is most likely a UAN or a phone number said at the wrong question).
"""

from __future__ import annotations

import re
from enum import StrEnum

from api.domain import kin


class HelperRelation(StrEnum):
    """Who the helper is to the worker (keypad order: the most common first)."""

    SON = "son"
    DAUGHTER = "daughter"
    HUSBAND = "husband"
    WIFE = "wife"
    FAMILY = "family"  # another relative
    NEIGHBOUR = "neighbour"
    VOLUNTEER = "volunteer"


HELPER_RELATIONS: tuple[str, ...] = tuple(HelperRelation)
NAME_MAX = 80
NOT_GIVEN = ""  # the phone keypad cannot spell a name: the consent records the relation alone

# The assistant's `relation` entity names the WORKER's kin ("for my father"): what that makes the
# helper is not always known (a son or a daughter), so only the unambiguous ones are mapped.
_FROM_ENTITY = {"husband": "husband", "wife": "wife", "son": "son", "daughter": "daughter"}
# The helper's own kind when not family (family words: api/data/lexicons/kin.tsv, as for nominees)
_WORDS = {
    "neighbour": "neighbour",
    "neighbor": "neighbour",
    "padosi": "neighbour",
    "poroshi": "neighbour",
    "pratibeshi": "neighbour",
    "पड़ोसी": "neighbour",
    "প্রতিবেশী": "neighbour",
    "volunteer": "volunteer",
    "swayamsevak": "volunteer",
    "sevak": "volunteer",
    "स्वयंसेवक": "volunteer",
    "স্বেচ্ছাসেবক": "volunteer",
    "relative": "family",
    "family": "family",
    "rishtedar": "family",
    "attiyo": "family",
    "atmiyo": "family",
    "रिश्तेदार": "family",
    "আত্মীয়": "family",
}

# Words that say the writer speaks FOR someone else: en, hi and bn, native and romanised.
_ACTS_FOR = re.compile(
    r"on behalf of|calling for my|speaking for my|call(?:ing)? for (?:him|her)"
    r"|(?:can ?not|can't|cannot|unable to) use (?:the |a )?phone"
    r"|\bki (?:taraf|or) se\b|\bke badle\b|\bki jagah\b"
    r"|की (?:तरफ़?|ओर) से|के बदले|की जगह"
    r"|\bhoye (?:bol|kotha)|\bpokkho theke\b|\bpakkha theke\b"
    r"|হয়ে (?:বল|কথা)|পক্ষ থেকে",
    re.IGNORECASE,
)


def acts_for_worker(text: str) -> bool:
    """Whether a message says its writer speaks for a worker ("I am calling for my father",
    "main apne pati ki taraf se baat kar rahi hoon", "ami amar babar hoye bolchi")."""
    return bool(_ACTS_FOR.search(text or ""))


def relation_of(text: str | None, entity: str | None = None) -> str | None:
    """A helper relation code from a code, the NLU's relation entity, or the words said."""
    if entity in _FROM_ENTITY:
        return _FROM_ENTITY[entity]
    cleaned = (text or "").strip().lower()
    if cleaned in HELPER_RELATIONS:
        return cleaned
    for word in re.findall(r"[\w\u0900-\u09ff]+", cleaned):
        if word in _WORDS:
            return _WORDS[word]
        if (kin_code := kin.relation_word(word)) in _FROM_ENTITY:
            return _FROM_ENTITY[kin_code]
    return None


def clean_name(text: str | None) -> str | None:
    """The helper's name as said, tidied; None when it is empty, too long or has digits."""
    name = " ".join((text or "").split()).strip(" .,;:!?")
    if not name or len(name) > NAME_MAX or any(ch.isdigit() for ch in name):
        return None
    return name
