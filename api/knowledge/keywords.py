"""Lexical evidence: TF-IDF over each passage's keywords, titles and texts in all languages.

Three indexes, one feature each: character n-grams of the text as written, character n-grams of
its phonetic key (api/language/phonetic.py: "পেনশন বন্ধ", "पेंशन बंद" and "pension bondho" meet)
and whole words of the phonetic key. Why characters: they survive the spellings workers use and
need no model, so these also answer alone when no embedder loads.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from api.knowledge.passages import LANGUAGES
from api.knowledge.store import KnowledgeBase
from api.knowledge.words import canonical
from api.language.phonetic import phonetic_key

LEXICAL_FEATURES = ("ngram", "phonetic", "phonetic_word", "recall")
WORD_PATTERN = r"(?u)\b\w+\b"  # keep one-letter words ("h", "k") of romanised Hindi
# Words that frame any question ("what", "kya", "kobe pabo"; "tell me about": "ke bare mein
# batao", "somporke bolun", "niye bolo"): they say nothing about which fact is asked, yet they
# are most of a short question's words (unmatched, they pull the recall share down). Written in
# each script; compared by phonetic key, so "ki", "কী" and "की" are one word. Not
# "my"/"amar"/"meri" (they tell a question about one's own record from a general one) nor "gaya"
# (also a district).
STOP_WORDS = """
what is the a an for of to in on me i do does did how can could will would be are am was it
this that and or with get got if at there you your we our about tell please much many when which
क्या है हैं का की के को में से पर और तो भी मैं मुझे हम आप कैसे कब कितना कितनी कितने
होता होती होगा होगी हो जाए यह वह इस उस क्यों मिलेगा मिलेगी मिलता मिलती सकता सकती सकते
kya hai hain ka ki ke ko me mein se par aur to bhi main mujhe hum aap kaise kab
kitna kitni kitne hota hoti hoga hogi ho jaye ye yeh wo woh is us kyon kyu milega
milegi milta milti sakta sakti sakte
আমি আমাকে আমরা কী কি কত কবে কীভাবে কেন হবে হয় হলে থাকলে পাব পাবো পাবেন দেবে এর ও আর
তো এই সেই না যে কোন কোথায় আপনি আপনার বলুন
ami amake amra koto kobe kivabe keno hobe hoy hole thakle pabo paben debe er o ar ei sei
je kon kothay apni apnar bolun
बारे बताइए बताइये बताओ बताएं बताएँ बताये समझाइए दीजिए चाहता चाहती हूँ हूं
bare baare batao bataiye bataye bataen batayen samjhao samjhaiye dijiye chahta chahti hoon hun
সম্পর্কে নিয়ে বলো বলেন বলবেন জানান জানাবেন জানতে চাই একটু
somporke somporkey niye bolo bolen bolben janan janaben jante chai ektu
"""


def word_key(text: str) -> str:
    """The phonetic key without stop words, each word in its canonical spelling
    (api/knowledge/words.py): what the word-level evidence compares. Stop words go first, so
    "muchi" is not dropped for stemming to "much"."""
    stops = stop_keys()
    return " ".join(canonical(w) for w in phonetic_key(text).split() if w not in stops)


@lru_cache(maxsize=1)
def stop_keys() -> frozenset[str]:
    return frozenset(phonetic_key(w) for w in STOP_WORDS.split())


def _same(text: str) -> str:
    return text


class _Index:
    def __init__(self, docs: list[str], prepare: Callable[[str], str], analyzer: str) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._prepare = prepare
        if analyzer == "word":
            self._vectorizer = TfidfVectorizer(  # `prepare` (word_key) drops the stop words
                analyzer="word", sublinear_tf=True, token_pattern=WORD_PATTERN
            )
        else:
            self._vectorizer = TfidfVectorizer(
                analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, lowercase=True
            )
        self._matrix = self._vectorizer.fit_transform([prepare(d) for d in docs])

    def scores(self, question: str) -> np.ndarray:
        """Cosine of the question with every passage (TF-IDF rows are unit length)."""
        query = self._vectorizer.transform([self._prepare(question)])
        return np.asarray((self._matrix @ query.T).toarray(), dtype=np.float32).reshape(-1)


class _Recall:
    """How much of the question a passage accounts for: the IDF-weighted share of the
    question's words (phonetic keys) that the passage's own words contain.

    Why: a cosine rewards "how do I apply" for matching a passage about applying even when the
    question is about a passport; the unmatched rare word "passport" keeps the share low.
    """

    def __init__(self, docs: list[str]) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        self._vectorizer = CountVectorizer(token_pattern=WORD_PATTERN, binary=True)
        present = self._vectorizer.fit_transform([word_key(d) for d in docs]).tocsc()
        df = np.asarray(present.sum(axis=0)).reshape(-1)
        self._idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
        self._unknown_idf = float(np.log(1 + len(docs)) + 1.0)  # a word no passage has
        self._present = present.astype(np.float32)
        self._vocabulary = self._vectorizer.vocabulary_

    def scores(self, question: str) -> np.ndarray:
        words = set(re.findall(WORD_PATTERN, word_key(question)))
        known = [self._vocabulary[w] for w in words if w in self._vocabulary]
        total = sum(self._idf[i] for i in known) + self._unknown_idf * (len(words) - len(known))
        if not known or total <= 0:
            return np.zeros(self._present.shape[0], dtype=np.float32)
        weights = np.zeros(self._present.shape[1], dtype=np.float32)
        weights[known] = self._idf[known]
        matched = np.asarray(self._present @ weights).reshape(-1)
        share: np.ndarray = (matched / total).astype(np.float32)
        return share


class KeywordIndex:
    def __init__(self, kb: KnowledgeBase) -> None:
        docs = []
        for p in kb.passages:
            keywords = " ".join(k for lang in LANGUAGES for k in p.keywords[lang])
            titles = " ".join(p.title[lang] for lang in LANGUAGES)
            texts = " ".join(p.text[lang] for lang in LANGUAGES)
            names = " ".join(n for lang in p.scheme_names for n in p.scheme_names[lang])
            docs.append(f"{keywords} {keywords} {titles} {titles} {texts} {names}")
        self._indexes = (
            _Index(docs, _same, "char"),
            _Index(docs, phonetic_key, "char"),
            _Index(docs, word_key, "word"),
            _Recall(docs),
        )

    def scores(self, question: str) -> np.ndarray:
        """(passages, LEXICAL_FEATURES).

        scikit-learn's argument checks are skipped: they were a third of a question's lexical
        time, and these vectorizers are ours, fitted once, fed one string.
        """
        from sklearn import config_context

        with config_context(skip_parameter_validation=True, assume_finite=True):
            return np.stack([index.scores(question) for index in self._indexes], axis=1)


_lock = threading.Lock()
_indexes: dict[str, KeywordIndex] = {}


def keyword_index(kb: KnowledgeBase) -> KeywordIndex:
    with _lock:
        if kb.digest not in _indexes:
            _indexes[kb.digest] = KeywordIndex(kb)
        return _indexes[kb.digest]
