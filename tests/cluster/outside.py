"""The faults outside the cluster's processes: Twilio's REST API in trouble (answering 500, then
taking messages without answering, past TWILIO_TIMEOUT_S) and every speech engine failing
(gTTS unreachable, espeak-ng hanging), with phone calls placed while each lasts.

Only the network boundary is played: Twilio is tests/stand_ins.TwilioStandIn, which the real
twilio client in every API process is pointed at (TWILIO_API_BASE); gTTS's HTTPS goes to a
proxy that never answers; espeak-ng is a stand-in first on the API processes' PATH that runs the
real one, or hangs while the fault is on (as tests/voice/test_tts_faults.py plays it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.stand_ins import TwilioStandIn

WORDS_WITHIN_S = 5.0  # the bound: a caller never waits longer for words
# Between one call and the next from the same number: a person redialling, and under the line's
# per-number limit (WEBHOOK_RATE_LIMIT, 20 a minute), which a caller redialling at once broke
# when the line answered fast (the extra calls were refused in words, then as busy)
REDIAL_S = 4.0
SETTLED = ("sent", "delivered")
UNSETTLED = ("queued", "sending", "unsure")


class Blackhole:
    """A loopback TCP port that accepts connections and never says a word (a dead proxy)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.getsockname()[1]}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        for conn in self.held:
            conn.close()
        self.server.close()


class EspeakSwitch:
    """espeak-ng for the API processes: the real one, or, while `on`, a program that hangs."""

    def __init__(self, root: Path, real: str = "/usr/bin/espeak-ng") -> None:
        self.bin = root / "bin"
        self.bin.mkdir(parents=True, exist_ok=True)
        self.flag = root / "espeak-hangs"
        program = self.bin / "espeak-ng"
        program.write_text(
            f'#!/bin/sh\nif [ -e "{self.flag}" ]; then sleep 30; exit 1; fi\nexec {real} "$@"\n',
            encoding="utf-8",
        )
        program.chmod(0o755)

    def on(self) -> None:
        self.flag.touch()

    def off(self) -> None:
        self.flag.unlink(missing_ok=True)


def twilio_outage(twilio: TwilioStandIn, error_s: float, hang_s: float) -> threading.Thread:
    """In the background: 500 to everything for `error_s`, then, for `hang_s`, every message
    taken (sent) and its answer held past the client's timeout, then Twilio as usual."""

    def play() -> None:
        twilio.outage = "error"
        time.sleep(error_s)
        twilio.outage = "take-then-hang"
        time.sleep(hang_s)
        twilio.outage = ""

    thread = threading.Thread(target=play, daemon=True)
    thread.start()
    return thread


@dataclass
class CallStep:
    name: str
    took_s: float  # the slowest webhook answer of the step
    words: int  # <Say>/<Play> the caller heard in the step's answers
    error: str = ""


@dataclass
class Calls:
    """Phone calls placed one after another from each caller until `stop` is set."""

    api_url: str
    public_url: str
    token: str
    callers: list[tuple[str, str]]  # (phone, UAN) of workers the line knows
    stop: threading.Event = field(default_factory=threading.Event)
    steps: list[CallStep] = field(default_factory=list)
    placed: int = 0
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        for phone, uan in self.callers:
            thread = threading.Thread(target=self._caller, args=(phone, uan), daemon=True)
            thread.start()
            self.threads.append(thread)

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)

    def _caller(self, phone: str, uan: str) -> None:
        import httpx

        from voice.simulate import CallSimulator

        with httpx.Client(timeout=30) as client:
            while not self.stop.is_set():
                sim = CallSimulator(
                    base_url=self.api_url,
                    caller=phone,
                    public_base_url=self.public_url,
                    auth_token=self.token,
                    client=client,
                )
                self.placed += 1
                plan = [
                    ("greeting", sim.start),
                    ("menu key", lambda s=sim: s.press("1")),
                    ("a UAN typed, read back", lambda s=sim, u=uan: s.press(u)),
                ]
                for name, step in plan:
                    began = len(sim.response_times)
                    try:
                        heard = step()
                    except (RuntimeError, httpx.HTTPError) as error:
                        why = f"{type(error).__name__}: {error}"[:200]
                        self.steps.append(CallStep(name, 0.0, 0, why))
                        break
                    took = sim.response_times[began:] or [0.0]
                    self.steps.append(CallStep(name, max(took), sum(1 for h in heard if h)))
                    if sim.ended or sim.gather is None:
                        break
                with contextlib.suppress(httpx.HTTPError):
                    sim.hang_up()
                self.stop.wait(REDIAL_S)  # a person hangs up, then dials again

    def silent(self) -> list[CallStep]:
        """Steps in which the caller heard nothing, waited past WORDS_WITHIN_S, or failed."""
        return [s for s in self.steps if s.error or not s.words or s.took_s >= WORDS_WITHIN_S]


@dataclass
class Outbox:
    """What the cluster queued against what the stand-in Twilio took, message by message."""

    rows: list[dict[str, object]]
    taken: Counter[str]  # sid -> times Twilio took a message or call under it

    @property
    def unsettled(self) -> list[dict[str, object]]:
        return [r for r in self.rows if r["status"] in UNSETTLED]

    def duplicates(self, since: dt.datetime | None = None) -> int:
        """Messages Twilio took that no row holds (a resend of one already taken), or took
        twice under a sid; `since`: only rows created from then on."""
        sids = [str(r["provider_sid"]) for r in self.rows if r["provider_sid"]]
        held = Counter(sids)
        extra = sum(n - 1 for n in self.taken.values() if n > 1)
        extra += sum(n - 1 for n in held.values() if n > 1)
        if since is None:
            extra += sum(n for sid, n in self.taken.items() if sid not in held)
        return extra

    def losses(self, since: dt.datetime | None = None) -> list[dict[str, object]]:
        """Rows not sent (or failed) at the end, or marked sent under a sid Twilio never gave."""
        mine = [r for r in self.rows if since is None or _aware(r["created_at"]) >= since]
        return [
            r
            for r in mine
            if r["status"] not in SETTLED or str(r["provider_sid"] or "") not in self.taken
        ]


def _aware(value: object) -> dt.datetime:
    assert isinstance(value, dt.datetime)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def outbox(database_url: str, twilio: TwilioStandIn, settle_s: float = 150.0) -> Outbox:
    """The outbound rows once none is left to send (or after `settle_s`), and Twilio's count."""
    engine = create_engine(database_url)
    query = text(
        "SELECT id, to_address, channel, status, attempts, provider_sid, created_at, sent_at,"
        " last_error FROM outbound_messages ORDER BY id"
    )
    deadline = time.monotonic() + settle_s
    try:
        while True:
            with engine.connect() as conn:
                rows = [dict(r._mapping) for r in conn.execute(query)]
            if not [r for r in rows if r["status"] in UNSETTLED] or time.monotonic() > deadline:
                break
            time.sleep(1.0)
    finally:
        engine.dispose()
    return Outbox(rows, Counter(str(a["sid"]) for a in list(twilio.accepted)))


def delayed(box: Outbox, began: dt.datetime, ended: dt.datetime) -> list[dict[str, object]]:
    """Rows the outage held back: queued before it ended and sent after it began (or not)."""
    return [
        r
        for r in box.rows
        if _aware(r["created_at"]) < ended
        and (r["sent_at"] is None or _aware(r["sent_at"]) > began)
        and (int(str(r["attempts"])) > 1 or _aware(r["created_at"]) >= began)
    ]
