"""POST /api/v1/kb/search: one fact naming its scheme and source, or no answer with the reason."""

from __future__ import annotations

import importlib

from tests.api.conftest import SERVICE_HEADERS as H

URL = "/api/v1/kb/search"


def _ask(client, question: str, language: str):
    r = client.post(URL, json={"question": question, "language": language}, headers=H)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_specific_fact_names_its_scheme_and_source(client) -> None:
    body = _ask(client, "ট্রাক চালক হাসপাতালে ভর্তি থাকলে দিনে কত টাকা পাবে?", "bn")
    assert body["method"] in ("embedding", "keyword") and body["reason"] is None
    best = body["answers"][0]
    assert best["id"] == "wbt_hospital" and "৪০০" in best["text"]
    assert best["scheme"] == "wbtwsss"
    assert best["scheme_name"] == "পশ্চিমবঙ্গ পরিবহণ শ্রমিক সামাজিক সুরক্ষা প্রকল্প"
    assert best["source"] and best["personal"] is False and best["follow_up"] is None
    assert body["threshold"] <= best["confidence"] <= 1


def test_follow_up_and_personal_reach_the_caller(client) -> None:
    best = _ask(client, "when will my claim money come", "en")["answers"][0]
    assert best["id"] == "claim_when_paid" and best["personal"] is True
    assert best["follow_up"] == {"step": "payment", "values": None}
    docs = _ask(client, "মাতৃত্বকালীন সুবিধার জন্য অফিসে কী কী কাগজ লাগবে?", "bn")["answers"][0]
    assert docs["follow_up"] == {"step": "claim", "values": {"claim_type": "maternity"}}


def test_a_question_it_cannot_answer_gets_no_answer_and_why(client) -> None:
    body = _ask(client, "Who won the football match yesterday?", "en")
    assert body["answers"] == [] and body["reason"] in ("below_threshold", "not_covered")
    assert isinstance(body["threshold"], float)
    assert _ask(client, "আমার রেশন কার্ড কবে পাব?", "bn")["reason"] == "not_covered"


def test_the_schema_documents_the_new_fields(client) -> None:
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert {"scheme", "scheme_name", "source", "follow_up", "personal", "confidence"} <= set(
        schemas["KbAnswer"]["properties"]
    )
    assert {"reason", "threshold"} <= set(schemas["KbOut"]["properties"])


def test_a_failing_search_is_503(client, monkeypatch) -> None:
    route = importlib.import_module("api.web.routes.kb")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("index gone")

    monkeypatch.setattr(route.knowledge, "search", broken)
    r = client.post(URL, json={"question": "pension", "language": "en"}, headers=H)
    assert r.status_code == 503 and r.json()["error"]["code"] == "kb_unavailable"
