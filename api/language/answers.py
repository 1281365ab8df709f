"""Yes and no as workers say them, in three languages and scripts ("haan ji", "হ্যাঁ, PF কাটে",
"no, wrong"): the first word decides, so an answer that goes on to explain still counts; a
refusal said without a "no" ("रहने दीजिए, मत भेजिए", "thak, pathaben na") is a no as well."""

from __future__ import annotations

import re
import unicodedata

YES = frozenset(
    {
        "yes",
        "yeah",
        "yep",
        "yup",
        "ya",
        "yea",
        "ok",
        "okay",
        "sure",
        "right",
        "correct",
        "ha",
        "haa",
        "haan",
        "han",
        "hn",
        "haanji",
        "hanji",
        "ji",
        "jee",
        "theek",
        "thik",
        "sahi",
        "hya",
        "hyan",
        "hyaa",
        "hum",
        "hmm",
        "ঠিক",
        "হ্যাঁ",
        "হ্যা",
        "হুম",
        "হুঁ",
        "আচ্ছা",
        "হাঁ",
        "হা",
        "हाँ",
        "हां",
        "जी",
        "हाँजी",
        "हांजी",
        "ठीक",
        "सही",
        "हा",
    }
)
NO = frozenset(
    {
        "no",
        "nope",
        "nah",
        "not",
        "na",
        "naa",
        "nahi",
        "nahin",
        "nai",
        "nei",
        "noi",
        "galat",
        "wrong",
        "bhul",
        "vul",
        "না",
        "নাই",
        "নেই",
        "নয়",
        "ভুল",
        "नहीं",
        "नही",
        "ना",
        "नइ",
        "गलत",
        "ग़लत",
    }
)
_WORD = re.compile(r"[\w\u0980-\u09ff\u0900-\u097f]+")


def yes_or_no(text: str) -> bool | None:
    """True for yes, False for no, None when the message does not start with either."""
    words = _WORD.findall(text.casefold())
    if not words:
        return None
    first = words[0]
    if first in YES:
        return True
    if first in NO:
        return False
    return None


# "Leave it", "don't send", "cancel", "not needed": a refusal anywhere in the message. Hindi
# puts its "don't" (मत) before the verb and Bengali its "না" after it, so no first word says it.
_REFUSAL_WORDS = (
    "(?:don't|dont|do not)(?! know| understand)|leave it|forget it|never mind|nevermind|cancel"
    "|not needed|rehne do|rehne dijiye|rahne do|rahne dijiye|chhodo|chhodiye|chodo|chodiye"
    "|chhod do|mat|radd"
    "|nahi chahiye|nahin chahiye|zaroorat nahi|thak|thaak|thakuk|bad din|bad dao|batil"
    "|lagbe na|dorkar nei|pathaben na|pathio na|pathiyo na"
    "|रहने दो|रहने दीजिए|रहने दें|छोड़ो|छोड़िए|छोड़ दो|छोड़ दीजिए|मत|रद्द|कैंसिल|नहीं चाहिए"
    "|ज़रूरत नहीं|जरूरत नहीं|থাক|থাকুক|বাদ দিন|বাদ দাও|বাতিল|লাগবে না|দরকার নেই"
    "|পাঠাবেন না|পাঠিও না|পাঠাও না|ক্যানসেল"
)
_EDGE = r"[\w\u0980-\u09ff\u0900-\u097f']"
_REFUSAL = re.compile(rf"(?<!{_EDGE})(?:{unicodedata.normalize('NFD', _REFUSAL_WORDS)})(?!{_EDGE})")


def refuses(text: str) -> bool:
    """True when the message says "leave it" or "don't" in any of the three languages."""
    folded = " ".join(unicodedata.normalize("NFD", text.casefold()).split())
    return _REFUSAL.search(folded) is not None


# "I don't know", "pata nahi", "জানি না": an answer that the worker does not know, not a fact.
_UNKNOWING_WORDS = (
    "(?:don't|dont|do not|didn't|did not) know|not sure|no idea|can't say|cannot say"
    "|pata nahi|pata nahin|nahi pata|nahin pata|malum nahi|maloom nahi|nahi malum|nahi maloom"
    "|jani na|janina|jaani na|bolte parbo na|bolte parchi na"
    "|पता नहीं|नहीं पता|मालूम नहीं|नहीं मालूम|জানি না|জানিনা|বলতে পারব না|বলতে পারছি না"
)
_UNKNOWING = re.compile(
    rf"(?<!{_EDGE})(?:{unicodedata.normalize('NFD', _UNKNOWING_WORDS)})(?!{_EDGE})"
)


def does_not_know(text: str) -> bool:
    """True when the message says the worker does not know, in any of the three languages."""
    folded = " ".join(unicodedata.normalize("NFD", text.casefold()).split())
    return _UNKNOWING.search(folded) is not None
