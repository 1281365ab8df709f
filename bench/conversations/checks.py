"""The outcome checks: is the task done, read from the replies and the backend's rows.

Each outcome key of a conversation file is one check. "Positive" checks say the task happened
(a claim filed, the status shown, a figure given); the others (`not_filed`, `reply_language`,
`reply_script`) hold until something breaks them, so they never finish a conversation alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from api.domain.digits import ascii_digits
from api.language.detector import detect_language, script_counts
from bench.conversations.backend_db import Filed
from bench.conversations.catalog_match import (
    ELIGIBLE_MSGID,
    NO_ANSWER_MSGID,
    NOT_ELIGIBLE_MSGIDS,
    matches,
)
from bench.conversations.records import Check, Exchange
from bench.conversations.schema import Conversation

NEUTRAL_LETTERS = 4  # a reply with fewer letters (a reference, a number) has no language
STANDING_CHECKS = frozenset({"not_filed", "reply_language", "reply_script"})


def normalise(text: str) -> str:
    """Case-folded, ASCII digits, no grouping inside numbers (₹2,00,000 -> ₹200000)."""
    text = ascii_digits(unicodedata.normalize("NFC", text)).casefold()
    return re.sub(r"(?<=\d)[,\u00a0 ](?=\d)", "", text)


def mentions(text: str, item: str) -> bool:
    """`item` in `text`; a number only as a whole number (120 is not in 1200)."""
    said, wanted = normalise(text), normalise(str(item)).strip()
    if re.fullmatch(r"\d+", wanted):
        return re.search(rf"(?<!\d){wanted}(?!\d)", said) is not None
    return wanted in said


def in_language(text: str, lang: str) -> bool | None:
    """Is one reply in `lang`? None when it has too few letters to tell."""
    counts = script_counts(text)
    letters = sum(counts.values())
    if letters < NEUTRAL_LETTERS:
        return None
    if lang == "en":
        return counts["bn"] + counts["hi"] == 0
    other = "hi" if lang == "bn" else "bn"
    if counts[other] > counts[lang]:
        return False
    if counts[lang] * 2 >= letters:
        return True
    return detect_language(text) == lang  # Latin letters: romanised Hindi/Bengali, or English?


def in_script(text: str, lang: str, script: str) -> bool | None:
    counts = script_counts(text)
    letters = sum(counts.values())
    if letters < NEUTRAL_LETTERS:
        return None
    if script == "latin":
        return counts["latin"] * 10 >= letters * 9
    native = counts[lang] if lang in ("bn", "hi") else counts["latin"]
    return native * 2 >= letters


def _played(exchanges: list[Exchange]) -> list[Exchange]:
    return [e for e in exchanges if not e.skipped]


def _all_text(exchanges: list[Exchange]) -> str:
    return "\n".join(r for e in _played(exchanges) for r in e.replies)


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _mentioned(text: str, items: list[Any]) -> list[str]:
    """The items (each a string or a list of alternatives) that `text` lacks."""
    missing = []
    for item in items:
        options = [str(o) for o in _items(item)]
        if not any(mentions(text, o) for o in options):
            missing.append(" / ".join(options))
    return missing


class Checker:
    """Evaluates one conversation's outcome against its exchanges so far and the rows filed."""

    def __init__(self, conv: Conversation, uan: str | None) -> None:
        self.conv = conv
        self.uan = uan
        self.rules: dict[str, Callable[[Any, list[Exchange], Filed], Check]] = {
            "status_shown": self.status_shown,
            "request_tracked": self.request_tracked,
            "uan_sent": self.uan_sent,
            "settings_changed": self.settings_changed,
            "claim_filed": self.claim_filed,
            "renewal_filed": self.renewal_filed,
            "restart_filed": self.restart_filed,
            "nominee_changed": self.nominee_changed,
            "correction_filed": self.correction_filed,
            "feedback_filed": self.feedback_filed,
            "handoff_opened": self.handoff_opened,
            "eligibility_answered": self.eligibility_answered,
            "answer_mentions": self.answer_mentions,
            "no_answer": self.no_answer,
            "says": self.says,
            "not_filed": self.not_filed,
            "reply_language": self.reply_language,
            "reply_script": self.reply_script,
        }

    @property
    def has_positive(self) -> bool:
        return any(k not in STANDING_CHECKS for k in self.conv.outcome)

    def evaluate(self, exchanges: list[Exchange], filed: Filed) -> dict[str, Check]:
        return {
            key: self.rules[key](value, exchanges, filed)
            for key, value in self.conv.outcome.items()
        }

    def _mine(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for r in rows if r.get("uan") == self.uan]

    # -- positive checks ------------------------------------------------------------------------
    def status_shown(self, value: Any, exchanges: list[Exchange], filed: Filed) -> Check:
        reads = self._mine(filed.status_reads)
        if not reads:
            return Check(False, "the worker's record was never read for this conversation")
        spec = value if isinstance(value, dict) else {}
        wanted = [*(spec.get("references") or []), *(spec.get("mentions") or [])]
        missing = _mentioned(_all_text(exchanges), wanted)
        if missing:
            return Check(False, f"record read, but the replies lack {missing}")
        return Check(True, f"{reads[0]['action']} for {self.uan}")

    def request_tracked(self, value: Any, exchanges: list[Exchange], filed: Filed) -> Check:
        """One of the worker's requests found by its reference, and the replies name it."""
        if not self._mine(filed.tracks):
            return Check(False, "no request of the worker was found by its reference")
        spec = value if isinstance(value, dict) else {}
        missing = _mentioned(_all_text(exchanges), list(spec.get("references") or []))
        if missing:
            return Check(False, f"request found, but the replies lack {missing}")
        return Check(True, f"request tracked for {self.uan}")

    def uan_sent(self, value: Any, exchanges: list[Exchange], filed: Filed) -> Check:
        """`true`: the UAN was queued to the registered phone; `false`: nothing was sent (the
        details did not match). Either way no reply may show the UAN itself."""
        if self.uan and mentions(_all_text(exchanges), self.uan):
            return Check(False, "a reply showed the UAN")
        sent = bool(self._mine(filed.uan_sms))
        wanted = value is not False
        if sent != wanted:
            return Check(False, "the UAN was texted" if sent else "no UAN was texted")
        return Check(True, "UAN texted to the registered phone" if sent else "nothing texted")

    def settings_changed(self, value: Any, exchanges: list[Exchange], filed: Filed) -> Check:
        """The worker changed how they are told (an audited change), and the replies say what
        it is now (`says`: catalog ids, e.g. notify.calls_on)."""
        if not self._mine(filed.settings):
            return Check(False, "the worker's settings were never changed")
        spec = value if isinstance(value, dict) else {}
        text = _all_text(exchanges)
        missing = [m for m in _items(spec.get("says") or []) if not matches(text, str(m))]
        if missing:
            return Check(False, f"changed, but the replies never said {missing}")
        return Check(True, f"settings changed for {self.uan}")

    def _row(self, rows: list[dict[str, Any]], what: str, **want: Any) -> Check:
        mine = self._mine(rows) if self.uan else rows
        for row in mine:
            if all(v is None or row.get(k) == v for k, v in want.items()):
                return Check(True, f"{what} {row.get('reference', '')}".strip())
        seen = [{k: r.get(k) for k in ("reference", *want)} for r in mine]
        return Check(False, f"no {what} {want or ''}; rows: {seen or 'none'}")

    def claim_filed(self, value: Any, _ex: list[Exchange], filed: Filed) -> Check:
        spec = value if isinstance(value, dict) else {}
        return self._row(filed.claims, "claim", type=spec.get("type"))

    def renewal_filed(self, value: Any, _ex: list[Exchange], filed: Filed) -> Check:
        spec = value if isinstance(value, dict) else {}
        return self._row(filed.renewals, "renewal", scheme=spec.get("scheme"))

    def restart_filed(self, _value: Any, _ex: list[Exchange], filed: Filed) -> Check:
        return self._row(filed.restarts, "restart request")

    def nominee_changed(self, value: Any, _ex: list[Exchange], filed: Filed) -> Check:
        spec = value if isinstance(value, dict) else {}
        name = " ".join(normalise(str(spec.get("name", ""))).split())
        for row in self._mine(filed.nominees):
            stored = " ".join(normalise(row["name"]).split())
            same_name = not name or name in stored  # a part of the name stored is wrong
            if same_name and spec.get("relation") in (None, row["relation"]):
                return Check(True, f"nominee {row['name']} ({row['relation']})")
        rows = [(r["name"], r["relation"]) for r in self._mine(filed.nominees)]
        return Check(False, f"no nominee change to {spec}; rows: {rows or 'none'}")

    def correction_filed(self, value: Any, _ex: list[Exchange], filed: Filed) -> Check:
        """A correction of the worker's record filed for an officer (`{field: ...}`)."""
        spec = value if isinstance(value, dict) else {}
        return self._row(filed.corrections, "correction", field=spec.get("field"))

    def feedback_filed(self, value: Any, _ex: list[Exchange], filed: Filed) -> Check:
        spec = value if isinstance(value, dict) else {}
        return self._row(filed.feedback, "feedback", category=spec.get("category"))

    def handoff_opened(self, _value: Any, _ex: list[Exchange], filed: Filed) -> Check:
        if filed.handoffs:
            return Check(True, f"ticket {filed.handoffs[0]['reference']}")
        return Check(False, "no officer ticket for this conversation")

    def eligibility_answered(self, value: Any, exchanges: list[Exchange], _f: Filed) -> Check:
        spec = value if isinstance(value, dict) else {}
        eligible, figure = spec.get("eligible"), spec.get("contribution")
        sent = 0
        for e in _played(exchanges):
            sent += 1 if e.turn > 0 else 0
            text = "\n".join(e.replies)
            if eligible is True and not matches(text, ELIGIBLE_MSGID):
                continue
            if eligible is False and not any(matches(text, m) for m in NOT_ELIGIBLE_MSGIDS):
                continue
            if figure is not None and not mentions(text, str(figure)):
                continue
            limit = spec.get("within_turns")
            if limit is not None and sent > int(limit):
                return Check(False, f"answered only at turn {sent} (wanted within {limit})")
            return Check(True, f"answered at turn {sent}")
        return Check(False, f"no reply gives {spec}")

    def answer_mentions(self, value: Any, exchanges: list[Exchange], _f: Filed) -> Check:
        missing = _mentioned(_all_text(exchanges), _items(value))
        return Check(not missing, f"missing {missing}" if missing else "all mentioned")

    def no_answer(self, _value: Any, exchanges: list[Exchange], _f: Filed) -> Check:
        ok = matches(_all_text(exchanges), NO_ANSWER_MSGID)
        return Check(ok, "said it does not know" if ok else "never said it does not know")

    def says(self, value: Any, exchanges: list[Exchange], _f: Filed) -> Check:
        """Catalog messages (by id, in any language) that some reply must contain."""
        text = _all_text(exchanges)
        missing = [m for m in _items(value) if not matches(text, str(m))]
        return Check(not missing, f"never said {missing}" if missing else "said")

    # -- standing checks ------------------------------------------------------------------------
    def not_filed(self, value: Any, _ex: list[Exchange], filed: Filed) -> Check:
        found = {kind: filed.count(kind) for kind in _items(value) if filed.count(kind)}
        return Check(not found, f"filed anyway: {found}" if found else "nothing filed")

    def _every_reply(
        self, exchanges: list[Exchange], test: Callable[[str], bool | None], what: str
    ) -> Check:
        told = self.conv.on_phone  # a caller chooses the language at the first menu
        for e in _played(exchanges):
            if e.turn == 0 and self.conv.on_phone:
                continue  # the language menu speaks every language
            if not told and not sum(script_counts(e.said).values()):
                continue  # only digits written so far: no language to answer in yet
            told = True
            for reply in e.replies:
                if test(reply) is False:
                    return Check(False, f"turn {e.turn} not {what}: {reply[:80]!r}")
        return Check(True, f"every reply {what}")

    def reply_language(self, value: Any, exchanges: list[Exchange], _f: Filed) -> Check:
        return self._every_reply(exchanges, lambda r: in_language(r, value), f"in {value}")

    def reply_script(self, value: Any, exchanges: list[Exchange], _f: Filed) -> Check:
        lang = self.conv.language
        return self._every_reply(exchanges, lambda r: in_script(r, lang, value), f"in {value}")
