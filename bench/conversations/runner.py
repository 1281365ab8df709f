"""Play conversations against a running stack and score each one.

One conversation at a time: the demo workers are reset, the turns are played over the
conversation's channel (a new sender id, phone number or CallSid each), and after every turn the
outcome is checked so a task done early is not padded with turns the script did not need. An
unexpected reply never stops the runner: the conversation just does not finish, and its
transcript says where it went off. Only a transport failure or a bug is a runner error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import httpx

from bench.conversations.backend_db import BackendDb, Filed, demo_workers
from bench.conversations.catalog_match import failure_in, matches, miss_in
from bench.conversations.channels import (
    CallEnded,
    Channel,
    Messaging,
    PhoneCall,
    Target,
    WebChat,
)
from bench.conversations.checks import Checker
from bench.conversations.records import Exchange, Result
from bench.conversations.schema import Conversation, Turn, render_value

REFERENCE_OF_HANDOFF = "HND-"
# The questions that ask for the code just texted to the worker's registered phone.
CODE_QUESTIONS = ("verify.otp_sent", "voice.keypad_otp")


def code_turn(channel: str, code: str) -> Turn:
    """The code as the worker gives it: typed, pressed, or read out digit by digit."""
    if channel == "phone_keypad":
        return Turn("press", code)
    if channel == "phone_speech":
        return Turn("say", " ".join(code))
    return Turn("text", code)


class Runner:
    """Plays conversations one by one against the stack at `target`."""

    def __init__(self, target: Target, *, timeout_s: float = 45.0) -> None:
        self.target = target
        self.timeout_s = timeout_s
        self.db = BackendDb(target.database_url)
        self.client = httpx.Client(timeout=timeout_s)
        # new numbers each run: the line remembers a number's language and last choices
        self.numbers = int(time.time() * 10) % 10**7 * 10
        self.played = 0

    def close(self) -> None:
        self.client.close()
        self.db.close()

    def _number(self, conv: Conversation) -> str:
        if conv.caller == "own" and conv.worker:
            return demo_workers()[conv.worker].phone
        self.played += 1
        return f"+9197{(self.numbers + self.played) % 10**8:08d}"

    def _channel(self, conv: Conversation) -> Channel:
        if conv.channel == "web":
            return WebChat(
                self.target, self.timeout_s, conv.page_lang, self.db.newest_web_conversation
            )
        if conv.channel in ("whatsapp", "sms"):
            return Messaging(self.target, self.client, conv.channel, self._number(conv))
        return PhoneCall(self.target, self.client, self._number(conv))

    def play(self, conv: Conversation) -> Result:
        started = time.monotonic()
        result = blank_result(conv)
        checker = Checker(conv, demo_workers()[conv.worker].uan if conv.worker else None)
        exchanges: list[Exchange] = []
        channel: Channel | None = None
        marks: dict[str, int] = {}
        try:
            self.db.reset()
            marks = self.db.marks()
            channel = self._channel(conv)
            self._turns(conv, channel, checker, marks, exchanges, result)
        except Exception as exc:  # transport or runner bug: recorded, never raised
            result.error = f"{type(exc).__name__}: {exc}"[:300]
        finally:
            if channel is not None:
                try:
                    channel.close()
                except Exception as exc:
                    result.error = result.error or f"closing: {type(exc).__name__}: {exc}"[:300]
        filed = Filed()
        if marks and channel is not None:
            try:
                filed = self.db.filed(marks, channel.conversation_id)
            except Exception as exc:
                result.error = result.error or f"reading the database: {exc}"[:300]
        score(result, checker, exchanges, filed)
        result.seconds = round(time.monotonic() - started, 2)
        return result

    def _turns(
        self,
        conv: Conversation,
        channel: Channel,
        checker: Checker,
        marks: dict[str, int],
        exchanges: list[Exchange],
        result: Result,
    ) -> None:
        opening = channel.open()
        if opening:
            exchanges.append(Exchange(0, "(the call starts)", opening))
        last = opening
        for n, turn in enumerate(conv.turns, start=1):
            try:
                last = self._code_if_asked(conv, channel, last, exchanges, result)
            except CallEnded:
                result.stopped = f"the call was over before turn {n} (the texted code)"
                return
            if turn.when and not any(matches(r, turn.when) for r in last):
                exchanges.append(Exchange(n, turn.shown(), skipped=True))
                continue
            if channel.ended:
                result.stopped = f"the call was over before turn {n} ({turn.shown()})"
                return
            turn = replace(turn, value=render_value(turn.value))
            try:
                replies = channel.send(turn)
            except CallEnded:
                result.stopped = f"the call was over before turn {n} ({turn.shown()})"
                return
            buttons = list(getattr(channel, "buttons", []))
            miss, failure = miss_in(replies), failure_in(replies)
            exchanges.append(Exchange(n, turn.shown(), replies, buttons, False, miss, failure))
            result.turns += 1
            last = replies
            if checker.has_positive:
                filed = self.db.filed(marks, channel.conversation_id)
                if all(c.ok for c in checker.evaluate(exchanges, filed).values()):
                    return
        try:  # the script ran out on the code question: the worker still reads the code out
            self._code_if_asked(conv, channel, last, exchanges, result)
        except CallEnded:
            result.stopped = "the call was over before the texted code"

    def _code_if_asked(
        self,
        conv: Conversation,
        channel: Channel,
        last: list[str],
        exchanges: list[Exchange],
        result: Result,
    ) -> list[str]:
        """Scripts are written without the texted code (it differs every run): when the last
        reply asks for it, the worker reads it off the phone and gives it before the next turn."""
        asked = any(matches(r, q) for r in last for q in CODE_QUESTIONS)
        code = None
        if asked and conv.worker:
            uan = demo_workers()[conv.worker].uan
            code = self.db.one_time_code(uan, self.target.session_secret)
        if code is None:
            return last
        turn = code_turn(conv.channel, code)
        replies = channel.send(turn)
        exchanges.append(Exchange(len(exchanges), "(the texted code)", replies))
        result.turns += 1
        return replies


def blank_result(conv: Conversation, error: str | None = None) -> Result:
    return Result(
        conv.id,
        conv.language,
        conv.script,
        conv.channel,
        conv.task,
        list(conv.patterns),
        error=error,
    )


def score(result: Result, checker: Checker, exchanges: list[Exchange], filed: Filed) -> None:
    """Checks, misses, failures, unasked hand-overs and where it went off (no stack needed)."""
    result.transcript = exchanges
    result.filed = filed.as_dict()
    result.checks = checker.evaluate(exchanges, filed)
    result.misses = sum(1 for e in exchanges if e.miss)
    result.failures = sum(1 for e in exchanges if e.failure)
    asked = "handoff_opened" in checker.conv.outcome or checker.conv.task == "officer"
    result.handovers = 0 if asked else len(filed.handoffs)
    result.finished = result.error is None and all(c.ok for c in result.checks.values())
    result.went_off = "" if result.finished else went_off(result, exchanges)


def went_off(result: Result, exchanges: list[Exchange]) -> str:
    """The first thing that went wrong: a runner error, a miss, a failure, an unasked officer,
    the call ending early, or (failing all those) the outcome not reached at the end."""
    played = [e for e in exchanges if not e.skipped and e.turn > 0]
    if result.error:
        at = played[-1].turn + 1 if played else 1
        return f"runner error at turn {at}: {result.error}"
    for e in played:
        if e.miss:
            return f"turn {e.turn} ({e.said!r}): not understood ({e.miss})"
        if e.failure:
            return f"turn {e.turn} ({e.said!r}): the assistant failed ({e.failure})"
        if result.handovers and any(REFERENCE_OF_HANDOFF in r for r in e.replies):
            return f"turn {e.turn} ({e.said!r}): handed to an officer unasked"
    if result.stopped:
        return result.stopped
    failed = "; ".join(f"{k}: {result.checks[k].detail}" for k in result.failed_checks)
    return f"after the last turn, outcome not reached ({failed})"


def run_all(
    conversations: list[Conversation],
    target: Target,
    *,
    budget_s: float | None = None,
    log: Callable[[str], None] | None = None,
) -> list[Result]:
    """Every conversation in order; those past the time budget are listed as not run.

    The demo workers are reset before each conversation and once more at the end.
    """
    runner = Runner(target)
    warm_up(runner)
    deadline = time.monotonic() + budget_s if budget_s else None
    results: list[Result] = []
    try:
        for i, conv in enumerate(conversations, start=1):
            if deadline is not None and time.monotonic() > deadline:
                skipped = blank_result(conv, error="not run: time budget spent")
                results.append(skipped)
                continue
            result = runner.play(conv)
            results.append(result)
            if log:
                log(_progress(i, len(conversations), result))
    finally:
        try:
            runner.db.reset()  # leave the demo workers as the dataset has them, for what follows
        finally:
            runner.close()
    return results


def warm_up(runner: Runner, tries: int = 3) -> None:
    """A throw-away chat until the assistant answers: a cold stack's first reply can time out
    (models load on first use), which would count against whichever conversation came first."""
    for _ in range(tries):
        chat = WebChat(runner.target, runner.timeout_s)
        try:
            chat.open()
            replies = chat.send(Turn("text", "hello"))
            if replies and not failure_in(replies):
                return
        except httpx.HTTPError:
            time.sleep(2)
        finally:
            chat.close()


def _progress(i: int, total: int, r: Result) -> str:
    verdict = "finished" if r.finished else ("ERROR" if r.error else "not finished")
    extra: list[Any] = [f"{r.turns} turns"]
    if r.misses:
        extra.append(f"{r.misses} misses")
    if r.handovers:
        extra.append("handed over")
    return f"[{i}/{total}] {r.id}: {verdict} ({', '.join(extra)}, {r.seconds:.1f} s)"
