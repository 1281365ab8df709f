"""Seconds of audio a caller hears: measured from the rendered files, else estimated from text."""

from __future__ import annotations

import io
import subprocess
import tempfile
import wave

WORDS_PER_SECOND = 2.5  # unhurried telephone speech, for <Say> text when there is no audio


def estimate_speech_seconds(text: str) -> float:
    """Seconds to speak `text` at WORDS_PER_SECOND (long numbers are read digit by digit)."""
    words = 0
    for token in text.split():
        digits = sum(ch.isdigit() for ch in token)
        words += digits if digits >= 4 else 1
    return round(words / WORDS_PER_SECOND, 2)


def audio_seconds(data: bytes, suffix: str = ".wav") -> float | None:
    """Duration of an audio file's bytes: `wave` for WAV, `soxi -D` for anything else."""
    try:
        with wave.open(io.BytesIO(data), "rb") as w:
            return w.getnframes() / float(w.getframerate())
    except (wave.Error, EOFError):
        pass
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            out = subprocess.run(
                ["soxi", "-D", tmp.name], capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
    try:
        return float(out.stdout.strip())
    except ValueError:
        return None
