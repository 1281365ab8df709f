"""Every reference is trackable: any kind of request, typed loosely, only the worker's own; a
complaint before verification shows its status and nothing else. SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from api.db.models import AuditLog, Worker
from api.db.session import session_scope
from api.domain import casework as rules
from api.domain.errors import DomainError
from api.domain.references import ReferenceQuery, names_reference, normalise_reference
from api.services import callbacks, cases, decisions, feedback, nominee, tracking
from api.services.context import Ctx, local_today
from api.services.references import note_existing
from tests.api.conftest import SERVICE_HEADERS, verify
from tests.factory import RAMESH, RINA

CTX = Ctx(actor="rasa:web:track", channel="web")
RINA_CLAIM = "CLM-2026-000101"


def complaint(uan: str | None = RINA.uan, text: str = "the office never answered") -> str:
    with session_scope() as s:
        who = s.execute(select(Worker).where(Worker.uan == uan)).scalar_one() if uan else None
        result = feedback.submit(
            s, CTX, category="complaint", text=text, channel="web", language="en", worker=who
        )
        return str(result["reference"])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("CLM-2026-000101", ReferenceQuery(101, "CLM", 2026)),
        ("clm 2026 101", ReferenceQuery(101, "CLM", 2026)),
        ("what happened to CLM2026000101?", ReferenceQuery(101, "CLM", 2026)),
        ("What happened to 000101?", ReferenceQuery(101)),
        ("মেরা ক্লেম ০০০১০১ এর কী হল", ReferenceQuery(101)),
        ("fdb-२०२६-०००००७ ka kya hua", ReferenceQuery(7, "FDB", 2026)),
        ("zero zero zero one zero one", ReferenceQuery(101)),
        ("2026-000101", ReferenceQuery(101, None, 2026)),
    ],
)
def test_references_are_read_however_they_are_typed(typed: str, expected: ReferenceQuery) -> None:
    assert normalise_reference(typed) == expected


@pytest.mark.parametrize("typed", ["", "kuch nahi", "my uan is 100000000001", "000000", "x" * 400])
def test_text_without_a_reference_gives_none(typed: str) -> None:
    assert normalise_reference(typed) is None


def test_a_loose_reference_matches_only_what_it_names() -> None:
    bare = ReferenceQuery(101)
    assert bare.matches("CLM-2026-000101") and bare.matches("REN-2025-000101")
    assert not bare.matches("CLM-2026-001010")
    assert not ReferenceQuery(101, "REN").matches("CLM-2026-000101")
    assert ReferenceQuery(101, "CLM", 2026).canonical() == "CLM-2026-000101"


def test_a_claim_is_tracked_with_its_status_and_timeline(db) -> None:
    with session_scope() as s:
        rina = s.execute(select(Worker).where(Worker.uan == RINA.uan)).scalar_one()
        case = cases.find(s, RINA_CLAIM)
        view = tracking.track_for_worker(s, CTX, rina, "clm 2026 101")
        assert view["reference"] == RINA_CLAIM and view["kind"] == "claim"
        assert view["status"] == case.status and view["open"] is case.is_open
        assert view["timeline"][-1]["status"] == case.status
        assert "actor" not in view["timeline"][0] and "note" not in view["timeline"][0]
        assert view["details"]["claim_type"]
        reads = s.execute(select(AuditLog).where(AuditLog.action == "request.track")).scalars()
        assert [r.worker_id for r in reads] == [rina.id]


def test_every_kind_of_request_is_found_by_its_reference(db) -> None:
    filed = complaint()
    with session_scope() as s:
        rina = s.execute(select(Worker).where(Worker.uan == RINA.uan)).scalar_one()
        changed = nominee.update_nominee(s, CTX, rina, name="Mita Das", relation="sister")
        called = callbacks.request(
            s,
            CTX,
            conversation_id="rasa:web:track",
            channel="web",
            language="bn",
            phone=None,
            reason="asked",
            transcript=[],
            worker=rina,
        )
    with session_scope() as s:
        rina = s.execute(select(Worker).where(Worker.uan == RINA.uan)).scalar_one()
        seen = {
            ref: tracking.track_for_worker(s, CTX, rina, ref)
            for ref in (filed, changed["reference"], called["reference"])
        }
    assert seen[filed]["kind"] == "complaint" and seen[filed]["status"] == "received"
    assert seen[filed]["details"] == {"category": "complaint"}
    assert seen[changed["reference"]]["kind"] == "nominee"
    assert seen[changed["reference"]]["status"] == tracking.NOMINEE_STATUS
    assert seen[changed["reference"]]["details"]["relation"] == "sister"
    assert seen[called["reference"]]["kind"] == "callback"
    assert seen[called["reference"]]["status"] == "waiting"


def test_a_decision_shows_in_the_timeline(db) -> None:
    filed = complaint()
    with session_scope() as s:
        case = cases.find(s, filed)
        decision = rules.Decision(status="in_progress", version=case.version)
        decisions.apply(s, Ctx(actor="staff:officer1"), case, decision, rules.Role.OFFICER)
    with session_scope() as s:
        rina = s.execute(select(Worker).where(Worker.uan == RINA.uan)).scalar_one()
        view = tracking.track_for_worker(s, CTX, rina, filed)
    assert [step["status"] for step in view["timeline"]] == ["received", "in_progress"]
    assert view["status"] == "in_progress" and view["open"] is True


def test_someone_elses_reference_is_answered_like_an_unknown_one(db) -> None:
    answers = []
    for reference in (RINA_CLAIM, "CLM-2026-999999"):
        with session_scope() as s:
            ramesh = s.execute(select(Worker).where(Worker.uan == RAMESH.uan)).scalar_one()
            with pytest.raises(DomainError) as refused:
                tracking.track_for_worker(s, CTX, ramesh, reference)
            answers.append((refused.value.code, str(refused.value), refused.value.field))
    assert answers[0] == answers[1] and answers[0][0] == "not_found"


def test_a_bare_number_names_the_newest_and_lists_the_others(db) -> None:
    with session_scope() as s:  # the next complaint gets the claim's number, 101
        note_existing(s, f"FDB-{local_today().year}-000100")
    filed = complaint()
    assert filed.endswith("-000101")
    with session_scope() as s:
        rina = s.execute(select(Worker).where(Worker.uan == RINA.uan)).scalar_one()
        view = tracking.track_for_worker(s, CTX, rina, "000101")
        claim = tracking.track_for_worker(s, CTX, rina, "clm 101")
    assert view["reference"] == filed and view["also"] == [RINA_CLAIM]
    assert claim["reference"] == RINA_CLAIM and claim["also"] == []


def test_a_complaint_is_followed_before_verification_status_only(db) -> None:
    filed = complaint(uan=None)
    loose = filed.replace("-", " ").lower()
    with session_scope() as s:
        view = tracking.track_complaint(s, loose)
    assert view == {
        "reference": filed,
        "kind": "complaint",
        "status": "received",
        "open": True,
        "updated_at": view["updated_at"],
    }


@pytest.mark.parametrize("given", ["bare", "claim"])
def test_the_public_complaint_lookup_refuses_other_kinds_and_bare_numbers(db, given: str) -> None:
    filed = complaint()
    typed = filed.rsplit("-", 1)[1] if given == "bare" else RINA_CLAIM
    with session_scope() as s, pytest.raises(DomainError) as refused:
        tracking.track_complaint(s, typed)
    assert refused.value.code == "not_found"


def test_routes_track_own_requests_and_hide_others(client) -> None:
    rina = verify(client)
    mine = client.get("/api/v1/me/requests/clm%202026%20101", headers=rina)
    assert mine.status_code == 200, mine.text
    assert mine.json()["reference"] == RINA_CLAIM and mine.json()["timeline"]
    ramesh = verify(client, RAMESH.uan, RAMESH.dob)
    other = client.get(f"/api/v1/me/requests/{RINA_CLAIM}", headers=ramesh)
    unknown = client.get("/api/v1/me/requests/CLM-2026-999999", headers=ramesh)
    assert other.status_code == unknown.status_code == 404
    assert other.json() == unknown.json()
    garbage = client.get("/api/v1/me/requests/hello", headers=ramesh)
    assert garbage.status_code == 422
    anonymous = client.get(f"/api/v1/me/requests/{RINA_CLAIM}", headers=SERVICE_HEADERS)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "verification_required"


def test_route_complaint_status_without_verification(client) -> None:
    filed = complaint(uan=None)
    answer = client.get(f"/api/v1/complaints/{filed.lower()}", headers=SERVICE_HEADERS)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    assert set(body) == {"reference", "kind", "status", "open", "updated_at"}
    missing = client.get("/api/v1/complaints/FDB-2026-999999", headers=SERVICE_HEADERS)
    claim = client.get(f"/api/v1/complaints/{RINA_CLAIM}", headers=SERVICE_HEADERS)
    assert missing.status_code == claim.status_code == 404
    assert missing.json() == claim.json()
    assert client.get(f"/api/v1/complaints/{filed}").status_code == 401  # service token needed


@pytest.mark.parametrize(
    ("text", "named", "prefixed"),
    [
        ("CLM-2026-000123 ka kya hua", True, True),
        ("what happened to 000123", True, False),
        ("2026 000123", True, False),
        ("my claim from 2024", False, False),
        ("UAN 100000000001", False, False),
        ("5 din ho gaye", False, False),
    ],
)
def test_a_reference_is_told_from_any_number(text: str, named: bool, prefixed: bool) -> None:
    assert names_reference(text) is named
    assert names_reference(text, prefixed=True) is prefixed


def test_a_hand_over_and_an_erasure_are_found_by_their_references(db) -> None:
    from api.services import erasure, handoff

    with session_scope() as s:
        rina = s.execute(select(Worker).where(Worker.uan == RINA.uan)).scalar_one()
        ticket = handoff.create(
            s,
            CTX,
            conversation_id="rasa:web:track",
            channel="web",
            language="bn",
            reason="asked",
            transcript=[],
            worker=rina,
        )
        erased = erasure.erase_worker(s, CTX, rina)
    with session_scope() as s:
        rina = s.execute(select(Worker).where(Worker.uan == RINA.uan)).scalar_one()
        talk = tracking.track_for_worker(s, CTX, rina, ticket["reference"].lower())
        gone = tracking.track_for_worker(s, CTX, rina, erased["reference"])
    assert (talk["kind"], talk["status"], talk["open"]) == ("handoff", "open", True)
    assert (gone["kind"], gone["status"], gone["open"]) == ("erasure", "recorded", False)
