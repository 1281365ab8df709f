"""The conversation files (tests/conversations/<lang>/<task>.yml): load and validate them.

A file holds `conversations:` (a list) and may hold `defaults:` merged into each one. A script
that cannot be played (an unknown key, a bad channel, no outcome) is refused when loading, so a
typo never shows up as a product failure in the report.

    - id: hi-status-web-native-1          # unique in the suite
      language: hi                        # bn | hi | en
      script: native                      # native | romanised | mixed
      channel: web                        # web | whatsapp | sms | phone_keypad | phone_speech
      task: status                        # see TASKS
      worker: ramesh                      # a demo worker (rina, ramesh, anwar, sunita) or none
      patterns: [keep_thread]             # the issue's failure patterns it exercises (PATTERNS)
      fast: true                          # part of the subset `make test` plays
      caller: own                         # phone/SMS: the worker's registered number
      page_lang: en                       # web: the chat page opened as /chat?lang=en
      turns:                              # what the worker says/presses, in order
        - "मेरा स्टेटस बताइए"              # chat: text; phone_keypad: keys; phone_speech: speech
        - {press: "1"}                    # or an explicit kind: text | press | say | silence
        - {say: "हाँ", confidence: 0.5}
        - {text: "01-07-1990", when: verify.ask_dob}   # sent only if the last reply asked it
      outcome: {status_shown: {references: [CLM-2026-000101]}, reply_language: hi}

Outcome keys are listed in OUTCOME_KEYS; `checks.py` says what each one means. Dates relative to
the day the suite runs are written `{ago:N}` (N days ago as 20/11/2026), `{ago:N:keys}`
(20112026, for the keypad), `{ago:N:dash}` (20-11-2026) or `{ago:N:bn|hi|en}` (the date in
words of that language, as the assistant itself writes dates).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SUITE_DIR = ROOT / "tests" / "conversations"
LANGUAGES = ("bn", "hi", "en")
SCRIPTS = ("native", "romanised", "mixed")
CHANNELS = ("web", "whatsapp", "sms", "phone_keypad", "phone_speech")
PHONE = ("phone_keypad", "phone_speech")
TASKS = (
    "status",
    "renewal",
    "claim",
    "eligibility",
    "nominee",
    "pension",
    "register",
    "feedback",
    "officer",
    "scheme_question",
    "follow_up",
    "track",
    "lost_uan",
    "correction",
    "notify_settings",
)
# The five failure patterns of the issue "Conversations that finish the task".
PATTERNS = {
    "keep_thread": "1: the assistant's own question answered bare; bare input with none pending",
    "personal_or_fact": "2: personal asked as general; a specific fact; an unknowable",
    "entry_limits": "3: PM-SYM refused at once over 40 or for an EPF member",
    "own_language": "4: romanised Hindi/Bengali answered in it; Hinglish/Banglish on English",
    "nearby_intent": "5: nearby intents told apart; 'no, wrong' at a confirmation files nothing",
}
WORKERS = ("rina", "ramesh", "anwar", "sunita")
FILED_KINDS = ("claim", "renewal", "restart", "nominee", "feedback", "handoff", "correction")
OUTCOME_KEYS = (
    "status_shown",
    "request_tracked",
    "uan_sent",
    "settings_changed",
    "claim_filed",
    "renewal_filed",
    "restart_filed",
    "nominee_changed",
    "correction_filed",
    "feedback_filed",
    "handoff_opened",
    "eligibility_answered",
    "answer_mentions",
    "no_answer",
    "says",
    "not_filed",
    "reply_language",
    "reply_script",
)
# Outcomes about one worker's record: the conversation must name the worker.
NEEDS_WORKER = frozenset(
    {"status_shown", "claim_filed", "renewal_filed", "restart_filed", "nominee_changed"}
    | {"request_tracked", "uan_sent", "correction_filed", "settings_changed"}
)
TURN_KINDS = ("text", "press", "say", "silence")
CONVERSATION_KEYS = frozenset(
    {"id", "language", "script", "channel", "task", "worker", "patterns", "fast", "caller"}
    | {"turns", "outcome", "note", "page_lang"}
)


AGO = re.compile(r"\{ago:(\d+)(?::(\w+))?\}")


def render_value(value: str, today: dt.date | None = None) -> str:
    """A turn's words with `{ago:N[:style]}` replaced by a date relative to `today`."""

    def date_of(match: re.Match[str]) -> str:
        from locales import format_date

        day = (today or dt.date.today()) - dt.timedelta(days=int(match.group(1)))
        style = match.group(2) or "slash"
        if style in LANGUAGES:
            return format_date(day, style)
        formats = {"slash": "%d/%m/%Y", "dash": "%d-%m-%Y", "keys": "%d%m%Y"}
        if style not in formats:
            raise ScriptError(f"unknown date style {style!r} in {value!r}")
        return day.strftime(formats[style])

    return AGO.sub(date_of, value)


class ScriptError(ValueError):
    """A conversation file the runner cannot play."""


@dataclass(frozen=True)
class Turn:
    kind: str  # text | press | say | silence
    value: str = ""
    confidence: float = 0.92
    when: str | None = None  # a catalog message id: send only if the last reply matches it

    def shown(self) -> str:
        """How the turn reads in a transcript."""
        if self.kind == "silence":
            return "(silence)"
        prefix = {"press": "[keys] ", "say": "[says] "}.get(self.kind, "")
        return prefix + self.value


@dataclass(frozen=True)
class Conversation:
    id: str
    language: str
    script: str
    channel: str
    task: str
    turns: tuple[Turn, ...]
    outcome: dict[str, Any]
    worker: str | None = None
    patterns: tuple[str, ...] = ()
    fast: bool = False
    caller: str = "new"  # new | own
    page_lang: str | None = None
    source: str = ""
    note: str = ""

    @property
    def on_phone(self) -> bool:
        return self.channel in PHONE


def _fail(where: str, message: str) -> ScriptError:
    return ScriptError(f"{where}: {message}")


def parse_turn(raw: Any, channel: str, where: str) -> Turn:
    default = {"phone_keypad": "press", "phone_speech": "say"}.get(channel, "text")
    if isinstance(raw, str | int):
        render_value(str(raw))
        return Turn(default, str(raw))
    if not isinstance(raw, dict):
        raise _fail(where, f"a turn must be a string or a mapping, not {raw!r}")
    kinds = [k for k in TURN_KINDS if k in raw]
    unknown = set(raw) - {*TURN_KINDS, "confidence", "when"}
    if len(kinds) != 1 or unknown:
        raise _fail(where, f"a turn needs exactly one of {TURN_KINDS}: {raw!r}")
    kind = kinds[0]
    if kind in ("press", "say", "silence") and channel not in PHONE:
        raise _fail(where, f"{kind!r} is a phone turn, but the channel is {channel}")
    if kind == "text" and channel in PHONE:
        raise _fail(where, "a phone turn presses keys, says words or stays silent")
    value = "" if kind == "silence" else str(raw[kind])
    if raw.get("when") is not None:
        _known_message(raw["when"], where)
    render_value(value)  # an unknown {ago:N:style} is refused now, not while playing
    return Turn(kind, value, float(raw.get("confidence", 0.92)), raw.get("when"))


def _known_message(msgid: Any, where: str) -> None:
    from locales import has_message

    if not isinstance(msgid, str) or not has_message(msgid, "en"):
        raise _fail(where, f"{msgid!r} is not a message id of the catalogs")


def _check_outcome(outcome: Any, where: str) -> dict[str, Any]:
    if not isinstance(outcome, dict) or not outcome:
        raise _fail(where, "an outcome (a mapping of checks) is required")
    said = outcome.get("says") or []
    for msgid in said if isinstance(said, list) else [said]:
        _known_message(msgid, where)
    unknown = set(outcome) - set(OUTCOME_KEYS)
    if unknown:
        raise _fail(where, f"unknown outcome keys {sorted(unknown)}; known: {OUTCOME_KEYS}")
    for kind in outcome.get("not_filed") or []:
        if kind not in FILED_KINDS:
            raise _fail(where, f"not_filed: {kind!r} is not one of {FILED_KINDS}")
    for key in ("reply_language",):
        if key in outcome and outcome[key] not in LANGUAGES:
            raise _fail(where, f"{key} must be one of {LANGUAGES}")
    if outcome.get("reply_script") not in (None, "native", "latin"):
        raise _fail(where, "reply_script must be native or latin")
    return dict(outcome)


def _choice(item: dict[str, Any], key: str, allowed: tuple[str, ...], where: str) -> str:
    value = item.get(key)
    if value not in allowed:
        raise _fail(where, f"{key} must be one of {allowed}, not {value!r}")
    return str(value)


def parse_conversation(item: dict[str, Any], source: str = "") -> Conversation:
    where = f"{source}#{item.get('id', '?')}"
    unknown = set(item) - CONVERSATION_KEYS
    if unknown:
        raise _fail(where, f"unknown keys {sorted(unknown)}")
    if not item.get("id"):
        raise _fail(where, "every conversation needs an id")
    channel = _choice(item, "channel", CHANNELS, where)
    worker = item.get("worker")
    if worker in ("none", ""):
        worker = None
    if worker is not None and worker not in WORKERS:
        raise _fail(where, f"worker must be one of {WORKERS} or none")
    patterns = tuple(item.get("patterns") or ())
    bad = [p for p in patterns if p not in PATTERNS]
    if bad:
        raise _fail(where, f"unknown patterns {bad}; known: {sorted(PATTERNS)}")
    turns = tuple(
        parse_turn(t, channel, f"{where} turn {n}")
        for n, t in enumerate(item.get("turns") or [], 1)
    )
    if not turns:
        raise _fail(where, "a conversation needs turns")
    outcome = _check_outcome(item.get("outcome"), where)
    if worker is None and NEEDS_WORKER & set(outcome):
        raise _fail(where, f"{sorted(NEEDS_WORKER & set(outcome))} need a worker")
    caller = str(item.get("caller", "new"))
    if caller not in ("new", "own") or (caller == "own" and worker is None):
        raise _fail(where, "caller is new, or own (with a worker)")
    page_lang = item.get("page_lang")
    if page_lang is not None and (page_lang not in LANGUAGES or channel != "web"):
        raise _fail(where, "page_lang is one of bn, hi, en, on the web channel")
    return Conversation(
        id=str(item["id"]),
        language=_choice(item, "language", LANGUAGES, where),
        script=_choice(item, "script", SCRIPTS, where),
        channel=channel,
        task=_choice(item, "task", TASKS, where),
        turns=turns,
        outcome=outcome,
        worker=worker,
        patterns=patterns,
        fast=bool(item.get("fast", False)),
        caller=caller,
        page_lang=page_lang,
        source=source,
        note=str(item.get("note", "")),
    )


def parse_file(doc: dict[str, Any], source: str = "") -> list[Conversation]:
    defaults = dict(doc.get("defaults") or {})
    items = doc.get("conversations") or []
    return [parse_conversation({**defaults, **item}, source) for item in items]


def load(directory: Path = SUITE_DIR) -> list[Conversation]:
    """Every conversation under `directory`, in file order; ids must be unique."""
    found: list[Conversation] = []
    for path in sorted(directory.rglob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found += parse_file(doc, str(path.relative_to(directory)))
    seen: set[str] = set()
    for conv in found:
        if conv.id in seen:
            raise ScriptError(f"{conv.source}: duplicate id {conv.id}")
        seen.add(conv.id)
    return found


def select(
    conversations: list[Conversation],
    *,
    fast: bool = False,
    ids: list[str] | None = None,
    languages: list[str] | None = None,
    channels: list[str] | None = None,
) -> list[Conversation]:
    """A subset: the fast ones, some ids (a trailing * matches a prefix), languages, channels."""

    def wanted(c: Conversation) -> bool:
        if fast and not c.fast:
            return False
        if languages and c.language not in languages:
            return False
        if channels and c.channel not in channels:
            return False
        if ids:
            return any(c.id.startswith(i[:-1]) if i.endswith("*") else c.id == i for i in ids)
        return True

    return [c for c in conversations if wanted(c)]
