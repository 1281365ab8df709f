"""Knowledge-base passages as read from api/data/knowledge/*.yaml: the one place that knows
the files' shape.

One passage states one fact, in bn, hi and en, and says where the fact comes from, so an
answer can name its scheme and source instead of reading out a page about the scheme.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from api.domain.codes import CLAIM_TYPES, SCHEMES
from api.domain.pension import STOP_REASONS
from api.knowledge.contact_facts import CONTACT_FACTS

LANGUAGES = ("bn", "hi", "en")
KB_DIR = Path(__file__).resolve().parent.parent / "data" / "knowledge"
# Codes used in the data before api/domain/codes.py has them (the lead adds them there).
# What a passage may invite the worker to do next: a flow of the assistant, optionally the
# step (slot) that takes the answer (docs/contracts.md, "Knowledge base").
FOLLOW_UP_STEPS = frozenset(
    {
        "eligibility.age",
        "claim",
        "renewal",
        "nominee",
        "pension",
        "status",
        "payment",
        "feedback",
        "human",
        "office.district",
    }
)
# Placeholders a text may hold; api/knowledge/rendering.py fills them.
PLACEHOLDERS = frozenset(
    {
        "documents",
        "restart_steps",
        "hours_start",
        "hours_end",
        "days",
        "decision_days",  # CASE_DUE_DAYS of the passage's `decision` (a case kind)
        "payment_days",  # PAYMENT_DUE_DAYS
        "office_address",  # the passage's `office` in api/data/offices.yaml
        "office_start",
        "office_end",
        "office_days",
    }
)
# Case kinds whose decision time a passage may state (`decision`), from CASE_DUE_DAYS.
DECISION_KINDS = frozenset({"claim", "renewal", "restart"})
_OFFICE_FIELDS = frozenset({"office_address", "office_start", "office_end", "office_days"})
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_USUAL_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Usual:
    """A helpline's own estimate (a setting), said only when set and never as an official rule."""

    key: str
    text: dict[str, str]


@dataclass(frozen=True)
class Passage:
    """One fact, written in every language (no machine translation at run time)."""

    id: str
    scheme: str | None
    source: str
    title: dict[str, str]
    text: dict[str, str]
    keywords: dict[str, tuple[str, ...]]
    follow_up: dict[str, Any] | None = None
    personal: bool = False
    demo: bool = False
    revisable: bool = False
    covered: bool = True  # False: a topic the helpline knows it cannot answer (not_covered.yaml)
    claim_type: str | None = None
    stop_reason: str | None = None
    usual: Usual | None = None
    decision: str | None = None  # a case kind: {decision_days} is its CASE_DUE_DAYS
    office: str | None = None  # a district of api/data/offices.yaml: {office_*} are its
    gives: tuple[str, ...] = ()  # contact details the text states (contact_facts.CONTACT_FACTS)
    # what workers call the passage's scheme (its file's `names`): evidence, never read out
    scheme_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    file: str = field(default="", compare=False)

    def passage(self, language: str) -> str:
        return f"{self.title[language]}. {self.text[language]}"


class PassageError(ValueError):
    """A content bug in the data files, caught by the tests before it reaches a worker."""


def _clean(value: object) -> str:
    return " ".join(str(value).split())


def _per_language(item: dict[str, Any], name: str, pid: str) -> dict[str, Any]:
    values = item.get(name) or {}
    missing = [lang for lang in LANGUAGES if not values.get(lang)]
    if missing:
        raise PassageError(f"passage {pid}: {name} lacks {missing}")
    return values


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _follow_up(raw: object, pid: str) -> dict[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or raw.get("step") not in FOLLOW_UP_STEPS:
        raise PassageError(f"passage {pid}: follow_up.step not in {sorted(FOLLOW_UP_STEPS)}")
    unknown = set(raw) - {"step", "values"}
    if unknown:
        raise PassageError(f"passage {pid}: follow_up has unknown keys {sorted(unknown)}")
    values = raw.get("values") or {}
    if not isinstance(values, dict):
        raise PassageError(f"passage {pid}: follow_up.values must be a mapping")
    out: dict[str, Any] = {"step": str(raw["step"])}
    if values:
        out["values"] = {str(k): str(v) for k, v in values.items()}
    return out


def _usual(raw: object, pid: str) -> Usual | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not _USUAL_KEY.match(str(raw.get("key") or "")):
        raise PassageError(f"passage {pid}: usual needs a key")
    text = _per_language(raw, "text", pid)
    for lang in LANGUAGES:
        if _placeholders(str(text[lang])) != {"days"}:
            raise PassageError(f"passage {pid}: usual.text.{lang} must hold {{days}} only")
    return Usual(str(raw["key"]), {lang: _clean(text[lang]) for lang in LANGUAGES})


def parse_passage(item: dict[str, Any], default_scheme: str | None, file: str = "") -> Passage:
    """Validate while parsing: anything a worker would hear wrong is refused here."""
    pid = str(item.get("id") or "")
    if not _ID.match(pid):
        raise PassageError(f"passage id {pid!r} must be lower_snake_case")
    scheme = item.get("scheme", default_scheme)
    if scheme is not None and scheme not in SCHEMES:
        raise PassageError(f"passage {pid}: unknown scheme {scheme!r}")
    source = _clean(item.get("source") or "")
    if not source:
        raise PassageError(f"passage {pid}: a source is required")
    title = _per_language(item, "title", pid)
    text = _per_language(item, "text", pid)
    keywords = _per_language(item, "keywords", pid)
    claim_type = item.get("claim_type")
    if claim_type is not None and claim_type not in CLAIM_TYPES:
        raise PassageError(f"passage {pid}: unknown claim_type {claim_type!r}")
    stop_reason = item.get("stop_reason")
    if stop_reason is not None and stop_reason not in STOP_REASONS:
        raise PassageError(f"passage {pid}: unknown stop_reason {stop_reason!r}")
    decision = item.get("decision")
    if decision is not None and decision not in DECISION_KINDS:
        raise PassageError(f"passage {pid}: decision must be one of {sorted(DECISION_KINDS)}")
    office = item.get("office")
    gives = tuple(str(g) for g in item.get("gives") or ())
    if set(gives) - set(CONTACT_FACTS):
        raise PassageError(f"passage {pid}: gives must be among {list(CONTACT_FACTS)}")
    for lang in LANGUAGES:
        names = _placeholders(str(text[lang]))
        if ("decision_days" in names) != (decision is not None):
            raise PassageError(f"passage {pid}: {{decision_days}} goes with decision")
        if bool(names & _OFFICE_FIELDS) != (office is not None):
            raise PassageError(f"passage {pid}: {{office_...}} go with office")
        if names - PLACEHOLDERS:
            raise PassageError(f"passage {pid}: unknown placeholder(s) {sorted(names)}")
        if ("documents" in names) != (claim_type is not None):
            raise PassageError(f"passage {pid}: {{documents}} goes with claim_type")
        if ("restart_steps" in names) != (stop_reason is not None):
            raise PassageError(f"passage {pid}: {{restart_steps}} goes with stop_reason")
        if not isinstance(keywords[lang], list):
            raise PassageError(f"passage {pid}: keywords.{lang} must be a list")
    return Passage(
        id=pid,
        scheme=scheme,
        source=source,
        title={lang: _clean(title[lang]) for lang in LANGUAGES},
        text={lang: _clean(text[lang]) for lang in LANGUAGES},
        keywords={lang: tuple(_clean(k) for k in keywords[lang]) for lang in LANGUAGES},
        follow_up=_follow_up(item.get("follow_up"), pid),
        personal=bool(item.get("personal", False)),
        demo=bool(item.get("demo", False)),
        revisable=bool(item.get("revisable", False)),
        claim_type=claim_type,
        stop_reason=stop_reason,
        usual=_usual(item.get("usual"), pid),
        decision=decision,
        office=str(office) if office is not None else None,
        gives=gives,
        file=file,
    )


def parse_topic(item: dict[str, Any], file: str = "") -> Passage:
    """A topic outside the knowledge base (another scheme, loans ...): ranked like a passage, so
    a question about it lands here instead of on a neighbouring fact, and never answered."""
    pid = str(item.get("id") or "")
    if not _ID.match(pid):
        raise PassageError(f"topic id {pid!r} must be lower_snake_case")
    title = _per_language(item, "title", pid)
    keywords = _per_language(item, "keywords", pid)
    return Passage(
        id=pid,
        scheme=None,
        source="not covered by the knowledge base",
        title={lang: _clean(title[lang]) for lang in LANGUAGES},
        text={lang: _clean(title[lang]) for lang in LANGUAGES},
        keywords={lang: tuple(_clean(k) for k in keywords[lang]) for lang in LANGUAGES},
        covered=False,
        file=file,
    )


def _scheme_names(raw: dict[str, Any], file: str) -> dict[str, tuple[str, ...]]:
    if raw.get("names") is None:
        return {}
    names = _per_language(raw, "names", file)
    if not all(isinstance(names[lang], list) for lang in LANGUAGES):
        raise PassageError(f"{file}: names.<language> must be lists")
    return {lang: tuple(_clean(n) for n in names[lang]) for lang in LANGUAGES}


def parse_file(raw: dict[str, Any], file: str = "") -> tuple[Passage, ...]:
    """One data file: a default `scheme`, the `names` workers call it by, and its `passages`;
    or `topics` it does not cover."""
    default_scheme = raw.get("scheme")
    names = _scheme_names(raw, file)
    passages = [
        replace(parse_passage(item, default_scheme, file), scheme_names=names)
        for item in raw.get("passages") or []
    ]
    topics = [parse_topic(item, file) for item in raw.get("topics") or []]
    return tuple(passages + topics)


def load_raw(folder: Path = KB_DIR) -> tuple[Passage, ...]:
    """Every passage of every file, in file-name order; ids unique across files."""
    import yaml

    passages: list[Passage] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "calibration.yaml":
            continue
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "passages" in raw or "topics" in raw:
            passages.extend(parse_file(raw, path.name))
    seen: set[str] = set()
    for p in passages:
        if p.id in seen:
            raise PassageError(f"passage id {p.id} is used twice")
        seen.add(p.id)
    return tuple(passages)
