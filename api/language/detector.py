"""Which of bn / hi / en a worker writes in, including romanised and code-mixed text.

Off-the-shelf detectors call romanised Hindi and Bengali ("mera claim kab milega", "amar pension
bondho") English. So the script decides whenever Bengali or Devanagari letters are present, and
only Latin-script text goes to a small character n-gram classifier trained on our own NLU data
(`nlu_data/<lang>/`, folder = label). The classifier is trained on first use and cached on disk
under `settings.var_dir`, keyed by a hash of the data files, so a data change retrains it and an
unchanged tree loads in milliseconds. Nothing happens at import time.
"""

from __future__ import annotations

import hashlib
import logging
import pickle  # nosec B403
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

Language = Literal["bn", "hi", "en"]
Group = Literal["native", "romanised", "mixed"]
LANGUAGES: tuple[Language, ...] = ("bn", "hi", "en")

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = ROOT / "nlu_data"
MAX_CHARS = 512  # long inputs add nothing to the decision and cost time
CACHE_VERSION = "2"  # bump when the training set is built differently

log = logging.getLogger(__name__)

_BENGALI = re.compile(r"[\u0980-\u09FF]")
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_LATIN = re.compile(r"[A-Za-z]")
# `[text](entity)`, `[text]{"entity": ...}` and `[text]{...}(...)` annotations in Rasa YAML
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\{[^}]*\}|\([^)]*\))")

# Used only when there is no training data at all (e.g. a bare checkout): frequent function
# words of romanised Hindi and Bengali. Better than calling everything English.
_FALLBACK_WORDS: dict[Language, frozenset[str]] = {
    "hi": frozenset(
        re.findall(
            r"\S+",
            "hai hain mera meri mere kya kyu kyon kab kaise nahi nahin aap apna apni karo karna "
            "chahiye hoga mujhe mujhko batao bataiye kitna kitne paisa ho gaya gayi naam",
        )
    ),
    "bn": frozenset(
        re.findall(
            r"\S+",
            "ami amar apni apnar ki keno kobe kothay kemon achhe ache hobe chai korte koro korun "
            "bolun bolo amake taka bondho hoye gechhe geche naam nai na",
        )
    ),
}


def script_counts(text: str) -> dict[str, int]:
    """Letters per script: the cheapest and most reliable signal we have."""
    return {
        "bn": len(_BENGALI.findall(text)),
        "hi": len(_DEVANAGARI.findall(text)),
        "latin": len(_LATIN.findall(text)),
    }


def detect_language(text: str, default: Language = "en") -> Language:
    """bn, hi or en for one message; `default` when the text has no letters at all."""
    text = (text or "")[:MAX_CHARS]
    counts = script_counts(text)
    if counts["bn"] or counts["hi"]:
        return "bn" if counts["bn"] >= counts["hi"] else "hi"
    if not counts["latin"]:
        return default
    return _detector().predict(text)


def detect_group(text: str) -> Group:
    """native (own script; plain English for en), romanised, or mixed (native script + Latin).

    Latin-only Hindi/Bengali is "romanised" even when it borrows English words: telling that
    apart from code-mixing would need a word-level tagger, and no caller needs the difference.
    """
    text = (text or "")[:MAX_CHARS]
    counts = script_counts(text)
    native = counts["bn"] + counts["hi"]
    if native and counts["latin"]:
        return "mixed"
    if native or not counts["latin"]:
        return "native"
    return "native" if detect_language(text) == "en" else "romanised"


# ----------------------------------------------------------------------------- training data


def strip_annotations(example: str) -> str:
    """`mera uan [1234](uan) hai` -> `mera uan 1234 hai`."""
    return _ANNOTATION.sub(r"\1", example).strip()


def iter_examples(path: Path) -> Iterator[str]:
    """Plain example texts of one Rasa 3 NLU YAML file (intents only, not regex/lookup)."""
    import yaml  # local: keeps import time free of work for callers that never detect

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        log.warning("language_detector: skipping unreadable %s (%s)", path, exc)
        return
    for item in doc.get("nlu") or []:
        if not isinstance(item, dict) or "intent" not in item:
            continue
        examples = item.get("examples") or ""
        lines = examples.splitlines() if isinstance(examples, str) else examples
        for line in lines:
            if isinstance(line, dict):
                line = line.get("text", "")
            line = str(line).strip()
            if line.startswith("- "):
                line = line[2:]
            text = strip_annotations(line)
            if text:
                yield text


def data_files(data_dir: Path) -> dict[Language, list[Path]]:
    """NLU files per language folder, sorted so the hash is stable."""
    return {
        lang: sorted((data_dir / lang).rglob("*.yml")) + sorted((data_dir / lang).rglob("*.yaml"))
        for lang in LANGUAGES
    }


def is_latin(text: str, share: float = 0.9) -> bool:
    """True when (almost) all letters are Latin: the only kind of text the classifier sees."""
    counts = script_counts(text)
    letters = counts["bn"] + counts["hi"] + counts["latin"]
    return letters > 0 and counts["latin"] / letters >= share


# Words that only romanised Hindi or Bengali use. The English folder teaches the intents with
# Hinglish and Banglish lines too ("claim status check karna hai"); as *language* examples they
# would teach the detector that romanised Hindi is English, so they are left out of its training.
HINDI_BENGALI_WORDS = frozenset(
    [
        "hai",
        "hain",
        "karna",
        "karo",
        "karne",
        "kya",
        "kaise",
        "mera",
        "meri",
        "mujhe",
        "mujhko",
        "nahi",
        "nahin",
        "hoga",
        "raha",
        "chahiye",
        "apna",
        "ami",
        "amar",
        "amake",
        "amra",
        "ache",
        "achhe",
        "hobe",
        "korbo",
        "korte",
        "koro",
        "chai",
        "kobe",
        "keno",
        "hoyeche",
        "hoye",
        "bolun",
        "taka",
        "kotha",
    ]
)


def is_mixed_english(text: str) -> bool:
    return any(word in HINDI_BENGALI_WORDS for word in re.findall(r"[a-z]+", text.lower()))


def latin_training_set(files: dict[Language, list[Path]]) -> tuple[list[str], list[Language]]:
    """Latin-script examples labelled by folder (native-script ones would only add noise), minus
    the English folder's Hinglish and Banglish lines."""
    texts: list[str] = []
    labels: list[Language] = []
    for lang, paths in files.items():
        for path in paths:
            for text in iter_examples(path):
                if is_latin(text) and not (lang == "en" and is_mixed_english(text)):
                    texts.append(text.lower())
                    labels.append(lang)
    return texts, labels


def fingerprint(files: dict[Language, list[Path]]) -> str:
    """Hash of names and contents: the cache key."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    digest.update(" ".join(sorted(HINDI_BENGALI_WORDS)).encode())
    for lang, paths in files.items():
        for path in paths:
            digest.update(f"{lang}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# ----------------------------------------------------------------------------- classifier


class LatinDetector:
    """Character n-gram TF-IDF + logistic regression over Latin-script text."""

    def __init__(self, model: Any | None) -> None:
        self.model = model

    @classmethod
    def train(cls, texts: list[str], labels: list[Language]) -> LatinDetector:
        if len(set(labels)) < 2:
            return cls(None)
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        model = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1),
            LogisticRegression(C=10.0, max_iter=1000, class_weight="balanced"),
        )
        model.fit(texts, labels)
        return cls(model)

    def predict(self, text: str) -> Language:
        if self.model is None:
            return _fallback_guess(text)
        found: Language = self.model.predict([text.lower()])[0]
        return found

    def predict_many(self, texts: Iterable[str]) -> list[Language]:
        return [self.predict(t) for t in texts]


def _fallback_guess(text: str) -> Language:
    words = set(re.findall(r"[a-z]+", text.lower()))
    hits = {lang: len(words & vocab) for lang, vocab in _FALLBACK_WORDS.items()}
    best = max(hits, key=lambda k: hits[k])
    return best if hits[best] else "en"


def _cache_dir() -> Path:
    from api.settings import get_settings

    return Path(get_settings().var_dir) / "language_detector"


def load_or_train(
    data_dir: Path = DEFAULT_DATA_DIR, cache_dir: Path | None = None
) -> LatinDetector:
    """The cached classifier for the current data, training (and caching) it when missing."""
    files = data_files(data_dir)
    if not any(files.values()):
        log.warning("language_detector: no training data under %s; using word lists", data_dir)
        return LatinDetector(None)
    key = fingerprint(files)
    cache_dir = cache_dir or _cache_dir()
    cache = cache_dir / f"latin-{key}.pkl"
    if cache.exists():
        try:
            # bandit B301: our own cache file, written below into VAR_DIR (0700 by the app)
            with cache.open("rb") as fh:
                loaded: LatinDetector = pickle.load(fh)  # noqa: S301  # nosec B301 - our own file
                return loaded
        except Exception as exc:  # a corrupt or incompatible cache is retrained, not fatal
            log.warning("language_detector: ignoring cache %s (%s)", cache, exc)
    detector = LatinDetector.train(*latin_training_set(files))
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(detector, fh)
        tmp.replace(cache)
    except OSError as exc:
        log.warning("language_detector: could not cache the model (%s)", exc)
    return detector


_lock = threading.Lock()
_state: dict[str, LatinDetector] = {}


def _detector() -> LatinDetector:
    """Process-wide classifier, built once on first use."""
    with _lock:
        if "model" not in _state:
            _state["model"] = load_or_train()
        return _state["model"]


def reset() -> None:
    """Forget the in-process classifier (tests, data reloads)."""
    with _lock:
        _state.clear()
