"""Audio length of what a caller hears, and the scripted phone calls."""

import io
import wave

from bench.audio import audio_seconds, estimate_speech_seconds
from bench.scenarios import load, parse


def _wav(seconds: float, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\0\0" * int(seconds * rate))
    return buffer.getvalue()


def test_audio_seconds_of_a_wav_file() -> None:
    assert audio_seconds(_wav(1.5)) == 1.5
    assert audio_seconds(_wav(0.25, rate=16000)) == 0.25


def test_unreadable_audio_is_none_not_a_guess() -> None:
    assert audio_seconds(b"not audio at all", ".mp3") is None


def test_speech_estimate_reads_long_numbers_digit_by_digit() -> None:
    assert estimate_speech_seconds("press one") == 0.8
    assert estimate_speech_seconds("UAN 100000000001") == round(13 / 2.5, 2)


def test_every_task_and_language_has_a_keypad_and_a_speech_call() -> None:
    calls = load().voice_calls
    heard_out = [c for c in calls if not any("after" in step for step in c.steps)]
    assert sorted((c.task, c.language, c.mode) for c in heard_out) == sorted(
        (task, lang, mode)
        for task in ("status", "renewal")
        for lang in ("bn", "hi", "en")
        for mode in ("keypad", "speech")
    )
    # every caller hears every prompt out: the open question ends its reply, so a speech caller
    # answers it without speaking over anything, and a keypad caller waits for the menu
    assert heard_out == list(calls)
    for call in calls:
        first_menu_key = 1 if call.from_number == "new" else 0  # after the language menu
        waits = call.steps[first_menu_key] == {"silence": "menu"}
        assert waits == (call.mode == "keypad"), call.name


def test_a_caller_who_barges_in_hears_nothing_after_the_invitation() -> None:
    from types import SimpleNamespace

    from bench.efficiency import spoken_over
    from locales import translate

    invite = translate("voice.say_or_press", "hi")
    said = ["greeting", invite, "menu", "keys"]
    sim = SimpleNamespace(events=[SimpleNamespace(kind="say", text=t) for t in said])
    assert spoken_over(sim, 0, "voice.say_or_press", "hi") == {2, 3}
    assert spoken_over(sim, 2, "voice.say_or_press", "hi") == set()  # not in this reply
    assert spoken_over(sim, 0, None, "hi") == set()


def test_a_call_step_is_digits_or_speech_not_both() -> None:
    import pytest

    base = {"scenarios": [{"name": "a", "turns": [{"text": "x"}]}]}
    bad = {**base, "voice_calls": [{"name": "c", "steps": [{"digits": "1", "speech": "one"}]}]}
    with pytest.raises(ValueError):
        parse(bad)
    good = {**base, "voice_calls": [{"name": "c", "steps": [{"digits": 1}]}]}
    assert parse(good).voice_calls[0].steps == ({"digits": "1"},)
    with pytest.raises(ValueError):  # `after` alone answers nothing
        parse({**base, "voice_calls": [{"name": "c", "steps": [{"after": "voice.welcome"}]}]})
    over = {**base, "voice_calls": [{"name": "c", "steps": [{"speech": "x", "after": "a.b"}]}]}
    assert parse(over).voice_calls[0].steps == ({"speech": "x", "after": "a.b"},)
