"""What a recogniser needs to know about an Ogg Opus file (a WhatsApp voice note): its
encoder's sample rate, read from the OpusHead packet (RFC 7845, section 5.1)."""

from __future__ import annotations

import struct

OPUS_RATES = (8000, 12000, 16000, 24000, 48000)


def is_ogg_opus(audio: bytes) -> bool:
    return audio[:4] == b"OggS" and b"OpusHead" in audio[:200]


def opus_input_rate(audio: bytes) -> int:
    """The input sample rate OpusHead records, if it is one Opus encodes at, else 48000 (the
    rate Opus always decodes to)."""
    at = audio.find(b"OpusHead", 0, 200)
    if at < 0 or len(audio) < at + 16:
        raise ValueError("not an Ogg Opus file")
    (rate,) = struct.unpack_from("<I", audio, at + 12)
    return rate if rate in OPUS_RATES else 48000
