"""A worker in two schemes that pay claims files one in web chat: after the read-back the
assistant asks under which scheme (a button each), and the claim is filed under the one chosen.
The worker comes in through the legacy importer (two rows, one UAN), so the demo data and every
test counting its people stay as they are."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from api.importer.workers import COLUMNS
from scripts.stack import APP_PYTHON
from tests.e2e.conftest import ROOT, RunningStack
from tests.e2e.test_conversations import GREETING, YES
from tests.factory import new_uan

pytestmark = pytest.mark.e2e

BORN = dt.date(1985, 6, 2)


def _import_member_of_two(stack: RunningStack, folder: Path) -> str:
    uan = "3" + new_uan()[1:]
    base = {
        "uan": uan, "name_en": "Mala Roy", "date_of_birth": BORN.isoformat(), "gender": "female",
        "phone": "+919800000095", "state": "West Bengal", "district": "Howrah",
        "occupation": "construction worker", "preferred_language": "bn",
        "bank_account_number": "401122335566", "enrollment_status": "active",
        "valid_until": "2099-03-31",
    }  # fmt: skip
    path = folder / "workers.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for scheme in ("bocw_welfare", "state_social_security"):
            writer.writerow({**{c: "" for c in COLUMNS}, **base, "scheme": scheme})
    done = subprocess.run(
        [str(APP_PYTHON), "-m", "api.importer", str(path)],
        cwd=ROOT,
        env=stack.env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return uan


def test_a_member_of_two_schemes_chooses_which_one_the_claim_is_under(
    running_stack: RunningStack, tmp_path: Path
) -> None:
    uan = _import_member_of_two(running_stack, tmp_path)
    sender = f"e2e-schemes-{uuid.uuid4().hex[:8]}"

    def say(words: str) -> list[dict]:
        messages = running_stack.chat(sender, words)
        assert messages, f"no reply to {words!r}"
        return messages

    say(GREETING["bn"])
    say("3")
    say(uan)
    say(BORN.strftime("%d/%m/%Y"))
    say(running_stack.texted_code())
    say("4")  # medical
    say((dt.date.today() - dt.timedelta(days=10)).strftime("%d/%m/%Y"))
    say("মাচা থেকে পড়ে পায়ে চোট লেগেছে")
    say("5566")
    asked = say(YES["bn"])
    buttons = [b for m in asked for b in m.get("buttons") or []]
    assert [b["payload"] for b in buttons] == ["1", "2"], asked
    words = "\n".join(m.get("text", "") for m in asked)
    assert not re.search(r"CLM-\d{4}-\d+", words), "nothing filed before the choice"
    filed = "\n".join(m.get("text", "") for m in say("2"))
    reference = re.search(r"CLM-\d{4}-\d+", filed)
    assert reference, filed
    engine = create_engine(running_stack.env["DATABASE_URL"])
    with engine.connect() as db:
        scheme = db.execute(
            text("SELECT scheme_code FROM claims WHERE reference = :r"), {"r": reference.group()}
        ).scalar_one()
    engine.dispose()
    assert scheme == "state_social_security"
