"""Bhashini (ULCA) speech recognition through its inference pipeline: one `asr` task.

The pipeline's configuration call (userID + ULCA API key) gives the inference endpoint, its key
and a serviceId per language; they are settings here (BHASHINI_PIPELINE_URL, BHASHINI_API_KEY,
BHASHINI_ASR_SERVICE_IDS), so a voice note costs one request. Bhashini recognises one language
per request: the number's remembered language, else Bengali.
"""

from __future__ import annotations

import base64
from typing import Any

from api.integrations.asr import Recognition, Request
from api.integrations.asr.ogg import is_ogg_opus, opus_input_rate
from api.settings import get_settings

DEFAULT_LANGUAGE = "bn"


class Bhashini:
    def build(self, audio: bytes, content_type: str, language: str | None) -> Request:
        if not is_ogg_opus(audio):
            raise ValueError(f"expected Ogg Opus, got {content_type}")
        settings = get_settings()
        lang = language if language in settings.bhashini_asr_service_ids else DEFAULT_LANGUAGE
        service = settings.bhashini_asr_service_ids.get(lang)
        if not service:
            raise ValueError(f"no Bhashini ASR service for {lang}")
        task = {
            "taskType": "asr",
            "config": {
                "language": {"sourceLanguage": lang},
                "serviceId": service,
                "audioFormat": "ogg",
                "samplingRate": opus_input_rate(audio),
            },
        }
        return Request(
            url=settings.bhashini_pipeline_url,
            headers={"Authorization": settings.bhashini_api_key},
            body={
                "pipelineTasks": [task],
                "inputData": {"audio": [{"audioContent": base64.b64encode(audio).decode()}]},
            },
        )

    def read(self, answer: Any, language: str | None) -> Recognition:
        """`{"pipelineResponse": [{"taskType": "asr", "output": [{"source": text}]}]}`."""
        for task in answer["pipelineResponse"]:
            if task.get("taskType") == "asr":
                texts = [str(o.get("source") or "").strip() for o in task.get("output") or []]
                lang = language if language in get_settings().bhashini_asr_service_ids else None
                return Recognition(
                    text=" ".join(t for t in texts if t), language=lang or DEFAULT_LANGUAGE
                )
        raise KeyError("no asr task in the answer")


BHASHINI = Bhashini()
