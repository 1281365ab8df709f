"""The training data follows the labelling rules a machine can check (docs/nlu_labelling.md).

Why: issue 17 found the data disagreeing with itself ("that is wrong" under `correct` while a
confirmation takes only `deny` as a no; Hinglish in nlu_data/en teaching the language detector
that it is English). These checks keep such lines from coming back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from api.language.detector import is_latin, strip_annotations

DATA = Path(__file__).resolve().parents[2] / "nlu_data"
LANGS = ("bn", "hi", "en")
ANNOTATION = re.compile(r"\[([^\]]+)\](\([^)]+\)|\{[^}]+\})")

# What a correction names when it gives no value: the field that is wrong (rule 2).
FIELD_WORDS = re.compile(
    r"date|dob|birth|tarikh|tarik|janam|name|naam|spelling|banan|uan|number|digit|last 4|age|"
    r"umar|umr|boyos|income|kamai|nominee|scheme|claim|account|"
    r"তারিখ|জন্ম|নাম|বানান|নম্বর|বয়স|আয়|ইউএএন|"
    r"तारीख|जन्म|नाम|वर्तनी|नंबर|उम्र|आय|यूएएन",
    re.IGNORECASE,
)
PM_SYM_WORDS = re.compile(r"pm.?sym|maa?n.?dhan|pension|पेंशन|मानधन|পেনশন|মানধন", re.IGNORECASE)
# Function words of romanised Hindi and Bengali that English never uses.
ROMANISED = frozenset(
    re.findall(
        r"\S+",
        "hai hain hoon mera meri mere mujhe kya kab kaise nahi nahin karo karna chahiye batao "
        "kitna milega aap wala abhi kaun galat theek sakta hoga ami amar amake apnar keno kobe "
        "kothay achhe ache hobe chai korte korun korbo bolun taka bondho geche lagbe parbo",
    )
)
ENGLISH = frozenset(
    re.findall(
        r"\S+",
        "i my me is the a an to of for in on it what when how can do does your you want need "
        "please help get will be not no yes am are was have has with this that and",
    )
)


def _examples(lang: str) -> list[tuple[str, str, str]]:
    """(intent, raw example, file name) for every intent example of one language folder."""
    found = []
    for path in sorted((DATA / lang).glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in block:
                continue
            for line in str(block["examples"]).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    found.append((block["intent"], line[2:].strip(), path.name))
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_a_no_without_value_or_field_is_deny(lang: str) -> None:
    """`correct` gives the right value or names the wrong field; a bare "no, wrong" is `deny`."""
    bare = [
        f"{name}: {text}"
        for intent, text, name in _examples(lang)
        if intent == "correct" and not ANNOTATION.search(text) and not FIELD_WORDS.search(text)
    ]
    assert not bare, "label these deny (rule 2):\n" + "\n".join(bare)


@pytest.mark.parametrize("lang", LANGS)
def test_a_wish_to_join_pm_sym_names_the_scheme(lang: str) -> None:
    """`register` for PM-SYM reaches the PM-SYM check only through the scheme entity (router)."""
    unnamed = [
        f"{name}: {text}"
        for intent, text, name in _examples(lang)
        if intent == "register" and PM_SYM_WORDS.search(text) and '"pm_sym"' not in text
    ]
    assert not unnamed, "annotate the scheme (pm_sym):\n" + "\n".join(unnamed)


def test_no_romanised_hindi_or_bengali_in_the_english_folder() -> None:
    """The language detector learns from the folders: Hinglish/Banglish go to hi/ and bn/.

    Only Latin-script lines count: the detector's classifier learns from those alone (a native
    letter or digit decides by script)."""
    found = []
    for _, text, name in _examples("en"):
        plain = strip_annotations(text)
        if not is_latin(plain, share=1.0) or re.search(r"[\u0980-\u09FF\u0900-\u097F]", plain):
            continue
        words = re.findall(r"[a-z]+", plain.lower())
        ours = sum(w in ROMANISED for w in words)
        if ours >= 2 and ours > sum(w in ENGLISH for w in words):
            found.append(f"{name}: {text}")
    assert not found, "move these to nlu_data/hi or nlu_data/bn:\n" + "\n".join(found)
