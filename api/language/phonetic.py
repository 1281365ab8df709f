"""A rough Latin "sound key" for Devanagari, Bengali and romanised text.

Why: workers write the same words in native script ("पेंशन बंद"), romanised ("pension band") and
mixed forms; mapping every script onto one approximate Latin spelling lets character n-grams of
one form match the others. Deliberately lossy (long and short vowels merged): it only has to make
spellings of one word meet. Used by the knowledge base's keyword search and by the NLU's intent
classifier (bot/components/tfidf_intent_classifier.py), so it is pure Python, standard library
only: it runs in both virtual environments, and it is part of the Rasa model's inputs hash.
"""

from __future__ import annotations

import re
import unicodedata

_DEVANAGARI_CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j",
    "झ": "jh", "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t",
    "थ": "th", "द": "d", "ध": "dh", "न": "n", "प": "p", "फ": "ph", "ब": "b", "भ": "bh",
    "म": "m", "य": "y", "र": "r", "ल": "l", "व": "v", "श": "sh", "ष": "sh", "स": "s",
    "ह": "h", "क़": "k", "ख़": "kh", "ग़": "g", "ज़": "z", "ड़": "r", "ढ़": "rh", "फ़": "f",
    "य़": "y", "ळ": "l",
}  # fmt: skip
_DEVANAGARI_VOWELS = {
    "अ": "a", "आ": "a", "इ": "i", "ई": "i", "उ": "u", "ऊ": "u", "ऋ": "ri", "ए": "e",
    "ऐ": "ai", "ओ": "o", "औ": "au", "ऑ": "o", "ऍ": "e",
}  # fmt: skip
_DEVANAGARI_SIGNS = {
    "ा": "a", "ि": "i", "ी": "i", "ु": "u", "ू": "u", "ृ": "ri", "े": "e", "ै": "ai",
    "ो": "o", "ौ": "au", "ॉ": "o", "ॅ": "e", "ं": "n", "ँ": "n", "ः": "h",
}  # fmt: skip
_BENGALI_CONSONANTS = {
    "ক": "k", "খ": "kh", "গ": "g", "ঘ": "gh", "ঙ": "ng", "চ": "ch", "ছ": "chh", "জ": "j",
    "ঝ": "jh", "ঞ": "n", "ট": "t", "ঠ": "th", "ড": "d", "ঢ": "dh", "ণ": "n", "ত": "t",
    "থ": "th", "দ": "d", "ধ": "dh", "ন": "n", "প": "p", "ফ": "ph", "ব": "b", "ভ": "bh",
    "ম": "m", "য": "j", "র": "r", "ল": "l", "শ": "sh", "ষ": "sh", "স": "s", "হ": "h",
    "ড়": "r", "ঢ়": "rh", "য়": "y", "ৎ": "t", "ৱ": "w",
}  # fmt: skip
_BENGALI_VOWELS = {
    "অ": "o", "আ": "a", "ই": "i", "ঈ": "i", "উ": "u", "ঊ": "u", "ঋ": "ri", "এ": "e",
    "ঐ": "oi", "ও": "o", "ঔ": "ou",
}  # fmt: skip
_BENGALI_SIGNS = {
    "া": "a", "ি": "i", "ী": "i", "ু": "u", "ূ": "u", "ৃ": "ri", "ে": "e", "ৈ": "oi",
    "ো": "o", "ৌ": "ou", "ং": "ng", "ঁ": "n", "ঃ": "h",
}  # fmt: skip
_VIRAMAS = {"्", "্"}
_NUKTAS = {"़", "়"}
_DIGITS = str.maketrans("०१२३४५६७८९০১২৩৪৫৬৭৮৯", "01234567890123456789")

# Spelling variation in romanised text, applied after transliteration so both sides meet.
_LATIN_RULES = [
    (re.compile(r"ee|ii"), "i"),
    (re.compile(r"oo|uu"), "u"),
    (re.compile(r"aa"), "a"),
    (re.compile(r"w"), "v"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"q"), "k"),
    (re.compile(r"z"), "j"),
    (re.compile(r"c(?!h)"), "k"),
    (re.compile(r"([a-z])\1+"), r"\1"),
]
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def _transliterate(text: str) -> str:
    """Native-script letters to Latin; consonants carry their inherent vowel unless suppressed."""
    out: list[str] = []
    # NFC splits nukta letters (क़ -> क + ़, a composition exclusion) but keeps ো/ৌ whole
    chars = unicodedata.normalize("NFC", text)
    i = 0
    while i < len(chars):
        ch = chars[i]
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if nxt in _NUKTAS and ch + nxt in {**_DEVANAGARI_CONSONANTS, **_BENGALI_CONSONANTS}:
            ch, i = ch + nxt, i + 1
            nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if ch in _DEVANAGARI_CONSONANTS or ch in _BENGALI_CONSONANTS:
            bengali = ch in _BENGALI_CONSONANTS
            out.append(_BENGALI_CONSONANTS[ch] if bengali else _DEVANAGARI_CONSONANTS[ch])
            signs = _BENGALI_SIGNS if bengali else _DEVANAGARI_SIGNS
            vowel_follows = nxt in signs and nxt not in {"ং", "ঁ", "ঃ", "ं", "ँ", "ः"}
            word_ends = not nxt or (not nxt.isalpha() and nxt not in signs)
            if not (vowel_follows or nxt in _VIRAMAS or nxt in _NUKTAS or word_ends):
                out.append("o" if bengali else "a")
        elif ch in _DEVANAGARI_VOWELS:
            out.append(_DEVANAGARI_VOWELS[ch])
        elif ch in _BENGALI_VOWELS:
            out.append(_BENGALI_VOWELS[ch])
        elif ch in _DEVANAGARI_SIGNS:
            out.append(_DEVANAGARI_SIGNS[ch])
        elif ch in _BENGALI_SIGNS:
            out.append(_BENGALI_SIGNS[ch])
        elif ch in _VIRAMAS or ch in _NUKTAS or ch in {"\u200c", "\u200d"}:
            pass
        elif ch in {"।", "॥"}:
            out.append(" ")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def phonetic_key(text: str) -> str:
    """Lower-case Latin approximation of `text`, digits in ASCII, punctuation removed."""
    latin = _transliterate(text.translate(_DIGITS)).lower()
    latin = _NON_WORD.sub(" ", latin)
    for pattern, replacement in _LATIN_RULES:
        latin = pattern.sub(replacement, latin)
    return _SPACES.sub(" ", latin).strip()


def normalise_text(text: str) -> str:
    """Lower case, ASCII digits, NFC; the surface form the classifier's n-grams read."""
    text = unicodedata.normalize("NFC", text).translate(_DIGITS).lower()
    return _SPACES.sub(" ", text).strip()
