"""After a crash, rows left 'sending' are settled effectively once (api/messaging/recovery.py):
Twilio is asked first, through the real twilio client, and only what it never got is resent.

The requests are captured at the HTTP boundary by the loopback Twilio stand-in, which lists back
what it accepted as Twilio's message and call lists do.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from api.db.models import OutboundCall, OutboundMessage, utcnow
from api.db.session import session_scope
from api.messaging import outbound, recovery
from api.settings import get_settings
from tests.stand_ins import TwilioStandIn
from tests.voice.conftest import outbound_rows
from tests.voice.test_outbound import WORKER, queue, twilio  # noqa: F401

CRASHED_AT = timedelta(minutes=10)


def _crashed_mid_send(row_id: int, model: type = OutboundMessage) -> None:
    """A sender claimed the row, then its process died before recording Twilio's answer."""
    with session_scope() as s:
        row = s.get(model, row_id)
        row.status, row.attempts = "sending", 1
        row.updated_at = utcnow() - CRASHED_AT


def _twilio_got_it_before_the_crash(stand_in: TwilioStandIn, body: str, sid: str) -> None:
    form = {"To": WORKER, "From": get_settings().twilio_from_number, "Body": body}
    stand_in.accept("/2010-04-01/Accounts/AC/Messages.json", form, sid)
    stand_in.accepted[-1]["date_created"] = _rfc2822(utcnow() - CRASHED_AT)


def _rfc2822(moment: datetime) -> str:
    from email.utils import format_datetime

    return format_datetime(moment)


def test_a_message_twilio_already_has_is_not_sent_again(twilio: TwilioStandIn) -> None:  # noqa: F811
    stuck = queue("Your claim CLM-2026-000123 is approved")
    _crashed_mid_send(stuck)
    _twilio_got_it_before_the_crash(
        twilio, "Your claim CLM-2026-000123 is approved", "SM" + "7" * 32
    )
    sender = outbound.Sender()
    assert sender.recover() == {"found_sent": 1, "requeued": 0, "not_asked": 0}
    assert sender.run_once() == 0
    assert twilio.requests == []  # no POST: nothing sent twice
    assert twilio.lists[0]["To"] == WORKER
    row = outbound_rows()[0]
    assert row["status"] == "sent" and row["provider_sid"] == "SM" + "7" * 32


def test_a_message_twilio_never_got_is_sent_once(twilio: TwilioStandIn) -> None:  # noqa: F811
    stuck = queue("Your pension request is received")
    _twilio_got_it_before_the_crash(twilio, "Another message altogether", "SM" + "8" * 32)
    _crashed_mid_send(stuck)
    sender = outbound.Sender()
    assert sender.recover() == {"found_sent": 0, "requeued": 1, "not_asked": 0}
    assert sender.run_once() == 1
    assert [r["form"]["Body"] for r in twilio.requests] == ["Your pension request is received"]


def test_an_older_identical_message_is_not_taken_for_this_one(twilio: TwilioStandIn) -> None:  # noqa: F811
    stuck = queue("Your code expires soon")
    _twilio_got_it_before_the_crash(twilio, "Your code expires soon", "SM" + "9" * 32)
    twilio.accepted[-1]["date_created"] = _rfc2822(utcnow() - timedelta(days=3))
    _crashed_mid_send(stuck)
    assert outbound.Sender().recover()["requeued"] == 1


def test_twilio_unreachable_leaves_the_row_for_the_next_pass(twilio: TwilioStandIn) -> None:  # noqa: F811
    twilio.list_fails = 1
    stuck = queue("Your renewal is filed")
    _crashed_mid_send(stuck)
    sender = outbound.Sender()
    assert sender.recover() == {"found_sent": 0, "requeued": 0, "not_asked": 1}
    assert sender.run_once() == 0 and twilio.requests == []  # never resent blind
    assert sender.recover() == {"found_sent": 0, "requeued": 1, "not_asked": 0}
    assert sender.run_once() == 1


def test_a_call_twilio_already_placed_is_not_placed_again(twilio: TwilioStandIn) -> None:  # noqa: F811
    with session_scope() as s:
        call = outbound.enqueue_call(s, to=WORKER, reason="test", dedupe_key="call:crash")
        call_id = call.id
    _crashed_mid_send(call_id, OutboundCall)
    form = {"To": WORKER, "From": get_settings().twilio_from_number}
    twilio.accept("/2010-04-01/Accounts/AC/Calls.json", form, "CA" + "5" * 32)
    sender = outbound.Sender()
    assert sender.recover()["found_sent"] == 1
    assert sender.run_once() == 0 and twilio.requests == []
    with session_scope() as s:
        assert s.get(OutboundCall, call_id).provider_sid == "CA" + "5" * 32


def test_failed_messages_are_listed_for_supervisors(twilio: TwilioStandIn) -> None:  # noqa: F811
    twilio.fail_first, twilio.fail_status = 1, 400  # Twilio refuses: a permanent failure
    queue("Your appointment is tomorrow")
    outbound.Sender().run_once()
    with session_scope() as s:
        listed = recovery.failed(s)
        count = recovery.failed_count(s, utcnow() - timedelta(days=1))
    assert listed["total"] == 1 == count
    item = listed["items"][0]
    assert item["to"] == "…" + WORKER[-4:] and WORKER not in str(listed)
    assert item["attempts"] == 1 and "twilio 400" in item["last_error"]
