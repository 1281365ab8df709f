"""Claims a family files for a worker who died: which types, how the nominee's name is matched,
and the family pension's amount (docs/contracts.md, "Family claims").

Why the name: UAN and date of birth are printed on the worker's card, which any relative or
stranger holding it can read; the nominee's name as registered is what the rightful claimant
knows. It is said or typed loosely (another script, another spelling, a title), so both sides are
reduced to one rough sound key before they are compared.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from fractions import Fraction

from api.domain.accidents import DEATH_WORDS, named
from api.language.phonetic import phonetic_key

# The claim types the family files (the worker's own check is never used for them).
DEATH_CLAIM_TYPES = ("death_funeral", "accident_death")
FAMILY_PENSION = "family_pension"
FAMILY_CLAIM_TYPES = (*DEATH_CLAIM_TYPES, FAMILY_PENSION)

# A death is paid once: any claim of the type still open, approved or paid is the same event.
BLOCKING_STATUSES = ("submitted", "under_review", "documents_pending", "approved", "paid")

_TITLES = frozenset(
    {"smt", "shrimati", "srimati", "shri", "sri", "shree", "mr", "mrs", "ms", "miss", "late"}
)
# After the sound key: spellings of one name that people write both ways.
_VARIANTS = [
    (re.compile(r"([kgcjtdpb])h"), r"\1"),  # aspirates: bh/b, dh/d, th/t, kh/k
    (re.compile(r"sh|ss"), "s"),
    (re.compile(r"[vw]"), "b"),  # Bengali has no v: Biswas / Viswas
    (re.compile(r"y"), "j"),  # Bengali য is j, Hindi य is y
    (re.compile(r"[aeiou]+"), "a"),  # long/short vowels, Bengali o for a
    (re.compile(r"([a-z])\1+"), r"\1"),
]


def _strip_marks(text: str) -> str:
    """Latin diacritics off (é -> e); Indic letters are left for the sound key."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (
        ch
        for ch in decomposed
        if not (unicodedata.combining(ch) and not "\u0900" <= ch <= "\u09ff")
    )
    return unicodedata.normalize("NFC", "".join(kept))


def _word_key(word: str) -> str:
    key = word
    for pattern, replacement in _VARIANTS:
        key = pattern.sub(replacement, key)
    return key.rstrip("a") or key


def name_key(name: str) -> tuple[str, ...]:
    """The name as sorted word keys, titles dropped ('Smt. Rokeya Bibi' == 'রোকেয়া বিবি')."""
    latin = phonetic_key(_strip_marks(name))
    words = [w for w in latin.replace("_", " ").split() if w not in _TITLES and not w.isdigit()]
    return tuple(sorted(_word_key(w) for w in words if w))


def name_matches(given: str, registered: str | None) -> bool:
    """Whether the name said is the nominee's as registered (no nominee: never)."""
    if not registered:
        return False
    want = name_key(registered)
    return bool(want) and name_key(given) == want


def claim_types_open(has_pension: bool) -> list[str]:
    """The family claims that may be filed for the worker."""
    return [*DEATH_CLAIM_TYPES, *([FAMILY_PENSION] if has_pension else [])]


def duplicate(new_type: str, existing: Sequence[tuple[str, str, str]]) -> str | None:
    """The reference of a claim (reference, type, status) for the same death, else None."""
    for reference, claim_type, status in existing:
        if claim_type == new_type and status in BLOCKING_STATUSES:
            return reference
    return None


def family_pension_amount(
    last_pension: int, scheme: str | None, shares: Mapping[str, Fraction]
) -> int | None:
    """The monthly family pension: the scheme's share of the last pension, rounded down to a
    rupee; None when the scheme publishes no share (the office decides)."""
    share = shares.get(scheme or "")
    if share is None or last_pension <= 0:
        return None
    return int(last_pension * share)


# How people say a family pension, a funeral, an accident (word starts; bn, hi, en, native and
# romanised). That the worker died is said in the accident table's death words
# (api/domain/accidents.py).
_WORDS: dict[str, tuple[str, ...]] = {
    FAMILY_PENSION: (
        "family pension", "widow pension", "parivarik pension", "paribarik pension",
        "pariwarik pension", "पारिवारिक पेंशन", "परिवार पेंशन", "फैमिली पेंशन",
        "পারিবারিক পেনশন", "ফ্যামিলি পেনশন", "পরিবার পেনশন",
    ),
    "death_funeral": (
        "funeral", "cremation", "burial", "antim sanskar", "shotkar", "satkar", "shraddh",
        "अंतिम संस्कार", "दाह", "क्रिया कर्म", "সৎকার", "শ্রাদ্ধ", "দাহ", "শেষকৃত্য",
    ),
    "accident_death": (
        "accident", "durghatna", "durghotona", "hadsa", "haadsa", "दुर्घटना", "हादसा",
        "এক্সিডেন্ট", "দুর্ঘটনা", "एक्सीडेंट",
    ),
}  # fmt: skip
# "expired" is a death in an accident's account, but a membership or a certificate expires too
_DIED = {"death": tuple(w for w in DEATH_WORDS if w != "expire")}
# Words asking to file (not asking what a scheme gives): "claim", "apply", "দাবি", "आवेदन".
_CLAIM_WORDS: dict[str, tuple[str, ...]] = {
    "claim": (
        "claim", "apply", "application", "file", "dabi", "daba", "daava", "dava", "abedon",
        "aavedan", "avedan", "दावा", "आवेदन", "क्लेम", "দাবি", "আবেদন", "ক্লেম",
    ),
}  # fmt: skip


def family_claim_in(text: str) -> str | None:
    """What a family's message asks for: `family_pension` when it names one; when the words
    say the worker died, the death claim they name (funeral, accident) or `death`; else None."""
    found = named(text, _WORDS)
    if FAMILY_PENSION in found:
        return FAMILY_PENSION
    if not named(text, _DIED):
        return None
    kinds = [k for k in found if k in DEATH_CLAIM_TYPES]
    return kinds[0] if len(kinds) == 1 else "death"


def asks_to_file(text: str) -> bool:
    """Whether the message asks to file something ("I want to claim"), not what one may get."""
    return bool(named(text, _CLAIM_WORDS))
