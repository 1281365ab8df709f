"""Whole phone calls and message threads, as Twilio would send them, through the real stack.

The call simulator signs every webhook, follows the TwiML and records what the caller hears; the
outbound SMS (the summary after a call) is captured where twilio's client sends it.
"""

from __future__ import annotations

import re
import subprocess
import time
from html import unescape
from urllib.parse import urlsplit

import httpx
import pytest
from twilio.request_validator import RequestValidator

from locales import spell_digits, translate
from tests.e2e.conftest import TWILIO_TOKEN as TOKEN
from tests.e2e.conftest import RunningStack, asks_for_code
from tests.factory import ANWAR, RAMESH, RINA
from voice.simulate import CallSimulator

pytestmark = pytest.mark.e2e
LANG_KEY = {"bn": "1", "hi": "2", "en": "3"}
LANG_WORD = {"bn": "বাংলা", "hi": "हिंदी", "en": "English"}
YES_WORD = {"bn": "হ্যাঁ", "hi": "हाँ", "en": "yes"}
SCRIPT = {"bn": re.compile(r"[\u0980-\u09FF]"), "hi": re.compile(r"[\u0900-\u097F]")}
STATUS_WORDS = {
    "bn": "আমার আবেদনের অবস্থা জানতে চাই",
    "hi": "mera status batao",
    "en": "i want to check my status",
}
UAN_WORDS = {
    "bn": "এক শূন্য শূন্য শূন্য শূন্য শূন্য শূন্য শূন্য শূন্য শূন্য শূন্য এক",
    "hi": "एक शून्य शून्य शून्य शून्य शून्य शून्य शून्य शून्य शून्य शून्य एक",
    "en": "one zero zero zero zero zero zero zero zero zero zero one",
}
DOB_WORDS = {
    "bn": "১৪ মার্চ ১৯৮৮",
    "hi": "14 मार्च 1988",
    "en": "fourteen march nineteen eighty eight",
}


def _call(stack: RunningStack, caller: str) -> CallSimulator:
    return CallSimulator(
        base_url=stack.api_url, public_base_url=stack.api_url, auth_token=TOKEN, caller=caller
    )


def _unknown_caller(n: int) -> str:
    return f"+91981{n:07d}"


CLAIM_REF = re.compile(r"CLM-\d{4}-\d{6}")


def _spoken_claim_line(lang: str) -> re.Pattern[str]:
    """The catalog's spoken claim line with its type and state left open: on a call the
    reference (four seconds aloud) is left to the SMS."""
    parts = re.split(r"\{type\}|\{status\}", translate("status.claim_line_spoken", lang))
    return re.compile(".+?".join(re.escape(part) for part in parts))


def _heard(sim: CallSimulator) -> str:
    return "\n".join(sim.heard)


def _verify_by_keypad(sim: CallSimulator, stack: RunningStack | None = None) -> None:
    """UAN and date of birth; with `stack`, also the code texted to the registered phone (a
    claim needs it), keyed in as the worker reads it off the phone."""
    sim.press("100000000001#")  # keyed in full at the first try: not read back
    mark = stack.mark() if stack is not None else 0
    sim.press("14031988#")
    if stack is not None:
        sim.press(stack.texted_code(since=mark) + "#")


@pytest.mark.parametrize("lang", ["bn", "hi", "en"])
def test_keypad_only_status_check(running_stack: RunningStack, lang: str) -> None:
    sim = _call(running_stack, _unknown_caller(100 + len(lang) + ord(lang[0])))
    sim.start()
    sim.press(LANG_KEY[lang])
    sim.press("1")
    _verify_by_keypad(sim)
    heard = _heard(sim)
    # the newest claim first (other tests may have filed one), without its long reference
    assert _spoken_claim_line(lang).search(heard) and not CLAIM_REF.search(heard), heard
    assert SCRIPT.get(lang, re.compile("[A-Za-z]")).search(sim.heard[-1])
    sim.hang_up()


@pytest.mark.parametrize("lang", ["bn", "hi", "en"])
def test_speech_only_status_check(running_stack: RunningStack, lang: str) -> None:
    sim = _call(running_stack, _unknown_caller(200 + ord(lang[0])))
    sim.start()
    sim.say(LANG_WORD[lang])
    sim.say(STATUS_WORDS[lang])
    sim.say(UAN_WORDS[lang])
    sim.say(DOB_WORDS[lang])
    heard = _heard(sim)
    assert _spoken_claim_line(lang).search(heard) and not CLAIM_REF.search(heard), heard
    sim.hang_up()


@pytest.mark.parametrize("lang", ["bn", "hi", "en"])
def test_keypad_only_claim_then_sms_summary(running_stack: RunningStack, lang: str) -> None:
    caller = _unknown_caller(300 + ord(lang[0]))
    sim = _call(running_stack, caller)
    sim.start()
    sim.press(LANG_KEY[lang])
    sim.press("2")  # a claim: the second key of the first menu
    sim.press("1")  # for myself (2: for a worker who died, the family flow)
    _verify_by_keypad(sim, running_stack)
    sim.press("4")  # medical help
    sim.press(time.strftime("%d%m%Y") + "#")  # a valid date keyed at once: not read back
    sim.press("1")  # an officer will phone for the details
    sim.press("3307")  # last 4 digits of the bank account
    sim.press("1")
    for _ in range(3):  # confirm until filed
        if re.search(r"CLM-\d{4}-\d{6}", _heard(sim).replace("CLM-2026-000101", "")):
            break
        sim.press("1")
    references = set(re.findall(r"CLM-\d{4}-\d{6}", _heard(sim))) - {"CLM-2026-000101"}
    assert references, _heard(sim)
    sim.hang_up()
    summary = running_stack.sent_message(caller)
    assert any(ref in summary for ref in references), summary


@pytest.mark.parametrize("lang", ["bn", "hi", "en"])
def test_zero_reaches_an_officer(running_stack: RunningStack, lang: str) -> None:
    sim = _call(running_stack, _unknown_caller(400 + ord(lang[0])))
    sim.start()
    sim.press(LANG_KEY[lang])
    sim.press("0")
    assert sim.waiting_for("officer_wait"), sim.events  # told the wait, may choose a call-back
    sim.silence()
    assert sim.dialled == ["+919800099999"], sim.events
    assert re.search(r"HND-\d{4}-\d{6}", _heard(sim)), _heard(sim)


def test_known_caller_is_greeted_in_their_language(running_stack: RunningStack) -> None:
    sim = _call(running_stack, RAMESH.phone)  # Ramesh Kumar prefers Hindi
    sim.start()
    assert SCRIPT["hi"].search(sim.heard[0]), sim.heard
    assert not sim.waiting_for("language")


def test_unsigned_and_tampered_webhooks_are_refused(running_stack: RunningStack) -> None:
    url = f"{running_stack.api_url}/voice/incoming"
    params = {"CallSid": "CAforged", "From": RINA.phone, "To": "+15005550006"}
    assert httpx.post(url, data=params, timeout=10).status_code == 403
    good = RequestValidator(TOKEN).compute_signature(url, params)
    tampered = {**params, "From": ANWAR.phone}
    headers = {"X-Twilio-Signature": good}
    assert httpx.post(url, data=tampered, headers=headers, timeout=10).status_code == 403
    sms = f"{running_stack.api_url}/sms/incoming"
    assert httpx.post(sms, data={"From": RINA.phone, "Body": "hi"}).status_code == 403


def test_offline_speech_is_valid_phone_audio(running_stack: RunningStack, tmp_path) -> None:
    sim = _call(running_stack, _unknown_caller(500))
    sim.start()
    plays = [e.url for e in sim.events if e.kind == "play"]
    assert plays, "gTTS is unreachable here: the offline engine must still produce audio"
    path = urlsplit(plays[0]).path
    audio = httpx.get(f"{running_stack.api_url}{path}", timeout=10)
    assert audio.status_code == 200
    file = tmp_path / "prompt.wav"
    file.write_bytes(audio.content)
    info = subprocess.run(["soxi", str(file)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Sample Rate\s*:\s*8000", info), info
    assert re.search(r"Channels\s*:\s*1", info), info
    seconds = float(
        subprocess.run(["soxi", "-D", str(file)], capture_output=True, text=True).stdout
    )
    assert seconds > 0.5, "a real prompt takes time to say"


@pytest.mark.parametrize(
    ("sender", "greeting"),
    [("whatsapp:+919822000001", "নমস্কার"), ("+919822000002", "नमस्ते")],
)
def test_whatsapp_and_sms_status_claim_and_officer(
    running_stack: RunningStack, sender: str, greeting: str
) -> None:
    base = abs(hash(sender)) % 10**9
    turns = iter(range(base, base + 100))
    running_stack.sms(sender, greeting, next(turns))
    running_stack.sms(sender, "1", next(turns))
    running_stack.sms(sender, RINA.uan, next(turns))
    status = running_stack.sms(sender, RINA.dob_typed, next(turns))
    assert "CLM-2026-000101" in status and "<Message>" in status
    asked = running_stack.sms(sender, "3", next(turns))
    assert asks_for_code(unescape(asked), "bn" if "নম" in greeting else "hi"), asked
    running_stack.sms(sender, running_stack.texted_code(), next(turns))  # a claim needs it
    running_stack.sms(sender, "4", next(turns))
    running_stack.sms(sender, time.strftime("%d/%m/%Y"), next(turns))
    running_stack.sms(sender, "paer haddi toot gayi site par", next(turns))
    running_stack.sms(sender, "3307", next(turns))
    filed = running_stack.sms(sender, YES_WORD["en"], next(turns))
    assert re.search(r"CLM-\d{4}-\d{6}", filed.replace("CLM-2026-000101", "")), filed
    officer = running_stack.sms(sender, "9", next(turns))
    assert re.search(r"HND-\d{4}-\d{6}", officer), officer


def test_a_retried_message_is_handled_once(running_stack: RunningStack) -> None:
    sender = "+919822000009"
    first = running_stack.sms(sender, "hello", 777)
    again = running_stack.sms(sender, "hello", 777)
    assert first == again


SPEECH_CLAIM = {
    # a different demo worker per language, so no claim is a duplicate of another test's
    "bn": [
        "বাংলা",
        "আমি একটা ক্লেম করতে চাই",
        "এক শূন্য শূন্য শূন্য শূন্য শূন্য শূন্য শূন্য শূন্য শূন্য শূন্য তিন",
        "পনেরো জানুয়ারি উনিশশো ষাট",
        "চার",  # "say a number": 4 is medical help
        "আজ",
        "মাথা ঘুরে পড়ে গিয়ে হাত ভেঙেছে",
        "ছয় ছয় এক আট",
        "হ্যাঁ",
        "অফিসারের সঙ্গে কথা বলব",
    ],
    "hi": [
        "हिंदी",
        "mujhe ilaj ka claim karna hai",
        "एक शून्य शून्य शून्य शून्य शून्य शून्य शून्य शून्य शून्य शून्य दो",
        "1 जुलाई 1990",
        "आज",
        "ट्रक से उतरते समय पैर टूट गया",
        "शून्य नौ चार दो",
        "हाँ",
        "अधिकारी से बात करनी है",
    ],
    "en": [
        "English",
        "i want to file a medical claim",
        "one zero zero zero zero zero zero zero zero zero zero four",
        "twentieth november nineteen ninety five",
        "today",
        "i slipped while cleaning and broke my wrist",
        "two two seven five",
        "yes",
        "i want to talk to an officer",
    ],
}


@pytest.mark.parametrize("lang", ["bn", "hi", "en"])
def test_speech_only_claim_then_officer(running_stack: RunningStack, lang: str) -> None:
    sim = _call(running_stack, _unknown_caller(600 + ord(lang[0])))
    sim.start()
    for words in SPEECH_CLAIM[lang]:
        mark = running_stack.mark()
        heard = sim.say(words)
        if asks_for_code("\n".join(heard), lang):  # a claim needs the texted code: read out
            sim.say(spell_digits(running_stack.texted_code(since=mark), lang))
    if sim.waiting_for("officer_wait"):  # told the wait: staying on the line dials the officer
        sim.silence()
    heard = _heard(sim)
    assert re.search(r"CLM-\d{4}-\d{6}", heard.replace("CLM-2026-000101", "")), heard
    assert re.search(r"HND-\d{4}-\d{6}", heard), heard
    assert sim.dialled == ["+919800099999"], sim.events


def test_lost_uan_by_phone_offers_the_calling_number_and_texts_the_uan(
    running_stack: RunningStack,
) -> None:
    """The caller's number (Twilio's From) reaches the assistant as metadata, so the lost-UAN
    flow asks "is it the number you are calling from, ending in ..?" instead of making the
    caller type it; the UAN is texted to the registered phone and never said."""
    from locales import translate

    sim = _call(running_stack, RINA.phone)  # registered worker, greeted in Bengali
    sim.start()
    for key in "444":  # more, others, self-service
        sim.press(key)
    asked = _heard_now(sim.press("2"))  # lost UAN
    last2 = spell_digits(RINA.phone[-2:], "bn")
    assert translate("lost_uan.ask_own_phone_call", "bn", last2=last2) in asked, asked
    assert translate("voice.keypad_phone", "bn") not in asked  # not asked to type it
    assert sim.waiting_for("choice"), sim.events
    sim.press("1")  # yes: that is the registered phone
    assert sim.waiting_for("number"), sim.heard[-3:]
    mark = running_stack.mark()
    told = _heard_now(sim.press("14031988#"))
    assert translate("lost_uan.sent", "bn") in told, told
    body = running_stack.sent_message(RINA.phone, containing="UAN")  # to the registered phone
    assert RINA.uan in re.sub(r"\D", "", body) and running_stack.twilio.requests[mark:]
    spoken = re.sub(r"\s", "", _heard(sim))
    for form in (RINA.uan, spell_digits(RINA.uan, "bn")):
        assert re.sub(r"\s", "", form) not in spoken


def _heard_now(lines: list[str]) -> str:
    return "\n".join(lines)
