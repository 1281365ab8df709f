"""Every speech engine failing during calls: gTTS unreachable (its requests go to a loopback
proxy that takes the connection and never answers) AND espeak-ng failing (a stand-in program
first on PATH that hangs, or crashes). A caller still hears words within 5 s at every step,
through the signed voice webhooks: Twilio's <Say> in the caller's language, or a prompt
rendered before the outage, never an empty answer or an error.

Each fault adds a row to the fault table printed at the end (tests/cluster/harness.py's
columns; "next turn" is the slowest webhook answer of the calls).
"""

from __future__ import annotations

import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.settings import get_settings
from locales import translate
from tests.cluster.harness import FaultRow, table
from tests.factory import RINA
from tests.voice.conftest import KNOWN_BN, ask_uan, simulator
from tests.voice.test_tts import needs_espeak
from voice import tts

WORDS_WITHIN_S = 5.0  # the bound: a caller never waits longer for words
ESPEAK = {
    "hang": "#!/bin/sh\nsleep 30\n",  # stuck (its own 10 s limit applies)
    "crash": "#!/bin/sh\necho 'espeak-ng: voice data missing' >&2\nexit 1\n",
}
FAULTS = {
    "hang": "TTS engines fail: gTTS unreachable, espeak-ng hangs",
    "crash": "TTS engines fail: gTTS unreachable, espeak-ng crashes",
}
ROWS: list[FaultRow] = []
ESPEAK_GIVE_UP_S = 11.0  # voice/tts.py gives espeak-ng 10 s


@pytest.fixture(scope="module", autouse=True)
def fault_table(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if ROWS and capture is not None:
        with capture.global_and_fixture_disabled():
            print("\n" + table(ROWS), flush=True)
    ROWS.clear()


@pytest.fixture(autouse=True)
def engines_back_afterwards() -> Iterator[None]:
    """The engines these faults put aside must not stay aside for the tests that follow."""
    yield
    tts.reset_gtts_backoff()


@pytest.fixture(scope="module", autouse=True)
def hung_renders_done() -> Iterator[None]:
    """A hung espeak-ng is given up after 10 s on its own thread, which then marks the engine
    down: wait that out once, so the tests after this module have their engines again."""
    yield
    time.sleep(ESPEAK_GIVE_UP_S)
    tts.reset_gtts_backoff()


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


def _break_engines(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, espeak: str) -> Blackhole:
    """gTTS unreachable and espeak-ng failing `espeak`-wise, for the app under test."""
    proxy = Blackhole()
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("https_proxy", proxy.url)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "espeak-ng"
    program.write_text(ESPEAK[espeak])
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{Path('/usr/bin')}:{Path('/bin')}")
    monkeypatch.setenv("TTS_ENGINE_ORDER", "gtts,espeak,say")
    get_settings.cache_clear()
    tts.reset_gtts_backoff()
    return proxy


def _words(twiml: str) -> list[str]:
    """What a caller hears from one answer: <Say> texts and <Play> URLs, wherever they are."""
    root = ET.fromstring(twiml)  # noqa: S314
    return [(n.text or "").strip() for n in root.iter() if n.tag in ("Say", "Play")]


@needs_espeak
@pytest.mark.parametrize("espeak", list(FAULTS))
def test_a_caller_hears_words_within_5_s_with_every_engine_failing(
    app_client: TestClient, rasa, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, espeak: str
) -> None:
    proxy = _break_engines(monkeypatch, tmp_path, espeak)
    rasa.reply = ask_uan
    row = FaultRow(FAULTS[espeak], time.monotonic())
    try:
        sim = simulator(app_client, KNOWN_BN)
        steps = [
            ("greeting", sim.start),
            ("menu key", lambda: sim.press("1")),  # the assistant asks for the UAN
            ("a UAN typed, read back", lambda: sim.press(RINA.uan)),  # personal words
            ("nine: again", lambda: sim.press("9")),
        ]
        slowest = 0.0
        for name, step in steps:
            began = len(sim.response_times)
            heard = step()
            took = sim.response_times[began:]
            slowest = max(slowest, *took)
            assert heard and all(heard), f"{name}: silence {heard}"
            assert max(took) < WORDS_WITHIN_S, f"{name}: words after {max(took):.1f} s"
        assert [e.kind for e in sim.events if e.kind in ("say", "play")]
        assert all(e.kind == "say" for e in sim.events if e.kind in ("say", "play"))
        assert sim.events[0].text == translate("voice.welcome_back", "bn")  # in Bengali
    finally:
        proxy.close()
        tts.reset_gtts_backoff()
    row.affected, row.next_turn_s = 1, round(slowest, 1)
    ROWS.append(row)


@needs_espeak
def test_a_prompt_rendered_before_the_outage_is_still_played(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The cache keeps working when every engine hangs: a prerendered prompt is <Play>ed at
    once, the rest is said by Twilio."""
    welcome = translate("voice.welcome_back", "bn")
    assert tts.render(welcome, "bn") is not None  # the real espeak-ng, before the outage
    proxy = _break_engines(monkeypatch, tmp_path, "hang")
    try:
        from tests.voice.conftest import post_signed

        began = time.monotonic()
        call = {"CallSid": "CA" + "7" * 32, "From": KNOWN_BN, "To": "+15005550006"}
        answer = post_signed(app_client, "/voice/incoming", call)
        took = time.monotonic() - began
    finally:
        proxy.close()
        tts.reset_gtts_backoff()
    assert answer.status_code == 200 and took < WORDS_WITHIN_S
    gather = ET.fromstring(answer.text).find("Gather")  # noqa: S314
    assert gather is not None
    first, *rest = list(gather)
    assert first.tag == "Play" and first.text and first.text.endswith(".wav")
    assert rest and all(n.tag == "Say" for n in rest)
    assert all(_words(answer.text))
