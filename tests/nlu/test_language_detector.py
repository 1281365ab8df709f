"""Language detection: script rules, the Latin-script classifier, its on-disk cache, real data."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.language import detector as ld

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "nlu_data" / "heldout"

TINY = {
    "bn": [
        "amar pension bondho hoye geche",
        "ami ki korbo bolun",
        "amar claim er khobor ki",
        "apnar sathe kotha bolte chai",
        "taka kobe pabo",
        "amake sahajyo korun",
    ],
    "hi": [
        "meri pension band ho gayi hai",
        "mujhe kya karna chahiye",
        "mera claim kab aayega",
        "aapse baat karni hai",
        "paisa kab milega",
        "meri madad kijiye",
    ],
    "en": [
        "my pension has stopped",
        "what should i do",
        "when will my claim be paid",
        "i want to talk to someone",
        "when will i get the money",
        "please help me",
    ],
}


def write_tiny_data(root: Path) -> None:
    for lang, examples in TINY.items():
        (root / lang).mkdir(parents=True)
        body = "\n".join(f"    - {e}" for e in examples)
        (root / lang / "misc.yml").write_text(
            f'version: "3.1"\nnlu:\n- intent: help\n  examples: |\n{body}\n'
            "- regex: uan\n  examples: |\n    - \\d{12}\n",
            encoding="utf-8",
        )


def test_native_scripts_decide_without_a_model() -> None:
    assert ld.detect_language("আমার পেনশন বন্ধ হয়ে গেছে") == "bn"
    assert ld.detect_language("मेरी पेंशन बंद हो गई है") == "hi"
    assert ld.detect_group("আমার পেনশন বন্ধ হয়ে গেছে") == "native"
    assert ld.detect_language("আমার claim status কী?") == "bn"
    assert ld.detect_group("মেরা claim status बताओ") == "mixed"
    assert ld.detect_language("", default="hi") == "hi"
    assert ld.detect_language("১২৩৪") == "bn"


def test_annotations_are_stripped() -> None:
    assert ld.strip_annotations("mera uan [1234](uan) hai") == "mera uan 1234 hai"
    assert ld.strip_annotations('[maa]{"entity": "relation", "value": "mother"} ko') == "maa ko"


def test_classifier_trains_caches_and_retrains_on_change(tmp_path: Path) -> None:
    data, cache = tmp_path / "data", tmp_path / "cache"
    write_tiny_data(data)
    detector = ld.load_or_train(data, cache)
    assert detector.predict("meri pension kab milegi") == "hi"
    assert detector.predict("amar pension kobe pabo") == "bn"
    assert detector.predict("when will my pension come") == "en"
    first = list(cache.glob("latin-*.pkl"))
    assert len(first) == 1
    assert ld.load_or_train(data, cache).predict("ami ki korbo") == "bn"  # from the cache
    with (data / "en" / "misc.yml").open("a", encoding="utf-8") as fh:
        fh.write("- intent: greet\n  examples: |\n    - good morning\n")
    ld.load_or_train(data, cache)
    assert len(list(cache.glob("latin-*.pkl"))) == 2


def test_without_any_data_word_lists_still_beat_calling_everything_english(tmp_path: Path) -> None:
    detector = ld.load_or_train(tmp_path / "empty", tmp_path / "cache")
    assert detector.predict("mera paisa kab aayega") == "hi"
    assert detector.predict("amar taka kobe pabo") == "bn"
    assert detector.predict("where is my money") == "en"


def heldout_rows() -> list[tuple[str, str, str]]:
    rows = []
    for path in sorted(HELDOUT.glob("*_*.yml")):
        lang, group = path.stem.split("_", 1)
        rows += [(lang, group, text) for text in ld.iter_examples(path)]
    return rows


def test_heldout_accuracy_per_group(tmp_path: Path) -> None:
    rows = heldout_rows()
    if not rows or not all(any((ROOT / "nlu_data" / x).glob("*.yml")) for x in ld.LANGUAGES):
        pytest.skip("no held-out files or training data in nlu_data/ yet")
    ld.reset()
    ld._state["model"] = ld.load_or_train(ROOT / "nlu_data", tmp_path)
    try:
        stats: dict[str, list[int]] = {}
        for lang, group, text in rows:
            cell = stats.setdefault(f"{lang}_{group}", [0, 0])
            cell[0] += ld.detect_language(text) == lang
            cell[1] += 1
    finally:
        ld.reset()
    report = {k: round(ok / n, 3) for k, (ok, n) in stats.items()}
    print("language detection accuracy per held-out file:", report)
    # en_mixed is English-labelled text full of Hindi/Bengali words: answering hi or bn there
    # is defensible, so it is reported (make bench) but not held to a floor.
    report.pop("en_mixed", None)
    floors = {"native": 0.95, "romanised": 0.9, "transcript": 0.85, "mixed": 0.7}
    low = {k: v for k, v in report.items() if v < floors[k.split("_", 1)[1]]}
    assert not low, f"below the floor for their group: {low} (all: {report})"
