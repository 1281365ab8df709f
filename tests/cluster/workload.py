"""The fault test's load: scripted web chat conversations in Bengali, Hindi and English, each a
worker of its own checking a claim's status, renewing a lapsed membership, filing a claim or
asking for an officer, and what the database must hold afterwards (one of each, none twice).

A worker's client behaves like api/web/static/chat.html: each message has its own id and is sent
again, with the same id, after a gateway error (502/503/504) or a dropped connection.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import create_engine, select

from scripts.stack import environment
from tests.cluster.harness import Attempt, Record, clock
from tests.stand_ins import TwilioStandIn

TURN_DEADLINE_S = 120.0  # one message, all its retries included
# A person reads the reply and types the next message: seconds between an answer and the next
# message (FAULT_THINK_S). 0 sends at once, a load no helpline's callers make.
THINK_S = float(os.environ.get("FAULT_THINK_S", "8"))
RETRY_PAUSE_S = 0.5
# "the office system did not answer, say your date of birth again": given again this many times
INVITED_RETRIES, INVITED_PAUSE_S = 3, 2.0
CODE = re.compile(r"\b(\d{6})\b")
LANGS = ("bn", "hi", "en")
GREETING = {"bn": "নমস্কার", "hi": "नमस्ते", "en": "hello"}
YES = {"bn": "হ্যাঁ", "hi": "हाँ", "en": "yes"}
# what each kind of conversation ends with (the reference it must be given), and its turns
KINDS = ("claim", "status", "renewal", "handoff")
FOUND = {
    "claim": re.compile(r"CLM-\d{4}-\d+"),
    "renewal": re.compile(r"REN-\d{4}-\d+"),
    "handoff": re.compile(r"HND-\d{4}-\d+"),
}
TURNS = {"claim": 10, "status": 4, "renewal": 5, "handoff": 2}


@dataclass
class Worker:
    """A worker made for the test: own UAN and phone; Rina's details (claims, status) or
    Ramesh's (a lapsed membership to renew); the language and kind of their conversation."""

    n: int
    uan: str
    phone: str
    kind: str = "claim"
    lang: str = "en"
    dob: str = "14/03/1988"
    bank_last4: str = "3307"
    known_claim: str = ""  # the claim a status check must name


def plan(count: int) -> list[tuple[str, str]]:
    """(kind, language) of each conversation: every kind in every language, in turn."""
    return [(KINDS[n % len(KINDS)], LANGS[(n // len(KINDS)) % len(LANGS)]) for n in range(count)]


def total_turns(workers: list[Worker]) -> int:
    return sum(TURNS[w.kind] for w in workers)


def add_workers(env: dict[str, str], count: int) -> list[Worker]:
    """The conversations' workers, written straight into the cluster's database."""
    from api.db.models import Enrollment
    from api.db.session import dispose_engines, session_scope
    from api.seed import add_claim, add_worker, load_yaml
    from api.settings import get_settings

    people = load_yaml("demo_dataset.yaml")["workers"]
    rina, ramesh = people[0], people[1]
    made = []
    with environment({**os.environ, **env}):
        get_settings.cache_clear()
        try:
            with session_scope() as s:
                for n, (kind, lang) in enumerate(plan(count)):
                    worker = Worker(n, uan=f"3{n + 1:011d}", phone=f"+9198100{n + 1:05d}")
                    worker.kind, worker.lang = kind, lang
                    person = ramesh if kind == "renewal" else rina
                    if kind == "renewal":
                        worker.dob, worker.bank_last4 = "01/07/1990", "0942"
                    data = {**person, "uan": worker.uan, "phone": worker.phone, "claims": []}
                    row = add_worker(s, data, get_settings().pii_salt)
                    for e in person["enrollments"]:
                        member = e.get("member_id")
                        s.add(
                            Enrollment(
                                worker_id=row.id,
                                scheme_code=e["scheme"],
                                member_id=f"{member}-{n}" if member else None,
                                status=e["status"],
                                valid_until=e.get("valid_until"),
                                renewable=bool(e.get("renewable", False)),
                                entry_age=e.get("entry_age"),
                                monthly_contribution=e.get("monthly_contribution"),
                                contribution_paid_until=e.get("contribution_paid_until"),
                            )
                        )
                    if kind == "status":
                        worker.known_claim = f"CLM-2025-{700000 + n}"
                        claim = {**rina["claims"][0], "reference": worker.known_claim}
                        s.flush()
                        add_claim(s, row, claim)
                    made.append(worker)
        finally:
            dispose_engines()
            get_settings.cache_clear()
    return made


@dataclass
class Conversation:
    n: int
    worker: Worker
    base_url: str
    twilio: TwilioStandIn
    record: Record
    replies: list[str] = field(default_factory=list)
    reference: str | None = None
    error: str | None = None
    finished_at: float | None = None
    # a status check starts again, in a new session, until this is set (the faults are over),
    # so every fault finds conversations in flight however fast the machine runs the others
    # (status checks file nothing: a round more never makes a record twice)
    until: threading.Event | None = None
    rounds: int = 0
    invited_retries: int = 0  # dates of birth given again when the assistant asked for them
    # what the client saw, turn by turn: text, message id, each attempt's status, the reply
    transcript: list[dict[str, Any]] = field(default_factory=list)

    def say(self, client: httpx.Client, text: str) -> str:
        if self.transcript:  # reading the last reply, typing this one
            time.sleep(THINK_S)
        message_id = uuid.uuid4().hex
        body = {"text": text, "language": self.worker.lang, "message_id": message_id}
        deadline = time.monotonic() + TURN_DEADLINE_S
        turn: dict[str, Any] = {"text": text, "message_id": message_id, "attempts": []}
        self.transcript.append(turn)
        while True:
            started = time.monotonic()
            status = 0
            try:
                answer = client.post("/chat/message", json=body)
                status = answer.status_code
                if status not in (502, 503, 504):
                    answer.raise_for_status()
                    reply = "\n".join(m.get("text", "") for m in answer.json()["messages"])
                    ended = time.monotonic()
                    self.record.add(Attempt(self.n, message_id, started, ended, True, 200))
                    turn["attempts"].append([clock(), 200, round(ended - started, 2)])
                    turn["reply"] = reply
                    self.replies.append(reply)
                    return reply
            except httpx.TransportError as error:
                status = 0  # the connection dropped with the process: like the page, send again
                turn["attempts"].append([clock(), type(error).__name__])
            self.record.add(Attempt(self.n, message_id, started, time.monotonic(), False, status))
            if status:
                turn["attempts"].append([clock(), status])
            if time.monotonic() > deadline:
                raise AssertionError(f"conversation {self.n}: {text!r} not answered in time")
            time.sleep(RETRY_PAUSE_S)

    def date_of_birth(self, client: httpx.Client) -> str:
        """The date of birth, given again while the assistant says the office system did not
        answer and asks for it again (`error.backend_down_retry`), as a worker would: a lookup
        that failed in a fault is a failed request, the conversation goes on."""
        from locales import translate

        invite = translate("error.backend_down_retry", self.worker.lang)
        reply = self.say(client, self.worker.dob)
        for _ in range(INVITED_RETRIES):
            if invite not in reply:
                break
            self.invited_retries += 1
            time.sleep(INVITED_PAUSE_S)
            reply = self.say(client, self.worker.dob)
        return reply

    def code(self, after: int) -> str:
        """The newest code texted to this worker's phone (requests after index `after`): a turn
        resent after a crash may have texted a second one, which replaced the first."""
        deadline = time.monotonic() + TURN_DEADLINE_S
        while time.monotonic() < deadline:
            for request in reversed(list(self.twilio.accepted)[after:]):
                found = CODE.search(request["body"])
                if request["to"] == self.worker.phone and found:
                    return found.group(1)
            time.sleep(0.3)
        raise AssertionError(f"conversation {self.n}: no code texted to {self.worker.phone}")

    def run(self) -> None:
        """The worker's conversation, from the greeting to the reference it ends with."""
        w = self.worker
        try:
            while True:
                self.rounds += 1
                with httpx.Client(base_url=self.base_url, timeout=90) as client:
                    client.get("/chat")  # the page: the session cookie
                    last = self._round(client)
                if w.kind == "status":
                    self.reference = w.known_claim if w.known_claim in last else None
                else:
                    found = FOUND[w.kind].search(last)
                    self.reference = found.group() if found else None
                again = w.kind == "status" and self.until is not None and not self.until.is_set()
                if not (again and self.reference):
                    break
        except (AssertionError, httpx.HTTPError, ValueError, KeyError) as error:
            self.error = f"{type(error).__name__}: {error}"
        finally:
            self.finished_at = time.monotonic()

    def _round(self, client: httpx.Client) -> str:
        """One conversation from the greeting; its last reply."""
        w, lang = self.worker, self.worker.lang
        self.say(client, GREETING[lang])
        if w.kind == "handoff":
            return self.say(client, "9")
        if w.kind == "status":
            self.say(client, "1")
            self.say(client, w.uan)
            return self.date_of_birth(client)
        if w.kind == "renewal":
            self.say(client, "2")
            self.say(client, w.uan)
            self.date_of_birth(client)
            return self.say(client, YES[lang])
        return self._claim(client)

    def _claim(self, client: httpx.Client) -> str:
        """Verify with a texted code and file a medical claim, as tests/e2e does."""
        incident = (dt.date.today() - dt.timedelta(days=10)).strftime("%d/%m/%Y")
        self.say(client, "3")
        self.say(client, self.worker.uan)
        sent_before = len(self.twilio.accepted)
        self.date_of_birth(client)
        self.say(client, self.code(sent_before))
        self.say(client, "4")  # medical
        self.say(client, incident)
        self.say(client, "fell from the scaffolding and hurt my leg")
        self.say(client, self.worker.bank_last4)
        return self.say(client, YES[self.worker.lang])


def filed(database_url: str, workers: list[Worker]) -> dict[str, list[str]]:
    """What the database holds per conversation, by the worker's UAN (claims filed in the chat,
    renewals) or, for a hand-over, by its reference: each list must be exactly one long."""
    from api.db.models import Claim, HandoffTicket, RenewalRequest
    from api.db.models import Worker as WorkerRow

    engine = create_engine(database_url)
    with engine.connect() as conn:
        claims = conn.execute(
            select(WorkerRow.uan, Claim.reference)
            .join(Claim, Claim.worker_id == WorkerRow.id)
            .where(Claim.channel != "office")
        ).all()
        renewals = conn.execute(
            select(WorkerRow.uan, RenewalRequest.reference).join(
                RenewalRequest, RenewalRequest.worker_id == WorkerRow.id
            )
        ).all()
        tickets = conn.execute(select(HandoffTicket.conversation_id, HandoffTicket.reference)).all()
    engine.dispose()
    found: dict[str, list[str]] = {w.uan: [] for w in workers if w.kind in ("claim", "renewal")}
    for uan, reference in [*claims, *renewals]:
        if uan in found:
            found[uan].append(reference)
    per_conversation = Counter(conversation for conversation, _ in tickets)
    for conversation, reference in tickets:
        found[reference] = [reference] * per_conversation[conversation]
    return found


def outcome(c: Conversation, held: dict[str, list[str]]) -> tuple[int, str]:
    """(records filed twice, why the conversation lost its outcome or "") for one conversation."""
    w = c.worker
    if w.kind == "status":
        return 0, "" if c.reference else f"status without {w.known_claim}: {c.replies[-1:]}"
    if not c.reference:
        return 0, f"{w.kind} without a reference: {c.replies[-2:]}"
    rows = held.get(w.uan if w.kind != "handoff" else c.reference, [])
    if c.reference not in rows:
        return 0, f"{c.reference} not in the database"
    return len(rows) - 1, ""
