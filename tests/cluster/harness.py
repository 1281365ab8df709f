"""The record of every attempt the fault test's conversations made (tests/cluster/workload.py),
so a fault's effect can be measured from what the clients saw, and the table it prints.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.cluster.workload import Conversation

RECOVERY_WAIT_S = 240.0  # every running conversation answered again after a fault


def clock() -> str:
    """Wall-clock time of day (UTC), to find an attempt in the processes' logs."""
    return dt.datetime.now(dt.UTC).strftime("%H:%M:%S.%f")[:-3]


@dataclass
class Attempt:
    conversation: int
    message_id: str
    started: float
    ended: float
    ok: bool
    status: int  # 0: no HTTP answer at all


@dataclass
class Record:
    """Every attempt of every conversation (thread-safe appends)."""

    attempts: list[Attempt] = field(default_factory=list)
    done_turns: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, attempt: Attempt) -> None:
        with self.lock:
            self.attempts.append(attempt)
            self.done_turns += attempt.ok


@dataclass
class FaultRow:
    fault: str
    killed_at: float
    affected: int = 0
    failed: int = 0
    recover_s: float = 0.0
    duplicates: int = 0
    losses: int = 0
    conversations: set[int] = field(default_factory=set)
    # when the fault itself was over: at once for a kill (the other replica serves), when the
    # store answered again for Redis and PostgreSQL
    over_at: float = 0.0
    # each running conversation's first turn after recovery (after the one it recovered with,
    # if the fault touched it, else its first begun after `over_at`), seconds; the slowest.
    # None: no such turn before the next fault
    next_turns: dict[int, float] = field(default_factory=dict)
    next_turn_s: float | None = None
    clock: str = ""  # wall-clock time of the fault (UTC), to find it in the logs
    in_flight: int = 0  # conversations under way when the fault began


def measure(
    row: FaultRow,
    record: Record,
    conversations: list[Conversation],
    until: float = float("inf"),
) -> None:
    """Fill `row` from the attempts: failures after the kill, until each conversation's first
    answered attempt that started after it. `until`: the next fault's start; a next turn begun
    after it measures that fault, not this one's recovery."""
    recovered: dict[int, float] = {}
    affected: set[int] = set()
    failed = 0
    with record.lock:
        attempts = sorted(record.attempts, key=lambda a: a.started)
    for attempt in attempts:
        if attempt.ended < row.killed_at or attempt.conversation in recovered:
            continue
        if attempt.ok and attempt.started >= row.killed_at:
            recovered[attempt.conversation] = attempt.ended
        elif not attempt.ok:
            failed += 1
            affected.add(attempt.conversation)
        elif attempt.ok:  # in flight at the kill and answered anyway
            slow = attempt.ended - row.killed_at > 2.0
            if slow:
                affected.add(attempt.conversation)
    row.conversations, row.affected, row.failed = affected, len(affected), failed
    ends = [recovered[c] for c in affected if c in recovered]
    row.recover_s = round(max(ends) - row.killed_at, 1) if ends else 0.0
    over = max(row.over_at, row.killed_at)
    since = {c.n: recovered.get(c.n, over) if c.n in affected else over for c in conversations}
    row.next_turns = _next_turns(since, attempts, until)
    row.next_turn_s = round(max(row.next_turns.values()), 1) if row.next_turns else None
    row.losses = sum(1 for c in conversations if c.n in affected and not c.reference)


def _next_turns(since: dict[int, float], attempts: list[Attempt], until: float) -> dict[int, float]:
    """Each conversation's first message begun after its recovery (`since`): from its first
    attempt to its answer (the issue asks for 2 s); none begun at `until` or later, none
    unanswered yet."""
    took: dict[int, float] = {}
    for conversation, at in since.items():
        mine = [a for a in attempts if a.conversation == conversation and a.started >= at]
        if not mine or mine[0].started >= until:
            continue  # the recovered turn was its last, or the next fault came first
        same = [a for a in mine if a.message_id == mine[0].message_id]
        answered = [a.ended for a in same if a.ok]
        if answered:
            took[conversation] = max(answered) - same[0].started
    return took


def turn_s(record: Record, before: float) -> tuple[float, float]:
    """Median and 95th percentile of answered attempts that ended before `before` (no fault)."""
    with record.lock:
        took = sorted(a.ended - a.started for a in record.attempts if a.ok and a.ended < before)
    if not took:
        return 0.0, 0.0
    return round(took[len(took) // 2], 1), round(took[int(len(took) * 0.95)], 1)


def wait_recovered(row: FaultRow, record: Record, conversations: list[Conversation]) -> None:
    """Until every conversation still running has an answered attempt started after the kill."""
    deadline = time.monotonic() + RECOVERY_WAIT_S
    while time.monotonic() < deadline:
        with record.lock:
            answered = {
                a.conversation for a in record.attempts if a.ok and a.started >= row.killed_at
            }
        running = {c.n for c in conversations if c.finished_at is None}
        if running <= answered:
            return
        time.sleep(0.5)


def wait_next_turns(
    row: FaultRow, record: Record, conversations: list[Conversation], wait_s: float
) -> None:
    """Until every conversation still running has had its first message after recovery
    answered (or `wait_s` passed): the next fault must not begin before the turns that measure
    this one's recovery (`measure`'s `until`)."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        measure(row, record, conversations)
        running = {c.n for c in conversations if c.finished_at is None}
        waiting = running - set(row.next_turns)
        if not waiting:
            return
        time.sleep(0.5)


def table(rows: list[FaultRow]) -> str:
    head: tuple[str, ...] = ("fault", "in flight", "conversations affected", "requests failed")
    head += ("time to recover (s)", "next turn after recovery, slowest (s)", "duplicates")
    head += ("losses",)
    lines = [" | ".join(head)]
    for r in rows:
        cells: tuple[Any, ...] = (r.fault, r.in_flight, r.affected, r.failed, r.recover_s)
        cells += ("-" if r.next_turn_s is None else r.next_turn_s,)
        lines.append(" | ".join(str(c) for c in (*cells, r.duplicates, r.losses)))
    return "\n".join(lines)
