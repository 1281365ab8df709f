"""Google Speech-to-Text v1, REST `speech:recognize` (synchronous: audio up to one minute).

One request per voice note: the number's language first (Bengali when unknown) and the other
two as `alternativeLanguageCodes`, so a worker may speak any of bn-IN, hi-IN, en-IN. The key goes
in the `X-Goog-Api-Key` header, never in the URL (URLs end up in logs).
"""

from __future__ import annotations

import base64
from typing import Any

from api.integrations.asr import LANGUAGE_TAGS, Recognition, Request
from api.integrations.asr.ogg import is_ogg_opus, opus_input_rate
from api.settings import get_settings


class Google:
    def build(self, audio: bytes, content_type: str, language: str | None) -> Request:
        if not is_ogg_opus(audio):
            raise ValueError(f"expected Ogg Opus, got {content_type}")
        first = LANGUAGE_TAGS.get(language or "", "bn-IN")
        others = [tag for tag in LANGUAGE_TAGS.values() if tag != first]
        settings = get_settings()
        config = {
            "encoding": "OGG_OPUS",
            "sampleRateHertz": opus_input_rate(audio),
            "languageCode": first,
            "alternativeLanguageCodes": others,
            "maxAlternatives": 1,
            "profanityFilter": False,
        }
        return Request(
            url=settings.google_speech_url,
            headers={"X-Goog-Api-Key": settings.google_speech_api_key},
            body={"config": config, "audio": {"content": base64.b64encode(audio).decode()}},
        )

    def read(self, answer: Any, language: str | None) -> Recognition:
        """`{"results": [{"alternatives": [{"transcript", "confidence"}], "languageCode"}]}`;
        no `results` at all means no words were heard."""
        results = answer.get("results") or []
        texts, confidences, tag = [], [], ""
        for result in results:
            best = (result.get("alternatives") or [{}])[0]
            if best.get("transcript", "").strip():
                texts.append(best["transcript"].strip())
                if isinstance(best.get("confidence"), int | float):
                    confidences.append(float(best["confidence"]))
            tag = tag or str(result.get("languageCode") or "")
        heard = tag.lower()[:2] if tag else None
        return Recognition(
            text=" ".join(texts),
            language=heard if heard in LANGUAGE_TAGS else language,
            confidence=min(confidences) if confidences else None,
        )


GOOGLE = Google()
