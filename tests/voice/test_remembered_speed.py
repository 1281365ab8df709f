"""A caller the line does not know by name is greeted, on the next call, in the language and at
the speed they chose (remembered by number); star and 9 work at every kind of prompt, also in
the line's own calls (a decision, a reminder)."""

from __future__ import annotations

from pathlib import Path

from api.db.models import MessagingContact
from api.db.session import session_scope
from api.services import pace
from locales import LANGUAGES, translate
from tests.voice.conftest import UNKNOWN, simulator
from tests.voice.test_casework_calls import _notice_for_rina, _worker_call
from tests.voice.test_reminder_call import _reminder_for_rina
from voice import tts
from voice.simulate import CallSimulator


def speeds(sim: CallSimulator, since: int = 0) -> set[str]:
    """The speeds the cached prompts heard since event `since` were rendered at."""
    out = set()
    for event in sim.events[since:]:
        if event.kind == "play" and "/audio/p/" not in event.url:
            out.add(str((tts.read_meta(Path(event.url).stem) or {}).get("speed", "")))
    return out


def test_an_unknown_caller_gets_their_language_and_speed_back_next_call(app_client) -> None:
    first = simulator(app_client, UNKNOWN)
    assert first.start()[0] == translate("voice.welcome", "bn")  # the language menu
    first.press("2")  # Hindi
    assert first.press("*")[0] == translate("voice.slower_on", "hi")
    first.hang_up()
    with session_scope() as s:
        row = s.get(MessagingContact, UNKNOWN)
        assert (row.language, row.slow) == ("hi", True)  # by number, nothing else about them

    again = simulator(app_client, UNKNOWN)
    heard = again.start()
    assert heard[0] == translate("voice.welcome_back", "hi"), "no language menu this time"
    assert speeds(again) == {"slow"}

    before = len(again.events)
    assert again.press("*")[0] == translate("voice.slower_off", "hi")  # star again: normal
    assert speeds(again, before) == {"normal"}
    third = simulator(app_client, UNKNOWN)
    third.start()
    assert speeds(third) == {"normal"}, "undoing it is remembered too"


def test_a_hidden_number_remembers_nothing(app_client) -> None:
    sim = simulator(app_client, "anonymous")
    sim.start()
    sim.press("3")
    sim.press("*")
    with session_scope() as s:
        assert s.query(MessagingContact).count() == 0


def test_star_and_nine_at_the_language_menu(app_client) -> None:
    sim = simulator(app_client, UNKNOWN)
    menu = sim.start()
    assert sim.press("9") == menu and sim.waiting_for("language")
    before = len(sim.events)
    slower = sim.press("*")
    said = [translate("voice.slower_on", lang) for lang in LANGUAGES]  # no language chosen yet
    assert slower == [*said, *menu] and sim.waiting_for("language")
    assert speeds(sim, before) == {"slow"}


def test_a_decision_call_repeats_with_9_and_slows_with_star(app_client) -> None:
    notice = _notice_for_rina()
    sim = _worker_call(app_client)
    heard = sim.start(f"/voice/notice?notice={notice}")
    assert sim.press("9") == heard
    before = len(sim.events)
    assert sim.press("*") == [translate("voice.slower_on", "bn"), *heard]
    assert speeds(sim, before) == {"slow"}
    with session_scope() as s:
        assert pace.remembered_slow(s, sim.line)
    again = _worker_call(app_client)  # the next call to this number starts slowly
    again.start(f"/voice/notice?notice={notice}")
    assert speeds(again) == {"slow"}


def test_a_reminder_call_slows_with_star_and_keeps_9_for_no_more_reminders(app_client) -> None:
    reminder = _reminder_for_rina()
    sim = _worker_call(app_client)
    heard = sim.start(f"/voice/reminder?reminder={reminder}")
    before = len(sim.events)
    assert sim.press("*") == [translate("voice.slower_on", "bn"), *heard]
    assert speeds(sim, before) == {"slow"}
    assert sim.press("9") == [translate("reminder.stopped_call", "bn")]
