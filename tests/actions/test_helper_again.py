"""The helper flow in the assistant against the real backend when a code is already out or the
session runs out: with OTP_REQUIRED on the consent still goes to the worker (not the plain code
/verify texted), and a helper whose session expired mid-conversation is checked again through a
fresh consent, so what follows still names the helper (docs/contracts.md, "A helper acts for a
worker")."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from actions.forms.verify import ValidateVerifyForm
from actions.routing.after_verify import ActionAfterVerify
from api.db.models import AuditLog, HelperConsent, OutboundMessage, VerificationSession, utcnow
from api.db.session import session_scope
from api.services.helper_consents import acting_for
from api.settings import get_settings
from locales import translate
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.factory import RAMESH
from tests.helper.conftest import code_in, consent_sms

FORM = "verify_form"
HELPER = {"helper_name": "Meena Kumari", "helper_relation": "neighbour"}


def ask(text: str, requested: str, slots: dict[str, Any]) -> Any:
    return make_tracker(text, form=FORM, slots={**slots, "requested_slot": requested})


def checked(domain: dict, slots: dict[str, Any]) -> dict[str, Any]:
    """The worker's date of birth, then the consent code the worker read out: the slots after."""
    form = ValidateVerifyForm()
    events, _ = run(form, ask(RAMESH.dob_typed, "date_of_birth", slots), domain)
    slots = {**slots, **slot_values(events)}
    assert slots["requested_slot"] == "otp_code" and slots["otp_state"] == "sent", slots
    row, sms = consent_sms()
    assert row.to_address == RAMESH.phone and "Meena Kumari" in sms
    events, _ = run(form, ask(code_in(sms), "otp_code", slots), domain)
    slots = {**slots, **slot_values(events), "worker_name": "Ramesh"}
    assert slots["verification_level"] == "strong", slots
    return slots


def consent_of(token: str) -> HelperConsent:
    consent_id = acting_for(token)
    assert consent_id is not None, "the session carries no helper"
    with session_scope() as s:
        consent = s.get(HelperConsent, consent_id)
        assert consent is not None
        s.expunge(consent)
    return consent


@pytest.fixture(params=["true"])
def otp_required(backend: Any, request: pytest.FixtureRequest) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OTP_REQUIRED", request.param)
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


def test_with_otp_required_the_helper_flow_asks_the_workers_consent(otp_required, domain) -> None:
    slots = {"flow": "helper", "language": "en", "uan": RAMESH.uan, **HELPER}
    done = checked(domain, slots)
    consent = consent_of(done["verification_token"])
    assert consent.granted_at is not None and consent.helper_name == "Meena Kumari"
    with session_scope() as s:  # the plain code /verify texted, then the consent that replaced it
        reasons = s.execute(select(OutboundMessage.reason).order_by(OutboundMessage.id)).all()
    assert [r for (r,) in reasons] == ["otp", "helper_consent"]
    _, said = run(ActionAfterVerify(), make_tracker("", slots=done), domain)
    assert said[0] == translate("helper.ready", "en", name="Ramesh")


@pytest.mark.parametrize("otp_required", ["false", "true"], indirect=True)
def test_a_helper_whose_session_expired_is_checked_again_with_a_fresh_consent(
    otp_required, domain
) -> None:
    slots = {"flow": "helper", "language": "en", "uan": RAMESH.uan, **HELPER}
    slots = checked(domain, slots)
    events, _ = run(ActionAfterVerify(), make_tracker("", slots=slots), domain)
    slots = {**slots, **slot_values(events)}
    first = consent_of(slots["verification_token"])
    with session_scope() as s:  # the session runs out while the helper is still talking
        s.execute(update(VerificationSession).values(expires_at=utcnow() - timedelta(minutes=1)))

    slots["flow"] = "status"
    events, said = run(ActionAfterVerify(), make_tracker("", slots=slots), domain)
    assert said == [translate("verify.expired", "en")] and followup(events) == FORM
    slots = {**slots, **slot_values(events)}
    tracker = make_tracker("", slots=slots, form=FORM)
    required = ValidateVerifyForm().required_slots(["uan", "date_of_birth"], None, tracker, {})  # type: ignore[arg-type]
    assert asyncio.run(required) == ["uan", "date_of_birth", "otp_code"]  # no name asked again

    slots = checked(domain, slots)
    again = consent_of(slots["verification_token"])
    assert again.id != first.id and again.granted_at is not None
    assert (again.helper_name, again.relation) == ("Meena Kumari", "neighbour")
    _, said = run(ActionAfterVerify(), make_tracker("", slots=slots), domain)
    assert said and said[0] != translate("verify.expired", "en")  # the status, for the helper
    with session_scope() as s:
        named = set(
            s.execute(select(AuditLog.action).where(AuditLog.helper_consent_id == again.id))
            .scalars()
            .all()
        )
    assert {"helper.consent", "status.read"} <= named
