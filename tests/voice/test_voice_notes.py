"""WhatsApp voice notes through the signed webhook: the note is fetched from Twilio with the
account's credentials, sent to the configured speech recogniser (its HTTP request captured and a
recorded answer fed back at the HTTP boundary), its words go to the assistant, and the reply
comes back as a voice note from a signed, expiring URL with the words beneath it."""

from __future__ import annotations

import base64
import json
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from api.db.models import MessagingContact
from api.db.session import session_scope
from api.integrations import asr
from api.integrations.twilio import media
from api.services import senders
from api.settings import get_settings
from locales import translate
from tests.voice.conftest import KNOWN_BN, PUBLIC, post_signed
from voice import tts, voice_note

WORKER = "+919800000077"
MEDIA_URL = (
    "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000"
    "/Messages/MM0123/Media/ME0123"
)
STORAGE_URL = "https://media.storage.example/voice-note-0123"
HEARD_BN = "আমার ক্লেমের অবস্থা কী"
GOOGLE_ANSWER = {
    "results": [
        {
            "alternatives": [{"transcript": HEARD_BN, "confidence": 0.91}],
            "resultEndTime": "2.100s",
            "languageCode": "bn-in",
        }
    ],
    "totalBilledTime": "3s",
}
HEARD_HI = "मेरी पेंशन बंद हो गई है"
BHASHINI_ANSWER = {
    "pipelineResponse": [
        {"taskType": "asr", "config": None, "output": [{"source": HEARD_HI}], "audio": None}
    ]
}


@pytest.fixture(scope="module")
def note_audio(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real Ogg Opus voice note: espeak-ng speaks, opusenc encodes (as the reply path does)."""
    folder = tmp_path_factory.mktemp("note")
    wav = folder / "said.wav"
    subprocess.run(["espeak-ng", "-v", "bn", "-w", str(wav), HEARD_BN], check=True)
    assert voice_note.to_ogg_opus(wav, folder / "note.ogg")
    return (folder / "note.ogg").read_bytes()


class Recorder:
    """Both HTTP boundaries: Twilio's media host and the speech provider."""

    def __init__(self, audio: bytes) -> None:
        self.audio = audio
        self.media: list[httpx.Request] = []
        self.asr: list[httpx.Request] = []
        self.asr_answer: Callable[[httpx.Request], httpx.Response] = lambda r: httpx.Response(
            200, json=GOOGLE_ANSWER
        )
        self.media_status = 200

    def serve_media(self, request: httpx.Request) -> httpx.Response:
        self.media.append(request)
        if str(request.url) == MEDIA_URL:
            if self.media_status != 200:
                return httpx.Response(self.media_status)
            return httpx.Response(307, headers={"Location": STORAGE_URL})
        if str(request.url) == STORAGE_URL:
            return httpx.Response(200, content=self.audio, headers={"Content-Type": "audio/ogg"})
        return httpx.Response(404)

    def serve_asr(self, request: httpx.Request) -> httpx.Response:
        self.asr.append(request)
        return self.asr_answer(request)


@pytest.fixture
def http(note_audio: bytes, monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    recorder = Recorder(note_audio)
    monkeypatch.setattr(media, "TRANSPORT", httpx.MockTransport(recorder.serve_media))
    monkeypatch.setattr(asr, "TRANSPORT", httpx.MockTransport(recorder.serve_asr))
    yield recorder


@pytest.fixture
def google(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASR_PROVIDER", "google")
    monkeypatch.setenv("GOOGLE_SPEECH_API_KEY", "test-google-key")
    get_settings.cache_clear()


def send_note(client, sid: str, sender: str = WORKER, url: str = MEDIA_URL):
    params = {
        "MessageSid": sid,
        "From": f"whatsapp:{sender}",
        "To": "whatsapp:+14155238886",
        "Body": "",
        "NumMedia": "1",
        "MediaContentType0": "audio/ogg",
        "MediaUrl0": url,
    }
    response = post_signed(client, "/sms/incoming", params)
    assert response.status_code == 200, response.text
    return ET.fromstring(response.text).findall("Message")  # noqa: S314


def note_url(messages: list[ET.Element]) -> str:
    found = messages[0].find("Media")
    assert found is not None and not (messages[0].text or "").strip(), "the voice note first"
    return (found.text or "").strip()


def fetch(client, public_url: str) -> httpx.Response:
    assert public_url.startswith(PUBLIC)  # Twilio fetches it there; the proxy strips the prefix
    return client.get(public_url[len(PUBLIC) :])


def test_a_voice_note_is_heard_answered_by_voice_and_in_words(
    google, http: Recorder, app_client, rasa
) -> None:
    rasa.reply = lambda p: [{"text": "আপনার ক্লেম CLM-2026-000101 দেখা হচ্ছে।"}]
    messages = send_note(app_client, "MM0123")

    first, second = http.media
    settings = get_settings()
    credentials = f"{settings.twilio_account_sid}:{settings.twilio_auth_token}".encode()
    assert first.headers["Authorization"] == "Basic " + base64.b64encode(credentials).decode()
    assert str(second.url) == STORAGE_URL and "Authorization" not in second.headers

    (sent,) = http.asr
    assert str(sent.url) == "https://speech.googleapis.com/v1/speech:recognize"
    assert sent.headers["X-Goog-Api-Key"] == "test-google-key"
    assert "key=" not in str(sent.url)
    body = json.loads(sent.content)
    assert body["config"] == {
        "encoding": "OGG_OPUS",
        "sampleRateHertz": body["config"]["sampleRateHertz"],
        "languageCode": "bn-IN",
        "alternativeLanguageCodes": ["hi-IN", "en-IN"],
        "maxAlternatives": 1,
        "profanityFilter": False,
    }
    assert body["config"]["sampleRateHertz"] in (8000, 12000, 16000, 24000, 48000)
    assert base64.b64decode(body["audio"]["content"]) == http.audio

    assert rasa.received[-1]["message"] == HEARD_BN
    assert rasa.received[-1]["sender"] == senders.sender_for("whatsapp", WORKER)
    assert rasa.received[-1]["metadata"]["caller_phone"] == WORKER
    assert [m.text for m in messages[1:]] == ["আপনার ক্লেম CLM-2026-000101 দেখা হচ্ছে।"]
    audio = fetch(app_client, note_url(messages))
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/ogg"
    assert audio.content[:4] == b"OggS" and b"OpusHead" in audio.content[:200]
    assert audio.headers["cache-control"] == "no-store"
    # personal words: nothing entered the shared TTS cache, no intermediate file is left
    assert not any(tts.cache_dir().iterdir())
    assert [p.suffix for p in tts.personal_dir().iterdir()] == [".ogg"]


def test_the_voice_note_url_is_signed_and_expires(google, http: Recorder, app_client, rasa) -> None:
    rasa.reply = lambda p: [{"text": "ঠিক আছে"}]
    url = note_url(send_note(app_client, "MM0200"))
    stem = Path(urlsplit(url).path).stem
    expires, signature = urlsplit(url).path.split("/")[-3:-1]
    forged = url.replace(signature, "0" * len(signature))
    later = url.replace(f"/{expires}/", f"/{int(expires) + 3600}/")
    assert fetch(app_client, forged).status_code == 404
    assert fetch(app_client, later).status_code == 404, "the expiry is signed too"
    expired = voice_note.signed_url(stem, now=time.time() - 3 * 3600)
    assert fetch(app_client, expired).status_code == 404
    assert fetch(app_client, url).status_code == 200


def test_bhashini_gets_one_asr_task_in_the_numbers_language(
    env, http: Recorder, app_client, rasa, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASR_PROVIDER", "bhashini")
    monkeypatch.setenv("BHASHINI_API_KEY", "test-bhashini-key")
    monkeypatch.setenv("BHASHINI_ASR_SERVICE_IDS", '{"bn": "asr-bn-1", "hi": "asr-hi-1"}')
    get_settings.cache_clear()
    with session_scope() as s:
        s.add(MessagingContact(address=WORKER, language="hi", choices=[]))
    http.asr_answer = lambda r: httpx.Response(200, json=BHASHINI_ANSWER)
    rasa.reply = lambda p: [{"text": "आपकी पेंशन की जानकारी देखता हूँ।"}]
    messages = send_note(app_client, "MM0300")
    (sent,) = http.asr
    assert str(sent.url) == "https://dhruva-api.bhashini.gov.in/services/inference/pipeline"
    assert sent.headers["Authorization"] == "test-bhashini-key"
    body = json.loads(sent.content)
    (task,) = body["pipelineTasks"]
    assert task["taskType"] == "asr"
    assert task["config"]["language"] == {"sourceLanguage": "hi"}
    assert task["config"]["serviceId"] == "asr-hi-1" and task["config"]["audioFormat"] == "ogg"
    assert base64.b64decode(body["inputData"]["audio"][0]["audioContent"]) == http.audio
    assert rasa.received[-1]["message"] == HEARD_HI
    assert note_url(messages) and messages[1].text == "आपकी पेंशन की जानकारी देखता हूँ।"


def test_without_a_provider_the_worker_learns_the_keypad_line(
    env, http: Recorder, app_client, rasa
) -> None:
    messages = send_note(app_client, "MM0400", sender=KNOWN_BN)
    number = get_settings().twilio_from_number
    assert messages[-1].text == translate("voicenote.no_asr", "bn", number=number)
    assert fetch(app_client, note_url(messages)).status_code == 200  # said aloud too
    assert http.media == [] and http.asr == [], "nothing is fetched or sent anywhere"
    assert rasa.received == []


@pytest.mark.parametrize(
    ("media_status", "asr_status", "expected"),
    [(200, 503, "voicenote.failed"), (404, 200, "voicenote.failed")],
    ids=["provider_down", "media_gone"],
)
def test_a_failure_is_a_polite_message_with_the_way_to_an_officer(
    google, http: Recorder, app_client, rasa, media_status: int, asr_status: int, expected: str
) -> None:
    http.media_status = media_status
    http.asr_answer = lambda r: httpx.Response(asr_status, json={"error": {"code": asr_status}})
    messages = send_note(app_client, "MM0500", sender=KNOWN_BN)
    number = get_settings().twilio_from_number
    assert messages[-1].text == translate(expected, "bn", number=number)
    assert rasa.received == []


def test_no_words_heard_asks_again(google, http: Recorder, app_client, rasa) -> None:
    http.asr_answer = lambda r: httpx.Response(200, json={"totalBilledTime": "2s"})
    messages = send_note(app_client, "MM0600", sender=KNOWN_BN)
    assert messages[-1].text == translate("voicenote.unclear", "bn")
    assert rasa.received == []


def test_credentials_never_go_to_another_host(google, http: Recorder, app_client, rasa) -> None:
    messages = send_note(app_client, "MM0700", sender=KNOWN_BN, url="https://evil.example/n.ogg")
    assert http.media == [] and http.asr == []
    assert messages[-1].text == translate(
        "voicenote.failed", "bn", number=get_settings().twilio_from_number
    )


def test_a_voice_note_delivered_twice_is_heard_once(
    google, http: Recorder, app_client, rasa
) -> None:
    rasa.reply = lambda p: [{"text": "ঠিক আছে"}]
    first = send_note(app_client, "MM0800")
    again = send_note(app_client, "MM0800")
    assert len(http.asr) == 1 and len(rasa.received) == 1
    assert [ET.tostring(m) for m in first] == [ET.tostring(m) for m in again]


@pytest.mark.parametrize(
    "values",
    [
        {"ASR_PROVIDER": "google"},
        {"ASR_PROVIDER": "bhashini", "BHASHINI_API_KEY": "k"},  # no service ids
        # docker-compose passes an unset variable as "": read as no services, not a JSON error
        {"ASR_PROVIDER": "bhashini", "BHASHINI_API_KEY": "k", "BHASHINI_ASR_SERVICE_IDS": ""},
    ],
    ids=["google_without_key", "bhashini_without_services", "bhashini_services_empty"],
)
def test_a_provider_without_its_key_refuses_to_start(
    env, monkeypatch: pytest.MonkeyPatch, values: dict[str, str]
) -> None:
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="ASR_PROVIDER"):
        get_settings()
    get_settings.cache_clear()


def test_reply_voice_notes_go_with_the_personal_audio_retention(
    google, http: Recorder, app_client, rasa
) -> None:
    import os

    from api.services.retention import purge_personal_audio

    rasa.reply = lambda p: [{"text": "ঠিক আছে"}]
    url = note_url(send_note(app_client, "MM0900"))
    (path,) = tts.personal_dir().iterdir()
    assert purge_personal_audio() == 0 and path.exists()
    old = time.time() - (get_settings().retention_tts_personal_minutes + 1) * 60
    os.utime(path, (old, old))
    assert purge_personal_audio() == 1
    assert fetch(app_client, url).status_code == 404


def test_a_numbered_choice_can_be_answered_by_voice(
    google, http: Recorder, app_client, rasa
) -> None:
    rasa.reply = lambda p: [
        {
            "text": "আপনি কি নিশ্চিত?",
            "buttons": [{"title": "হ্যাঁ", "payload": "/affirm"}, {"title": "না", "payload": "/deny"}],
        }
    ]
    messages = send_note(app_client, "MM1000")
    assert "২. না" in (messages[1].text or "")  # the choices in words (and in the voice note)
    http.asr_answer = lambda r: httpx.Response(
        200, json={"results": [{"alternatives": [{"transcript": "দুই"}], "languageCode": "bn-in"}]}
    )
    rasa.reply = lambda p: [{"text": "ঠিক আছে"}]
    send_note(app_client, "MM1001")
    assert rasa.received[-1]["message"] == "/deny"
