"""The blind evaluation set (nlu_data/blind/) stays frozen, well formed and unseen by training.

The set was written once, from the intent definitions and labelling rules alone, without looking
at the training or held-out data (see nlu_data/blind/README.md). It is scored only by `make bench`
and is never read while the training data is changed. These tests make that promise checkable:

(a) the files are exactly the ones in MANIFEST.sha256, byte for byte;
(b) every file is Rasa 3 YAML with only the schema's intents and entities, at least
    MIN_EXAMPLES examples and every intent present;
(c) no blind message is also a training (or held-out) message, compared case- and
    space-normalised; a failure prints only the blind line, never the training file;
(d) nothing that trains a model reads the blind folder.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "nlu_data"
BLIND = DATA / "blind"
MANIFEST = BLIND / "MANIFEST.sha256"
# Only the folder's documentation lives beside the frozen data files.
NOT_DATA = {"MANIFEST.sha256", "README.md"}

LANG_GROUPS = {
    "bn": ("native", "romanised", "mixed", "transcript"),
    "hi": ("native", "romanised", "mixed", "transcript"),
    "en": ("native", "mixed", "transcript"),
}
EXPECTED_FILES = sorted(
    f"{lang}_{group}.yml" for lang, groups in LANG_GROUPS.items() for group in groups
)
MIN_EXAMPLES = 150

# docs/contracts.md, "NLU schema"
INTENTS = {
    "greet", "goodbye", "affirm", "deny", "thank", "inform", "help", "check_status",
    "renew_registration", "file_claim", "check_eligibility", "update_nominee", "pension_issue",
    "register", "give_feedback", "talk_to_human", "change_language", "repeat", "out_of_scope",
    "ask_scheme_info", "correct",
}  # fmt: skip
# Intents the assistant learnt after the set was frozen: the set is not rewritten for them (that
# would be tuning on it), so they have no blind examples; nlu_data/blind/README.md lists them.
ADDED_AFTER_FREEZE = {"erase_data", "lost_uan", "correct_record", "notification_settings"}
ENTITIES = {
    "uan", "date", "age", "income", "claim_type", "scheme", "relation", "language",
    "person_name", "digits", "feedback_category",
}  # fmt: skip
ENTITY_VALUES = {
    "scheme": {"eshram", "pm_sym", "bocw_welfare", "state_social_security"},
    "claim_type": {
        "accident_death", "accident_disability", "death_funeral", "medical", "maternity",
        "education", "pension",
    },
    "relation": {
        "husband", "wife", "son", "daughter", "mother", "father", "brother", "sister", "other",
    },
    "language": {"bn", "hi", "en"},
    "feedback_category": {"complaint", "suggestion", "bribery", "no_response", "other"},
}  # fmt: skip

# Rasa's two annotation forms: [text](entity) and [text]{"entity": ..., "value": ...}
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\(([^)]+)\)|(\{[^}]+\}))")
# The Aadhaar shape tests/nlu/test_training_data.py forbids in every nlu_data file.
AADHAAR = re.compile(r"(?<![\d+])[2-9]\d{3}\s?\d{4}\s?\d{4}(?!\d)")
DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯०१२३४५६७८९", "0123456789" * 2)

# What training reads, besides the scripts' own lists (checked in (d)).
TRAINING_DIRS = [DATA / "bn", DATA / "hi", DATA / "en", DATA / "common", ROOT / "bot" / "data"]
HELDOUT = DATA / "heldout"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest() -> dict[str, str]:
    entries: dict[str, str] = {}
    for number, line in enumerate(MANIFEST.read_text().splitlines(), 1):
        if not line.strip():
            continue
        digest, _, name = line.partition("  ")
        assert re.fullmatch(r"[0-9a-f]{64}", digest) and name, f"MANIFEST line {number}: {line!r}"
        assert name not in entries, f"MANIFEST lists {name} twice"
        entries[name] = digest
    return entries


def _blocks(path: Path) -> list[dict]:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [block for block in document.get("nlu", []) if isinstance(block, dict)]


def _examples(path: Path) -> list[tuple[str, str]]:
    """(intent, raw example line) for every intent example in a Rasa NLU file."""
    found = []
    for block in _blocks(path):
        if "intent" not in block:
            continue
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                found.append((str(block["intent"]), line[2:].strip()))
    return found


def _plain(text: str) -> str:
    return ANNOTATION.sub(lambda m: m.group(1), text)


def _norm(text: str) -> str:
    """Case-, space- and punctuation-insensitive form of a message (combining marks kept)."""
    text = unicodedata.normalize("NFC", _plain(text)).casefold()
    text = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in text)
    return " ".join(text.split())


def _blind_files() -> list[Path]:
    return sorted(BLIND.glob("*.yml"))


# (a) frozen ---------------------------------------------------------------------------------


def test_manifest_lists_exactly_the_blind_files() -> None:
    on_disk = sorted(p.name for p in BLIND.iterdir() if p.is_file() and p.name not in NOT_DATA)
    assert on_disk == sorted(_manifest()), (
        "nlu_data/blind changed without its manifest: files "
        f"{sorted(set(on_disk) ^ set(_manifest()))}; the blind set is frozen (see its README)"
    )
    assert on_disk == EXPECTED_FILES


def test_blind_files_match_their_hashes() -> None:
    changed = [name for name, digest in _manifest().items() if _sha256(BLIND / name) != digest]
    assert not changed, f"blind files changed after they were frozen: {changed}"


# (b) well formed ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXPECTED_FILES)
def test_file_is_rasa_nlu_with_known_intents_and_entities(name: str) -> None:
    path = BLIND / name
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert str(document.get("version")) == "3.1"
    assert set(document) == {"version", "nlu"}
    for block in document["nlu"]:
        assert set(block) == {"intent", "examples"}, f"{name}: unexpected block {block}"
        assert block["intent"] in INTENTS, f"{name}: unknown intent {block['intent']}"
    examples = _examples(path)
    assert len(examples) >= MIN_EXAMPLES, f"{name}: {len(examples)} examples"
    missing = INTENTS - {intent for intent, _ in examples}
    assert not missing, f"{name}: intents missing {sorted(missing)}"
    for _, text in examples:
        assert _plain(text).strip(), f"{name}: empty example"
        assert "[" not in _plain(text) and "]" not in _plain(text), f"{name}: bad markup {text!r}"
        for match in ANNOTATION.finditer(text):
            if match.group(2) is not None:
                entity, value = match.group(2), None
            else:
                spec = json.loads(match.group(3))
                entity, value = spec.get("entity"), spec.get("value")
                assert set(spec) <= {"entity", "value", "role", "group"}, f"{name}: {text!r}"
            assert entity in ENTITIES, f"{name}: unknown entity {entity!r} in {text!r}"
            if value is not None and entity in ENTITY_VALUES:
                assert value in ENTITY_VALUES[entity], f"{name}: {entity}={value!r} in {text!r}"
        digits = _plain(text).translate(DIGITS)
        assert not AADHAAR.search(digits), f"{name}: Aadhaar-shaped number in {text!r}"


def test_schema_lists_match_the_domain() -> None:
    domain = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    assert set(domain["intents"]) == INTENTS | ADDED_AFTER_FREEZE
    assert set(domain["entities"]) == ENTITIES


def test_no_message_twice_in_the_blind_set() -> None:
    seen: dict[str, str] = {}
    twice = []
    for path in _blind_files():
        for _, text in _examples(path):
            key = _norm(text)
            if key in seen:
                twice.append(f"{path.name}: {_plain(text)} (also in {seen[key]})")
            seen[key] = path.name
    assert not twice, "\n".join(twice)


# (c) unseen ---------------------------------------------------------------------------------


def _known_messages() -> set[str]:
    """Every training and held-out message, normalised. Never printed."""
    known: set[str] = set()
    for folder in [*TRAINING_DIRS, HELDOUT]:
        if not folder.exists():
            continue
        for path in sorted(folder.rglob("*.y*ml")):
            try:
                known.update(_norm(text) for _, text in _examples(path))
            except yaml.YAMLError:
                continue
    return known


def test_no_blind_message_is_a_training_or_held_out_message() -> None:
    known = _known_messages()
    if not known:
        pytest.skip("no training data in nlu_data/ to compare with")
    leaked = [
        f"{path.name}: {_plain(text)}"
        for path in _blind_files()
        for _, text in _examples(path)
        if _norm(text) in known
    ]
    # Only the blind line is shown: delete it from the blind file, never look the match up.
    assert not leaked, "blind lines also in training/held-out data:\n" + "\n".join(leaked)


# (d) not trained on -------------------------------------------------------------------------


def test_training_never_reads_the_blind_folder() -> None:
    from scripts.nlu_eval.layout import TRAIN_DIRS
    from scripts.train_model import HASHED_INPUTS, TRAINING_DATA

    # neither the blind folder, nor anything inside it, nor a folder around it (read recursively)
    for path in [*TRAINING_DATA, *HASHED_INPUTS, *(ROOT / rel for rel in TRAIN_DIRS)]:
        resolved = Path(path).resolve()
        assert resolved != BLIND, path
        assert BLIND not in resolved.parents, path
        assert resolved not in BLIND.parents, path


def test_pipeline_config_names_only_the_training_folders() -> None:
    comments = [
        line
        for line in (ROOT / "bot" / "config.yml").read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith("#")
    ]
    training = [line for line in comments if "Training data:" in line]
    assert training, "bot/config.yml no longer says what it trains on"
    assert all("blind" not in line for line in comments)


def test_language_detector_does_not_train_on_the_blind_folder() -> None:
    from api.language import detector

    assert "blind" not in detector.LANGUAGES
    for files in detector.data_files(DATA).values():
        assert not any(BLIND in path.resolve().parents for path in files)
