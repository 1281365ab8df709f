"""An unknown UAN and a wrong date of birth answer alike; lock-outs per UAN and per caller hold,
even against 20 parallel tries on real database connections."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from sqlalchemy import func, select

from api.db.models import VerificationAttempt
from api.db.session import session_scope
from api.domain.errors import DomainError
from api.services import verification
from api.services.context import Ctx
from tests.factory import RINA
from tests.security.helpers import RINA_BODY, verify

KNOWN_WRONG_DATE = {**RINA_BODY, "date_of_birth": RINA.wrong_dob}
UNKNOWN_UAN = {**RINA_BODY, "uan": "199999999999"}


def _failures() -> int:
    with session_scope() as s:
        return s.execute(
            select(func.count())
            .select_from(VerificationAttempt)
            .where(VerificationAttempt.success.is_(False))
        ).scalar_one()


def test_unknown_uan_and_wrong_date_answer_alike(client) -> None:
    wrong = verify(client, KNOWN_WRONG_DATE, actor="rasa:web:a")
    unknown = verify(client, UNKNOWN_UAN, actor="rasa:web:b")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "not_verified"
    assert wrong.json()["error"]["attempts_left"] == 2
    assert _failures() == 2, "both tries leave the same trace"


def test_an_unknown_uan_locks_like_a_known_one(client) -> None:
    for body in (KNOWN_WRONG_DATE, UNKNOWN_UAN):
        answers = [verify(client, body, actor=f"rasa:web:{n}") for n in range(4)]
        assert [a.status_code for a in answers] == [401, 401, 423, 423], body
        locked = answers[-1].json()["error"]
        assert locked["code"] == "locked_out" and locked["retry_after_s"] > 0
    right = verify(client, RINA_BODY, actor="rasa:web:late")
    assert right.status_code == 423, "even the right date waits out the lock"


def test_one_caller_cannot_try_uan_after_uan(client) -> None:
    caller = "rasa:sms:+919811111111"
    for n in range(5):
        body = {**RINA_BODY, "uan": f"1999999999{n:02d}"}
        assert verify(client, body, actor=caller).status_code in (401, 423)
    assert verify(client, RINA_BODY, actor=caller).status_code == 423, "the caller is locked"
    assert verify(client, RINA_BODY, actor="rasa:sms:+919822222222").status_code == 200


def test_twenty_parallel_wrong_dates_get_no_more_than_the_allowed_tries(db) -> None:
    """One wrong date first (the counter exists), then 20 at once: 2 tries remain, no more."""
    with session_scope() as s, contextlib.suppress(DomainError):
        verification.verify(
            s,
            Ctx(actor="rasa:web:first"),
            uan=RINA.uan,
            date_of_birth=RINA.wrong_dob,
            channel="web",
        )
    start = threading.Barrier(20)
    answers: list[str] = []
    lock = threading.Lock()

    def attempt(n: int) -> None:
        ctx = Ctx(actor=f"rasa:web:racer-{n}", request_id=f"race-{n}")
        start.wait()
        try:
            with session_scope() as s:
                verification.verify(
                    s, ctx, uan=RINA.uan, date_of_birth=RINA.wrong_dob, channel="web"
                )
            outcome = "verified"
        except DomainError as error:
            outcome = error.code
        except Exception as error:  # a lost race must not become a 500
            outcome = type(error).__name__
        with lock:
            answers.append(outcome)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    judged = [a for a in answers if a != "locked_out"]
    assert len(answers) == 20
    assert len(judged) <= 1, answers  # of the 2 tries left, the last is answered locked_out
    assert set(answers) <= {"not_verified", "locked_out"}, answers
    assert _failures() <= 3


def _assistant_view(client: Any) -> dict[str, Any]:
    """What the assistant gets when locked: a code to offer the officer and when to retry."""
    for n in range(3):
        verify(client, KNOWN_WRONG_DATE, actor=f"rasa:web:v{n}")
    return dict(verify(client, KNOWN_WRONG_DATE, actor="rasa:web:v9").json()["error"])


def test_a_locked_worker_is_told_when_to_come_back(client) -> None:
    error = _assistant_view(client)
    assert error["code"] == "locked_out" and 0 < error["retry_after_s"] <= 30 * 60 + 1


def test_twenty_parallel_tries_from_one_caller_on_twenty_uans_get_no_more_than_allowed(
    db,
) -> None:
    """The caller's counter is taken atomically too: one number trying 20 UANs at once (each
    UAN's own counter fresh) is judged no more often than the caller's limit allows."""
    from api.settings import get_settings

    limit = get_settings().verification_caller_max_failures
    start = threading.Barrier(20)
    answers: list[str] = []
    lock = threading.Lock()

    def attempt(n: int) -> None:
        ctx = Ctx(actor="rasa:sms:+919833333333", request_id=f"caller-race-{n}")
        start.wait()
        try:
            with session_scope() as s:
                verification.verify(
                    s, ctx, uan=f"1999999998{n:02d}", date_of_birth=RINA.dob, channel="sms"
                )
            outcome = "verified"
        except DomainError as error:
            outcome = error.code
        except Exception as error:  # a lost race must not become a 500
            outcome = type(error).__name__
        with lock:
            answers.append(outcome)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    judged = [a for a in answers if a != "locked_out"]
    assert len(answers) == 20 and set(answers) <= {"not_verified", "locked_out"}, answers
    assert len(judged) <= limit - 1, answers  # the try that reaches the limit says locked_out
    assert _failures() <= limit
