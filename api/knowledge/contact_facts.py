"""Which contact detail a question asks for: a phone number, an e-mail address or a website.

Why: no passage holds an office's or an officer's phone number, yet "what is the phone number of
the Gaya labour office" ranks the Gaya office passage first, and reading out its address answers
something else. A question for a detail the best passage does not give gets "I don't know that;
an officer can tell you" (docs/contracts.md, "Knowledge base"). The worker's OWN number ("my
mobile number changed") is a question about their record, not a lookup, and is left alone.
"""

from __future__ import annotations

import re
import unicodedata

CONTACT_FACTS = ("phone", "email", "website")

_NUMBER = r"(?:number|nambar|nomber|nombor|numbar|no\.?|num)"
_PLACE_EN = r"(?:office|officer|inspector|board|department|daftar|doptor|adhikari|afsar|adhikarik)"
_PATTERNS: dict[str, tuple[str, ...]] = {
    "phone": (
        # English and romanised Hindi/Bengali
        rf"\b(?:phone|fone|mobile|contact|telephone|tel|cell|whatsapp|landline)\s*{_NUMBER}(?!\w)",
        rf"\b{_NUMBER}\s+of\s+(?:the\s+)?(?:\w+\s+)?{_PLACE_EN}(?!\w)",
        rf"\b{_PLACE_EN}(?:'s|er|r|\s+(?:ka|ki|ke|er|r))?\s+(?:phone\s+|mobile\s+|contact\s+)?{_NUMBER}(?!\w)",
        r"\b(?:call|phone|ring)\s+(?:the\s+)?(?:office|officer|inspector)\b",
        # Hindi
        r"(?:फ़ोन|फोन|मोबाइल|संपर्क|कॉन्टैक्ट|टेलीफ़ोन|टेलीफोन)\s*(?:नंबर|नम्बर)",
        r"(?:दफ़्तर|दफ्तर|ऑफिस|ऑफ़िस|कार्यालय|अधिकारी|अफसर|अफ़सर)\s+(?:का|की|के)\s+(?:फ़ोन\s+|फोन\s+)?(?:नंबर|नम्बर)",
        # Bengali
        r"(?:ফোন|মোবাইল|যোগাযোগের|কন্টাক্ট|টেলিফোন)\s*(?:নম্বর|নাম্বার|নং)",
        r"(?:অফিসের|অফিসারের|দপ্তরের|আধিকারিকের|অফিসার)\s+(?:ফোন\s+)?(?:নম্বর|নাম্বার)",
    ),
    "email": (r"\be-?\s?mail\b", r"ई-?मेल", r"ই-?মেই?ল"),
    "website": (r"\bweb\s?site\b", r"\bweb\s?page\b", r"वेबसाइट", r"ওয়েবসাইট"),
}
# "my phone number", "mera mobile number", "আমার ফোন নম্বর": the worker's own record.
_OWN = re.compile(
    r"(?:\bmy|\bmera|\bmeri|\bmere|\bapna|\bapni|\bamar|\bnijer|मेरा|मेरी|मेरे|अपना|अपनी|আমার|নিজের)"
    r"\s+(?:\S+\s+)?(?:phone|fone|mobile|contact|e-?mail|फ़ोन|फोन|मोबाइल|ईमेल|ফোন|মোবাইল|ইমেল)"
    r"\S*(?:\s+\S+)?"
)
_COMPILED = {fact: tuple(re.compile(p) for p in pats) for fact, pats in _PATTERNS.items()}


def asked_contact_fact(question: str) -> str | None:
    """'phone', 'email' or 'website' when the question asks for one; None otherwise."""
    text = unicodedata.normalize("NFC", " ".join((question or "").lower().split()))
    text = _OWN.sub(" ", text.replace("\u093c", ""))  # nukta dropped: फ़ोन and फोन are one word
    for fact in CONTACT_FACTS:
        if any(p.search(text) for p in _COMPILED[fact]):
            return fact
    return None
