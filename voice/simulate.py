"""`python -m voice.simulate --lang bn`: be Twilio and a caller against a running stack.

Signs every request like Twilio (TWILIO_AUTH_TOKEN, over the PUBLIC_BASE_URL the TwiML names),
follows the TwiML (<Gather> actions, <Redirect>s, <Play>/<Say>), prints what the caller would
hear (the words behind each audio file come from /voice/audio/<key>.txt) and takes typed keys
or speech ("say: ..."). Tests use the `CallSimulator` class: start(), press(), say(), silence().
"""

from __future__ import annotations

import argparse
import secrets
import sys
import xml.etree.ElementTree as ET  # nosec B405
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

from api.integrations.twilio.signature import sign
from api.settings import get_settings

MAX_HOPS = 25


@dataclass
class Event:
    kind: str  # say | play | dial | enqueue | hangup | reject | pause
    text: str = ""
    url: str = ""


@dataclass
class PendingGather:
    action: str
    attributes: dict[str, str]


@dataclass
class CallSimulator:
    """One simulated phone call. `heard` holds the words spoken to the caller, in order."""

    base_url: str = "http://127.0.0.1:8000"
    caller: str = "+919800000001"
    line: str = "+15005550006"
    public_base_url: str | None = None
    auth_token: str | None = None
    client: httpx.Client | None = None
    timeout_s: float = 20.0
    call_sid: str = field(default_factory=lambda: "CA" + secrets.token_hex(16))
    heard: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    gather: PendingGather | None = None
    ended: bool = False
    dialled: list[str] = field(default_factory=list)
    last_response_s: float = 0.0
    response_times: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        settings = get_settings()
        self.public_base_url = (self.public_base_url or settings.public_base_url).rstrip("/")
        self.auth_token = self.auth_token or settings.twilio_auth_token
        self._own_client = self.client is None
        self.http = self.client or httpx.Client(timeout=self.timeout_s)
        self._turn_start = 0

    # -- caller actions -------------------------------------------------------------------------
    def start(self, path: str = "/voice/incoming") -> list[str]:
        """Dial the line; returns what was heard up to the first question."""
        return self._run(f"{self.public_base_url}{path}", {})

    def press(self, digits: str) -> list[str]:
        return self._answer({"Digits": digits})

    def say(self, text: str, confidence: float = 0.92) -> list[str]:
        return self._answer({"SpeechResult": text, "Confidence": f"{confidence:.2f}"})

    def silence(self) -> list[str]:
        return self._answer({})

    def hang_up(self) -> None:
        """The caller hangs up: Twilio sends the status callback."""
        self.ended = True
        self.status_callback("completed")

    def status_callback(self, status: str, duration: int = 42) -> int:
        params = {**self._base_params(), "CallStatus": status, "CallDuration": str(duration)}
        response = self._post(f"{self.public_base_url}/voice/status", params)
        return response.status_code

    def choose_language(self, lang: str) -> list[str]:
        """Answer the language menu if it is being asked (known callers skip it)."""
        if not self.waiting_for("language"):
            return []
        return self.press({"bn": "1", "hi": "2", "en": "3"}[lang])

    def waiting_for(self, mode: str) -> bool:
        """Is the open <Gather> of this kind (language, menu, number, confirm, choice, ...)?"""
        if self.gather is None:
            return False
        query = parse_qs(urlsplit(self.gather.action).query)
        return query.get("mode", [""])[0] == mode

    # -- plumbing -------------------------------------------------------------------------------
    def _answer(self, params: dict[str, str]) -> list[str]:
        if self.ended or self.gather is None:
            raise RuntimeError("the call is not waiting for input")
        action = self.gather.action
        self.gather = None
        return self._run(action, params)

    def _base_params(self) -> dict[str, str]:
        return {
            "CallSid": self.call_sid,
            "AccountSid": "AC" + "0" * 32,
            "From": self.caller,
            "To": self.line,
            "Direction": "inbound",
            "CallStatus": "in-progress",
            "ApiVersion": "2010-04-01",
        }

    def _post(self, public_url: str, params: dict[str, str]) -> httpx.Response:
        signature = sign(public_url, params, self.auth_token or "")
        local = self._local(public_url)
        return self.http.post(local, data=params, headers={"X-Twilio-Signature": signature})

    def _local(self, public_url: str) -> str:
        """Twilio calls the public URL; we reach the same path on the stack we test."""
        parts = urlsplit(public_url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        prefix = urlsplit(self.public_base_url or "").path.rstrip("/")
        if prefix and path.startswith(prefix):
            path = path[len(prefix) :]
        return self.base_url.rstrip("/") + path

    def _run(self, url: str, extra: dict[str, str]) -> list[str]:
        import time

        start = len(self.heard)
        params = {**self._base_params(), **extra}
        for _ in range(MAX_HOPS):
            began = time.monotonic()
            response = self._post(url, params)
            self.last_response_s = time.monotonic() - began
            self.response_times.append(self.last_response_s)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}: {response.text[:200]}")
            follow = self._follow(url, response.text)
            if follow is None:
                break
            url, params = follow, self._base_params()
        else:
            raise RuntimeError("too many redirects: the call is looping")
        if self.gather is None and not self.ended:
            self.ended = True  # end of TwiML without a question: Twilio hangs up
        return self.heard[start:]

    def _follow(self, url: str, twiml: str) -> str | None:
        """Play the document; the URL of a <Redirect> to follow, or None."""
        # bandit B314: TwiML from the stack under test, not from strangers
        root = ET.fromstring(twiml)  # noqa: S314  # nosec B314
        for verb in root:
            tag = verb.tag
            if tag == "Gather":
                for child in verb:
                    self._speak(child, url)
                action = urljoin(url, verb.get("action") or url)
                self.gather = PendingGather(action=action, attributes=dict(verb.attrib))
                return None  # waits for the caller
            if tag in ("Say", "Play", "Pause"):
                self._speak(verb, url)
            elif tag == "Redirect":
                return urljoin(url, (verb.text or "").strip())
            elif tag == "Dial":
                number = "".join(verb.itertext()).strip()
                self.dialled.append(number)
                self.events.append(Event("dial", number))
                self.ended = True
                return None
            elif tag == "Enqueue":
                self.events.append(Event("enqueue", (verb.text or "").strip()))
                self.ended = True
                return None
            elif tag in ("Hangup", "Reject"):
                self.events.append(Event(tag.lower()))
                self.ended = True
                return None
        return None

    def _speak(self, verb: ET.Element, base: str) -> None:
        if verb.tag == "Say":
            words = (verb.text or "").strip()
            self.events.append(Event("say", words))
            self.heard.append(words)
        elif verb.tag == "Play":
            url = urljoin(base, (verb.text or "").strip())
            words = self._words_of(url)
            self.events.append(Event("play", words, url))
            self.heard.append(words)

    def _words_of(self, audio_url: str) -> str:
        stem = audio_url.rsplit(".", 1)[0]
        text_url = stem + ".txt"
        signature = sign(text_url, {}, self.auth_token or "")
        audio = self.http.get(self._local(audio_url))
        if audio.status_code != 200 or len(audio.content) < 100:
            return f"[missing audio {audio_url}]"
        meta = self.http.get(self._local(text_url), headers={"X-Twilio-Signature": signature})
        if meta.status_code != 200:
            return f"[audio {audio_url}]"
        return str(meta.json().get("text", ""))

    def close(self) -> None:
        if self._own_client:
            self.http.close()


def _interactive(sim: CallSimulator, lang: str | None) -> int:
    def show(lines: list[str]) -> None:
        for line in lines:
            print(f"  🔊 {line}")
        if sim.dialled:
            print(f"  ☎  dialling {sim.dialled[-1]}")

    show(sim.start())
    if lang:
        show(sim.choose_language(lang))
    while not sim.ended:
        try:
            typed = input("keys, 'say: ...', empty = silence, 'q' = hang up > ").strip()
        except EOFError:
            typed = "q"
        if typed in ("q", "quit"):
            sim.hang_up()
            break
        if typed.lower().startswith("say:"):
            show(sim.say(typed[4:].strip()))
        elif typed:
            show(sim.press(typed))
        else:
            show(sim.silence())
    if not sim.ended or (sim.events and sim.events[-1].kind != "dial"):
        sim.status_callback("completed")
    print("call ended")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("bn", "hi", "en"), default=None)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--from", dest="caller", default="+919800000001")
    parser.add_argument("--public-base-url", default=None)
    args = parser.parse_args(argv)
    sim = CallSimulator(
        base_url=args.base_url, caller=args.caller, public_base_url=args.public_base_url
    )
    try:
        return _interactive(sim, args.lang)
    except (httpx.HTTPError, RuntimeError) as error:
        print(f"simulator: {error}", file=sys.stderr)
        return 1
    finally:
        sim.close()


if __name__ == "__main__":
    raise SystemExit(main())
