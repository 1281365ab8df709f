"""The status, newest open request first; on the phone only that, with the rest on request."""

from __future__ import annotations

from actions.routing.after_verify import ActionAfterVerify
from actions.routing.router import ActionRoute
from locales import translate
from tests.actions.conftest import make_tracker, run, slot_values
from tests.actions.test_flows import token_for
from tests.factory import RAMESH, RINA

ENROLLED = "৩১ মার্চ, ২০২৭"  # Rina's welfare board membership, not a request


def status_slots(**more: object) -> dict[str, object]:
    return {
        "language": "bn",
        "flow": "status",
        "verification_token": token_for(RINA.uan, RINA.dob),
        "worker_name": "রিনা",
        **more,
    }


def test_in_writing_the_whole_status_with_the_open_claim_first(backend, domain) -> None:
    _, said = run(ActionAfterVerify(), make_tracker("", slots=status_slots()), domain)
    lines = said[0].splitlines()
    assert "CLM-2026-000101" in lines[1] and any(ENROLLED in line for line in lines[2:])
    assert said[-1] == translate("common.anything_else", "bn")


def test_on_the_phone_the_newest_open_request_then_an_offer_of_the_rest(backend, domain) -> None:
    tracker = make_tracker("", slots=status_slots(), metadata={"channel": "voice"})
    events, said = run(ActionAfterVerify(), tracker, domain)
    claim_line = translate("status.claim_line_spoken", "bn").split("(")[0]
    assert claim_line in said[0] and "CLM-2026-000101" not in said[0] and ENROLLED not in said[0]
    assert said[1] == translate("status.more_offer", "bn")
    assert slot_values(events)["expecting"] == "status_more"


def test_yes_gives_the_rest_then_the_menu_no_gives_the_menu(backend, domain) -> None:
    token = token_for(RINA.uan, RINA.dob)
    base = {"language": "bn", "verification_token": token, "expecting": "status_more"}
    yes = make_tracker("হ্যাঁ", intent="affirm", slots=base, metadata={"channel": "voice"})
    events, said = run(ActionRoute(), yes, domain)
    assert ENROLLED in said[0] and "CLM-2026-000101" not in said[0]
    assert said[-1] == translate("common.anything_else", "bn")
    assert slot_values(events)["expecting"] is None
    no = make_tracker("না", intent="deny", slots=base, metadata={"channel": "voice"})
    _, said = run(ActionRoute(), no, domain)
    assert said == [translate("common.anything_else", "bn")]


def test_on_the_phone_with_nothing_open_everything_is_said_at_once(backend, domain) -> None:
    token = token_for(RAMESH.uan, RAMESH.dob)
    slots = {"language": "hi", "flow": "status", "verification_token": token}
    tracker = make_tracker("", slots=slots, metadata={"channel": "voice"})
    events, said = run(ActionAfterVerify(), tracker, domain)
    assert said[-1] == translate("common.anything_else", "hi")
    assert translate("status.more_offer", "hi") not in said
    assert slot_values(events).get("expecting") is None
