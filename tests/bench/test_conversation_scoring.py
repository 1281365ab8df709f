"""The conversation suite's scoring on canned transcripts (no stack): checks, misses, unasked
hand-overs, where a conversation went off, the summary table, and the scripts' own shape."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from bench.conversations import checks, schema
from bench.conversations.backend_db import Filed
from bench.conversations.catalog_match import is_message, miss_in
from bench.conversations.channels import split_messages
from bench.conversations.checks import Checker
from bench.conversations.records import Exchange, Result
from bench.conversations.runner import blank_result, score
from bench.conversations.schema import ScriptError, parse_conversation, render_value
from bench.conversations.summary import markdown, summarise
from bench.report import rows
from locales import translate
from tests import factory

RINA = factory.RINA.uan


def conversation(**overrides: object) -> schema.Conversation:
    item = {
        "id": "t-1",
        "language": "hi",
        "script": "native",
        "channel": "web",
        "task": "status",
        "worker": "rina",
        "turns": ["मेरा स्टेटस", RINA, factory.RINA.dob_typed],
        "outcome": {"status_shown": {"references": ["CLM-2026-000101"]}, "reply_language": "hi"},
    }
    item.update(overrides)
    return parse_conversation(item, "canned.yml")


def played(conv: schema.Conversation, replies: list[list[str]], filed: Filed) -> Result:
    exchanges = [
        Exchange(n, t.value, r, miss=miss_in(r))
        for n, (t, r) in enumerate(zip(conv.turns, replies, strict=False), start=1)
    ]
    result = blank_result(conv)
    result.turns = len(exchanges)
    score(result, Checker(conv, schema_uan(conv)), exchanges, filed)
    return result


def schema_uan(conv: schema.Conversation) -> str | None:
    return RINA if conv.worker == "rina" else None


def test_a_status_shown_after_verification_finishes() -> None:
    conv = conversation()
    replies = [
        [translate("verify.ask_uan", "hi")],
        [translate("verify.ask_dob", "hi", uan="एक")],
        ["रीना, आपकी जानकारी यह है: CLM-2026-000101 जाँच में है।"],
    ]
    result = played(conv, replies, Filed(status_reads=[{"action": "status.read", "uan": RINA}]))
    assert result.finished and result.misses == 0 and result.handovers == 0
    assert result.went_off == ""


def test_misses_and_an_unasked_officer_are_counted_and_located() -> None:
    conv = conversation()
    replies = [
        [translate("fallback.no_question", "hi"), translate("menu.intro", "hi")],
        [translate("handoff.after_failures", "hi"), "... HND-2026-000001 ..."],
        [],
    ]
    filed = Filed(handoffs=[{"reference": "HND-2026-000001", "reason": "repeated_failure"}])
    result = played(conv, replies, filed)
    assert not result.finished
    assert result.misses == 2 and result.handovers == 1
    assert result.went_off.startswith("turn 1") and "fallback.no_question" in result.went_off
    assert result.checks["status_shown"].ok is False


def test_an_officer_the_task_asked_for_is_not_an_unasked_hand_over() -> None:
    conv = conversation(
        task="officer", worker=None, turns=["अधिकारी"], outcome={"handoff_opened": True}
    )
    filed = Filed(handoffs=[{"reference": "HND-2026-000002", "reason": "asked"}])
    result = played(conv, [["... HND-2026-000002 ..."]], filed)
    assert result.finished and result.handovers == 0


def test_a_miss_is_a_whole_message_not_a_phrase_inside_another() -> None:
    # Bengali "say yes or no" also ends the pension restart question
    assert not is_message(translate("pension.confirm_restart", "bn"), "confirm.say_yes_no")
    assert is_message(translate("confirm.say_yes_no", "bn"), "confirm.say_yes_no")
    heard = translate("voice.wrong_length", "en", count=11, expected=12)
    assert miss_in(["You typed 11 digits.", heard]) == "voice.wrong_length"
    assert miss_in([translate("verify.ask_uan", "en")]) is None


def test_eligibility_within_turns_and_contribution() -> None:
    conv = conversation(
        task="eligibility",
        worker=None,
        turns=["पेंशन", "46", "9000", "नहीं"],
        outcome={"eligibility_answered": {"eligible": False, "within_turns": 3}},
    )
    ask = translate("eligibility.ask_age", "hi")
    late = [[ask], ["..."], ["..."], [translate("eligibility.not_eligible", "hi", reasons="-")]]
    assert not played(conv, late, Filed()).finished
    early = [[ask], [translate("eligibility.not_eligible", "hi", reasons="- 40")]]
    assert played(conv, early, Filed()).finished
    figure = conversation(
        task="follow_up",
        worker=None,
        turns=["कितना", "32"],
        outcome={"eligibility_answered": {"contribution": 120}},
    )
    assert played(figure, [["..."], ["उम्र 32 पर हर महीने ₹१२०"]], Filed()).finished
    assert not played(figure, [["..."], ["₹1,200"]], Filed()).finished


def test_figures_and_language_are_read_leniently_but_strictly() -> None:
    assert checks.mentions("दुर्घटना में मृत्यु पर ₹2,00,000", "200000")
    assert checks.mentions("দুর্ঘটনায় মৃত্যুতে ২,০০,০০০ টাকা", "200000")
    assert not checks.mentions("₹1,200", "120")
    assert checks.in_language("आपकी जानकारी यह है: CLM-2026-000101", "hi") is True
    assert checks.in_language("CLM-2026-000101", "hi") is None  # too few letters to tell
    assert checks.in_language("আপনার তথ্য", "hi") is False
    assert checks.in_language("Here are your details", "en") is True
    assert checks.in_script("aapka claim jaanch mein hai", "hi", "latin") is True
    assert checks.in_script("आपका claim जाँच में है", "hi", "latin") is False
    assert checks.in_script("आपका claim जाँच में है", "hi", "native") is True


def test_an_english_reply_in_a_hindi_conversation_fails_the_language(monkeypatch) -> None:
    monkeypatch.setattr(checks, "detect_language", lambda text: "en")
    conv = conversation(outcome={"reply_language": "hi", "says": ["fallback.rephrase"]})
    result = played(conv, [[translate("fallback.rephrase", "en")]], Filed())
    assert result.checks["reply_language"].ok is False
    assert result.checks["says"].ok is True


def test_replies_to_bare_digits_before_any_words_have_no_language_to_keep(monkeypatch) -> None:
    monkeypatch.setattr(checks, "detect_language", lambda text: "en")
    conv = conversation(turns=["15-01-1960", "पेंशन का पता करना है"], outcome={"reply_language": "hi"})
    english = translate("fallback.no_question", "en")
    assert played(conv, [[english], [translate("verify.ask_uan", "hi")]], Filed()).finished
    assert not played(conv, [[english], [translate("verify.ask_uan", "en")]], Filed()).finished


def test_nothing_filed_and_the_cancellation_said() -> None:
    conv = conversation(outcome={"says": ["confirm.cancelled"], "not_filed": ["claim"]})
    said = [[translate("confirm.cancelled", "hi")]]
    assert played(conv, said, Filed()).finished
    filed = Filed(claims=[{"reference": "CLM-2026-000200", "type": "medical", "uan": RINA}])
    assert not played(conv, said, filed).finished


def test_rows_of_another_worker_do_not_count() -> None:
    conv = conversation(outcome={"claim_filed": {"type": "medical"}})
    other = Filed(claims=[{"reference": "CLM-2026-000201", "type": "medical", "uan": "x"}])
    assert not played(conv, [["..."]], other).finished
    mine = Filed(claims=[{"reference": "CLM-2026-000201", "type": "medical", "uan": RINA}])
    assert played(conv, [["..."]], mine).finished


def test_the_summary_reports_languages_channels_patterns_and_failures() -> None:
    reads = Filed(status_reads=[{"action": "status.read", "uan": RINA}])
    good = played(conversation(), [["CLM-2026-000101"]], reads)
    missed = [[translate("fallback.no_question", "hi")]]
    bad = played(conversation(id="t-2", channel="sms", patterns=["keep_thread"]), missed, Filed())
    summary = summarise([good, bad])
    assert summary["total"]["finished"] == 1 and summary["total"]["n"] == 2
    assert [r["channel"] for r in summary["by_language_channel"]] == ["web", "sms"]
    assert summary["by_pattern"]["keep_thread"]["hi"]["finished"] == 0
    text = markdown(summary)
    assert "| hi web | 1/1 (100%)" in text and "**t-2**" in text
    assert Result.from_dict(bad.as_dict()).went_off == bad.went_off
    table = {r.measure: r for r in rows({"conversations": summary})}
    assert table["tasks finished, hi web"].met is True
    assert table["tasks finished, hi sms"].met is False


def test_scripts_refuse_what_cannot_be_played() -> None:
    with pytest.raises(ScriptError, match="unknown outcome"):
        conversation(outcome={"claim_filled": True})
    with pytest.raises(ScriptError, match="phone turn"):
        conversation(turns=[{"press": "1"}])
    with pytest.raises(ScriptError, match="message id"):
        conversation(turns=[{"text": "x", "when": "verify.ask_nothing"}])
    with pytest.raises(ScriptError, match="need a worker"):
        conversation(worker="none")
    keypad = conversation(channel="phone_keypad", turns=["2", {"say": "हाँ"}])
    assert [t.kind for t in keypad.turns] == ["press", "say"]


def test_relative_dates_render_in_each_style() -> None:
    today = dt.date(2026, 12, 5)
    assert render_value("{ago:5}", today) == "30/11/2026"
    assert render_value("{ago:5:keys}#", today) == "30112026#"
    assert render_value("kal {ago:1:dash}", today) == "kal 04-12-2026"
    assert "নভেম্বর" in render_value("{ago:5:bn}", today)


def test_sms_answers_are_cut_back_into_messages() -> None:
    twiml = "<Response><Message>one\n\ntwo</Message><Message>three</Message></Response>"
    assert split_messages(twiml) == ["one", "two", "three"]


def test_the_suite_covers_every_task_language_channel_and_pattern() -> None:
    suite = schema.load()
    assert len(suite) >= 150
    per_language = Counter(c.language for c in suite)
    assert all(per_language[lang] >= 40 for lang in schema.LANGUAGES)
    phone = [c for c in suite if c.on_phone]
    assert len(phone) >= 30
    for lang in schema.LANGUAGES:
        mine = [c for c in suite if c.language == lang]
        assert {c.task for c in mine} == set(schema.TASKS)
        assert {"phone_keypad", "phone_speech", "web", "whatsapp", "sms"} <= {
            c.channel for c in mine
        }
        for pattern in schema.PATTERNS:
            assert sum(pattern in c.patterns for c in mine) >= 2, (lang, pattern)
    fast = schema.select(suite, fast=True)
    assert 10 <= len(fast) <= 20
    assert {c.language for c in fast} == set(schema.LANGUAGES)


def test_a_tracked_request_needs_the_lookup_and_its_reference_in_the_replies() -> None:
    conv = conversation(
        task="track", outcome={"request_tracked": {"references": ["CLM-2026-000101"]}}
    )
    said = [["..."], ["..."], ["क्लेम CLM-2026-000101: दफ़्तर जाँच रहा है।"]]
    found = Filed(tracks=[{"action": "request.track", "uan": RINA}])
    assert played(conv, said, found).finished
    assert not played(conv, said, Filed()).finished
    assert not played(conv, [["..."], ["..."], ["कुछ नहीं"]], found).finished


def test_a_lost_uan_is_sent_or_not_as_wanted_and_never_shown() -> None:
    sent = Filed(uan_sms=[{"action": "uan.recover", "uan": RINA}])
    conv = conversation(task="lost_uan", outcome={"uan_sent": True})
    quiet = [["..."], ["..."], [translate("lost_uan.sent", "hi")]]
    assert played(conv, quiet, sent).finished
    assert not played(conv, quiet, Filed()).finished
    shown = [["..."], ["..."], [f"आपका UAN {RINA} है"]]
    assert not played(conv, shown, sent).finished
    none_wanted = conversation(task="lost_uan", outcome={"uan_sent": False})
    assert played(none_wanted, quiet, Filed()).finished
    assert not played(none_wanted, quiet, sent).finished


def test_a_correction_needs_a_row_of_that_field_for_the_worker() -> None:
    conv = conversation(task="correction", outcome={"correction_filed": {"field": "phone"}})
    said = [["..."], ["..."], ["COR-2026-000001"]]
    mine = {"reference": "COR-2026-000001", "field": "phone", "uan": RINA}
    assert played(conv, said, Filed(corrections=[mine])).finished
    assert not played(conv, said, Filed(corrections=[{**mine, "field": "name"}])).finished
    assert not played(conv, said, Filed(corrections=[{**mine, "uan": "100000000002"}])).finished
    assert not played(conv, said, Filed()).finished


def test_settings_changed_needs_the_audited_change_and_the_new_setting_said() -> None:
    changed = Filed(settings=[{"action": "worker.preference", "uan": RINA}])
    conv = conversation(
        task="notify_settings", outcome={"settings_changed": {"says": ["notify.calls_on"]}}
    )
    told = [["..."], ["..."], [translate("notify.calls_on", "bn")]]
    assert played(conv, told, changed).finished
    assert not played(conv, told, Filed()).finished
    assert not played(
        conv, [["..."], ["..."], [translate("notify.calls_off", "bn")]], changed
    ).finished
