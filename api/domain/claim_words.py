"""A claim type named in the worker's own words, when the list's label was not used.

Asked "what is the claim for?", workers rarely repeat the label: they say "চিকিৎসার খরচ" (the
cost of treatment), "doctor ka kharcha", "delivery hua hai". Bengali and Hindi add endings to
the word itself (চিকিৎসা -> চিকিৎসার), so the words below are word starts, in bn, hi and en,
native and romanised. Only one claim type may fit: a message naming two is asked again.
Accidents without their outcome are api/domain/accidents.py's (they ask which outcome).
"""

from __future__ import annotations

from api.domain.accidents import ACCIDENT_OUTCOMES, accident_outcome, named

# Word starts per claim type; accident_death and accident_disability come from accidents.py.
_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "medical": (
        "medical", "doctor", "illness", "sick", "medicine", "daktar", "dactar", "bimar",
        "dawai", "dava", "osudh", "oshudh", "asukh", "chikitsa", "chikitsha", "ilaj",
        "डॉक्टर", "डाक्टर", "बीमार", "दवा", "इलाज", "चिकित्सा",
        "ডাক্তার", "অসুখ", "ওষুধ", "চিকিৎসা", "চিকিত্সা",
    ),
    "maternity": (
        "matern", "pregnan", "childbirth", "delivery", "prasav", "prosob", "prosuti",
        "matritv", "garbh",
        "प्रसव", "मातृत्व", "गर्भ", "डिलीवरी",
        "প্রসব", "প্রসূতি", "মাতৃত্ব", "গর্ভ",
    ),
    "education": (
        "educat", "school", "study", "studies", "padhai", "porashona", "porashuna", "shiksha",
        "पढ़ाई", "पढाई", "स्कूल", "शिक्षा",
        "পড়াশোনা", "পড়াশুনা", "পড়াশোনার", "স্কুল", "শিক্ষা",
    ),
    "death_funeral": (
        "funeral", "cremation", "burial", "antim sanskar", "shotkar", "satkar", "kriya",
        "अंतिम संस्कार", "दाह", "क्रिया कर्म",
        "সৎকার", "শ্রাদ্ধ", "দাহ",
    ),
    "pension": ("pension", "पेंशन", "पेन्शन", "পেনশন"),
}  # fmt: skip


def claim_type_in(text: str) -> str | None:
    """The one claim type the message's words name, or None (none, or more than one)."""
    found = named(text, _TYPE_WORDS)
    outcome = accident_outcome(text)
    if outcome is not None and outcome not in found:
        found.append(outcome)
    if "medical" in found and any(o in found for o in ACCIDENT_OUTCOMES if o != "medical"):
        found.remove("medical")  # "died in hospital" is the death, not the hospital bill
    return found[0] if len(found) == 1 else None
