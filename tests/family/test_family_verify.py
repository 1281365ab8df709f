"""The family check: UAN + date of birth + the nominee's name, a code to the CALLER's phone, and
a session that files family claims and reads nothing else of the worker."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import SERVICE_HEADERS, verify
from tests.factory import RINA
from tests.family.conftest import (
    CALLER,
    WORKER_PHONE,
    family_verify,
    make_deceased,
    sent_to,
    strong_family,
)


def test_the_nominee_named_in_another_script_opens_a_family_session_coded_to_the_caller(
    client: TestClient,
) -> None:
    who = make_deceased(nominee="Rokeya Bibi", pension=("pm_sym", 3000))
    r = family_verify(client, who, name="  রোকেয়া বিবি ")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["scope"] == "family" and body["level"] == "basic"
    assert body["phone_last2"] == CALLER[-2:]
    assert body["claim_types"] == ["death_funeral", "accident_death", "family_pension"]
    assert "first_name" not in body and "preferred_language" not in body
    assert sent_to("otp") == [CALLER]  # never the dead worker's phone
    assert WORKER_PHONE not in sent_to("otp")


def test_spelling_variants_and_titles_match(client: TestClient) -> None:
    who = make_deceased(nominee="Savitri Devi")
    for said in ("SABITRI DEBI", "Smt. Savitri Devi", "सावित्री देवी"):
        assert family_verify(client, who, name=said).status_code == 200, said


def test_a_wrong_name_date_or_uan_is_the_same_answer_and_counts_toward_the_lock(
    client: TestClient,
) -> None:
    who = make_deceased(nominee="Rokeya Bibi")
    wrong_name = family_verify(client, who, name="Rina Das")
    wrong_date = family_verify(client, who, date_of_birth="1958-03-03")
    assert wrong_name.status_code == wrong_date.status_code == 401
    a, b = wrong_name.json()["error"], wrong_date.json()["error"]
    assert a["code"] == b["code"] == "not_verified"
    assert a["message"] == b["message"] and set(a) == set(b)
    assert (a["attempts_left"], b["attempts_left"]) == (2, 1)
    locked = family_verify(client, who, name="Someone Else")
    assert locked.status_code == 423 and locked.json()["error"]["code"] == "locked_out"
    # the lock is the worker's UAN's: the right name is refused too until it ends
    assert family_verify(client, who).status_code == 423
    assert sent_to("otp") == []


def test_unknown_uan_and_worker_without_nominee_answer_alike(client: TestClient) -> None:
    no_nominee = make_deceased(nominee=None)
    r = family_verify(client, no_nominee, name="Anyone")
    assert r.status_code == 401 and r.json()["error"]["code"] == "not_verified"
    unknown = client.post(
        "/api/v1/family/verify",
        json={
            "uan": "999999999999",
            "date_of_birth": "1958-03-02",
            "nominee_name": "Anyone",
            "phone": CALLER,
        },
        headers={**SERVICE_HEADERS, "X-Conversation-ID": "rasa:other"},
    )
    assert unknown.status_code == 401
    assert set(unknown.json()["error"]) == set(r.json()["error"])


def test_web_chat_needs_a_phone_the_line_can_text(client: TestClient) -> None:
    who = make_deceased()
    r = family_verify(client, who, phone="12")
    assert r.status_code == 422 and r.json()["error"]["field"] == "phone"


def test_on_whatsapp_the_code_goes_to_the_conversation_number_not_a_typed_one(
    client: TestClient,
) -> None:
    who = make_deceased()
    own = "+919812300077"
    r = family_verify(
        client,
        who,
        phone="+919812300099",
        channel="whatsapp",
        headers={"X-Conversation-ID": f"rasa:whatsapp:{own}"},
    )
    assert r.status_code == 200, r.text
    assert sent_to("otp") == [own]


def test_a_family_session_reads_nothing_of_the_worker(client: TestClient) -> None:
    who = make_deceased(pension=("pm_sym", 3000))
    headers = strong_family(client, who)
    for path in ("/api/v1/me/status", "/api/v1/me/pension", "/api/v1/me/requests/000001"):
        r = client.get(path, headers=headers)
        assert r.status_code == 403, (path, r.text)
        assert r.json()["error"]["code"] == "forbidden"
    r = client.post(
        "/api/v1/me/claims",
        json={
            "claim_type": "medical",
            "incident_date": "2026-11-01",
            "description": "x",
            "bank_account_last4": "1111",
        },
        headers=headers,
    )
    assert r.status_code == 403


def test_a_workers_session_cannot_file_family_claims(client: TestClient) -> None:
    headers = verify(client, RINA.uan, RINA.dob, strong=True)
    r = client.post(
        "/api/v1/family/claims",
        json={
            "claim_type": "death_funeral",
            "incident_date": "2026-11-01",
            "description": "x",
            "bank_account_last4": "1111",
        },
        headers=headers,
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
