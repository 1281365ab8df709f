"""Tracking a request by its reference and a lost UAN, run against the real backend app."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select

from actions.backend_client import BackendClient
from actions.forms.selfservice import ValidateLostUanForm, ValidateTrackForm
from actions.nlg import render_nlg_request
from actions.routing.after_verify import ActionAfterVerify
from actions.routing.router import ActionRoute
from actions.selfservice import ActionRecoverUan, ActionTrackRequest
from api.db.models import OutboundMessage
from api.db.session import session_scope
from locales import spell_digits, translate
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.actions.test_flows import token_for
from tests.factory import RAMESH, RINA

RINA_CLAIM = "CLM-2026-000101"

SMS_SENDER = "sms:ghx5pwy2kq7zrm3tb4nd6vaa"  # the gateway names texts by a pseudonym


def test_a_reference_in_the_request_itself_is_taken_at_once(backend, domain) -> None:
    tracker = make_tracker("CLM-2026-000101 ka kya hua", intent="check_status")
    events, said = run(ActionRoute(), tracker, domain)
    values = slot_values(events)
    assert values["flow"] == "track" and values["track_reference"] == RINA_CLAIM
    assert followup(events) == "track_form"
    assert said == [translate("track.intro", "en")]


@pytest.mark.parametrize(
    ("text", "intent", "flow"),
    [
        ("What happened to 000123?", "check_status", "track"),
        ("clm 2026 123", "inform", "track"),
        ("what is my status", "check_status", "status"),
        ("my claim from 2024, what happened", "check_status", "status"),
        ("my uan is 100000000001", "check_status", "status"),
        ("I want to complain about CLM-2026-000101", "give_feedback", "feedback"),
    ],
)
def test_only_a_named_reference_starts_tracking(backend, domain, text, intent, flow) -> None:
    events, _ = run(ActionRoute(), make_tracker(text, intent=intent), domain)
    assert slot_values(events)["flow"] == flow


def test_the_keypad_track_key_starts_tracking_whatever_the_words(backend, domain) -> None:
    tracker = make_tracker(
        translate("voice.intent.track", "bn"),
        intent="greet",
        metadata={"channel": "voice", "menu_choice": "track"},
        slots={"language": "bn"},
    )
    events, _ = run(ActionRoute(), tracker, domain)
    assert slot_values(events)["flow"] == "track" and followup(events) == "track_form"


def test_a_bare_number_in_bengali_digits_is_taken_by_the_form(backend, domain) -> None:
    slots = {"requested_slot": "track_reference", "language": "bn"}
    tracker = make_tracker("০০০১০১", form="track_form", slots=slots)
    values = slot_values(run(ValidateTrackForm(), tracker, domain)[0])
    assert values["track_reference"] == "000101"


def test_no_reference_is_a_failed_answer(backend, domain) -> None:
    slots = {"requested_slot": "track_reference"}
    tracker = make_tracker("I don't have it", form="track_form", slots=slots)
    events, said = run(ValidateTrackForm(), tracker, domain)
    assert slot_values(events)["failed_attempts"] == 1
    assert said == [translate("track.not_understood", "en")]


def test_a_claim_reference_needs_verification_first(backend, domain) -> None:
    tracker = make_tracker("", slots={"flow": "track", "track_reference": RINA_CLAIM})
    events, said = run(ActionTrackRequest(), tracker, domain)
    assert followup(events) == "verify_form"
    assert said == [translate("verify.intro", "en")]
    after = make_tracker("", slots={"flow": "track", "verification_token": "t"})
    assert followup(run(ActionAfterVerify(), after, domain)[0]) == "action_track_request"


def test_after_verification_the_status_and_timeline_are_said(backend, domain) -> None:
    slots = {
        "language": "hi",
        "flow": "track",
        "track_reference": "000101",
        "verification_token": token_for(RINA.uan, RINA.dob),
    }
    events, said = run(ActionTrackRequest(), make_tracker("", slots=slots), domain)
    assert said[0].startswith(translate("track.kind.claim", "hi") + " " + RINA_CLAIM)
    assert said[-1] == translate("common.anything_else", "hi")
    assert slot_values(events)["flow"] is None and slot_values(events)["awaiting_menu"] is True


def test_another_workers_reference_is_not_found(backend, domain) -> None:
    slots = {
        "flow": "track",
        "track_reference": RINA_CLAIM,
        "verification_token": token_for(RAMESH.uan, RAMESH.dob),
    }
    _, said = run(ActionTrackRequest(), make_tracker("", slots=slots), domain)
    assert said[0] == translate("track.not_found", "en", reference=RINA_CLAIM)


def test_a_complaint_is_answered_before_verification(backend, domain) -> None:
    filed = asyncio.run(
        BackendClient("web:x").feedback(
            category="complaint", text="nobody came", channel="web", language="en", key="k1"
        )
    ).reference
    slots = {"flow": "track", "track_reference": filed.lower(), "language": "bn-Latn"}
    events, said = run(ActionTrackRequest(), make_tracker("", slots=slots), domain)
    assert followup(events) is None
    assert filed in said[0] and translate("track.status.received", "bn-Latn") in said[0]


def test_lost_uan_offers_the_number_an_sms_comes_from(backend, domain) -> None:
    """The conversation id holds a pseudonym; the gateway passes the number as `caller_phone`."""
    meta = {"channel": "sms", "caller_phone": RINA.phone}
    tracker = make_tracker("I lost my UAN", intent="lost_uan", sender=SMS_SENDER, metadata=meta)
    events, said = run(ActionRoute(), tracker, domain)
    assert slot_values(events)["lost_uan_own"] == RINA.phone
    assert followup(events) == "lost_uan_form"
    assert said == [translate("lost_uan.intro", "en")]
    slots = {"requested_slot": "lost_uan_phone", "lost_uan_own": RINA.phone}
    yes = make_tracker("yes", intent="affirm", form="lost_uan_form", slots=slots)
    assert slot_values(run(ValidateLostUanForm(), yes, domain)[0])["lost_uan_phone"] == RINA.phone
    no = make_tracker("no", intent="deny", form="lost_uan_form", slots=slots)
    values = slot_values(run(ValidateLostUanForm(), no, domain)[0])
    assert values["lost_uan_own"] is None and values["lost_uan_phone"] is None
    typed = make_tracker("৯৮০০০ ০০০০২", form="lost_uan_form", slots=slots)
    assert slot_values(run(ValidateLostUanForm(), typed, domain)[0])["lost_uan_phone"] == (
        RAMESH.phone
    )


def test_lost_uan_on_a_call_offers_the_number_it_comes_from(backend, domain) -> None:
    """The phone line passes Twilio's From as metadata `caller_phone`: offered as the number to
    check, in "calling from" words, never taken without the caller's yes."""
    meta = {"channel": "voice", "menu_choice": "lost_uan", "caller_phone": RINA.phone}
    tracker = make_tracker("i lost my uan number", sender="voice:CA1", metadata=meta)
    events, _said = run(ActionRoute(), tracker, domain)
    assert slot_values(events)["lost_uan_own"] == RINA.phone
    assert slot_values(events).get("lost_uan_phone") is None  # still asked, never assumed
    slots = {"language": "hi", "lost_uan_own": RINA.phone}
    response = "utter_ask_lost_uan_form_lost_uan_phone"

    def asked(sender: str) -> dict[str, Any]:
        body = {"response": response, "tracker": {"sender_id": sender, "slots": slots}}
        return render_nlg_request(body)

    last2 = spell_digits(RINA.phone[-2:], "hi")
    on_call = asked("voice:CA1")
    assert on_call["text"] == translate("lost_uan.ask_own_phone_call", "hi", last2=last2)
    assert on_call["custom"]["expect"]["kind"] == "yes_no"
    by_sms = asked(SMS_SENDER)
    assert by_sms["text"] == translate("lost_uan.ask_own_phone", "hi", last2=last2)


def test_the_number_comes_only_from_the_gateways_metadata(backend, domain) -> None:
    tracker = make_tracker("I lost my UAN", intent="lost_uan", sender="sms:+919800000001")
    events, _said = run(ActionRoute(), tracker, domain)
    assert slot_values(events)["lost_uan_own"] is None  # only the gateway's metadata counts


def test_a_caller_phone_in_another_channels_metadata_is_ignored(backend, domain) -> None:
    meta = {"channel": "web", "caller_phone": RINA.phone}
    tracker = make_tracker("I lost my UAN", intent="lost_uan", sender="web:abc", metadata=meta)
    events, _said = run(ActionRoute(), tracker, domain)
    assert slot_values(events)["lost_uan_own"] is None


def test_lost_uan_is_texted_and_the_answer_never_says_it(backend, domain) -> None:
    slots = {"lost_uan_phone": RINA.phone, "lost_uan_dob": RINA.dob, "language": "bn"}
    _events, said = run(ActionRecoverUan(), make_tracker("", slots=slots), domain)
    assert said == [translate("lost_uan.sent", "bn"), translate("common.anything_else", "bn")]
    assert all(RINA.uan not in line for line in said)
    wrong = {**slots, "lost_uan_dob": RAMESH.dob, "submission_seq": 2}
    assert run(ActionRecoverUan(), make_tracker("", slots=wrong), domain)[1] == said
    with session_scope() as s:
        sent = s.execute(
            select(OutboundMessage.to_address).where(OutboundMessage.reason == "uan_recovery")
        ).all()
    assert [row[0] for row in sent] == [RINA.phone]


def test_lost_uan_locked_out_says_when_to_come_back(backend, domain) -> None:
    slots = {"lost_uan_phone": RINA.phone, "lost_uan_dob": RAMESH.dob}
    for n in range(4):
        tracker = make_tracker("", slots={**slots, "submission_seq": n})
        said = run(ActionRecoverUan(), tracker, domain)[1]
    assert said[0] == translate("lost_uan.locked", "en", hours="24")


def test_an_anonymous_complaint_is_found_after_verification_too(backend, domain) -> None:
    filed = asyncio.run(
        BackendClient("web:y").feedback(
            category="bribery", text="asked for money", channel="web", language="en", key="k2"
        )
    ).reference
    slots = {
        "flow": "track",
        "track_reference": filed,
        "verification_token": token_for(RINA.uan, RINA.dob),
    }
    _, said = run(ActionTrackRequest(), make_tracker("", slots=slots), domain)
    assert said[0].startswith(translate("track.kind.complaint", "en") + " " + filed)


@pytest.mark.parametrize("lang", ["bn", "hi", "en", "bn-Latn", "hi-Latn"])
def test_every_kind_and_status_a_lookup_can_answer_has_words(lang: str) -> None:
    from actions.selfservice import tracked_lines
    from api.domain.casework import ALL_STATUSES, KINDS

    kinds = [*KINDS, "nominee", "erasure", "handoff"]
    statuses = [*ALL_STATUSES, "recorded", "open", "assigned"]
    for kind, status in zip(kinds * len(statuses), statuses * len(kinds), strict=True):
        step = {"at": "2026-11-30T10:00:00", "status": status}
        view = {"kind": kind, "reference": "X", "status": status, "timeline": [step]}
        assert all(tracked_lines(view, lang))
