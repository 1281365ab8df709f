""" "Erase what I said": asked after verification, confirmed with yes, done by the backend (the
worker's conversations go, claims stay); no keeps everything."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from actions.backend_client import BackendClient
from actions.routing.after_verify import ActionAfterVerify
from actions.routing.router import ActionRoute
from api.db.models import ErasureRecord
from api.db.session import session_scope
from locales import translate
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.factory import RINA


def test_asking_to_erase_needs_verification_first(domain) -> None:
    events, said = run(ActionRoute(), make_tracker("delete my chats", intent="erase_data"), domain)
    assert followup(events) == "verify_form" and slot_values(events)["flow"] == "erasure"
    assert said == [translate("verify.intro", "en")]


def _verified() -> dict:
    token = asyncio.run(BackendClient("erase-test").verify(RINA.uan, RINA.dob, "web")).token
    return {"verification_token": token, "verification_level": "basic", "language": "bn"}


def test_yes_erases_and_gives_a_reference_no_keeps_everything(backend, domain) -> None:
    slots = {**_verified(), "flow": "erasure"}
    events, said = run(ActionAfterVerify(), make_tracker("", slots=slots), domain)
    assert said == [translate("erasure.confirm", "bn")]
    assert slot_values(events)["expecting"] == "erasure"
    asked = {**slots, "flow": None, "expecting": "erasure"}
    events, said = run(ActionRoute(), make_tracker("না", intent="deny", slots=asked), domain)
    assert said[0] == translate("erasure.kept", "bn")
    with session_scope() as s:
        assert s.execute(select(ErasureRecord)).first() is None
    events, said = run(ActionRoute(), make_tracker("হ্যাঁ", intent="affirm", slots=asked), domain)
    with session_scope() as s:
        record = s.execute(select(ErasureRecord)).scalar_one()
    assert said[0] == translate("erasure.done", "bn", reference=record.reference)
    assert slot_values(events)["expecting"] is None
