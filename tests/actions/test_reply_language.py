"""The reply follows the language the worker writes in now (api/services/language.decide)."""

from __future__ import annotations

from actions.language import choose_language
from api.services.language import decide


def test_a_sentence_in_english_is_answered_in_english_whatever_was_remembered() -> None:
    # Rina prefers Bengali; on SMS she writes "I lost my UAN card": she reads English now
    assert decide(remembered="bn", text="I lost my UAN card").language == "en"


def test_devanagari_after_a_bare_date_is_answered_in_hindi() -> None:
    # the bare date was answered in English (no letters) and the number remembered "en"
    assert decide(remembered="en", current="en", text="पेंशन का पता करना है").language == "hi"
    assert (
        choose_language(
            "en", {"remembered_language": "en"}, "check_status", [], "पेंशन का पता करना है"
        )
        == "hi"
    )


def test_a_short_word_keeps_the_language_already_used() -> None:
    # "ok", "yes", "haan ji" say too little to switch a Hindi or Bengali conversation
    assert decide(remembered="hi", current="hi", text="ok").language == "hi"
    assert decide(remembered="bn", text="yes").language == "bn"
    assert choose_language("bn", {}, "affirm", [], "yes") is None


def test_digits_alone_decide_nothing() -> None:
    assert decide(remembered="hi", text="15-01-1960").language == "hi"
    assert decide(text="15-01-1960").source == "default"


def test_a_language_chosen_now_still_wins() -> None:
    assert decide(chosen="bn", remembered="hi", text="I lost my UAN card").language == "bn"


def test_yes_in_an_english_conversation_stays_english_for_a_bengali_speaker() -> None:
    # Rina (Bengali preferred) wrote in English; her "yes" to the next question stays English
    assert decide(remembered="bn", current="en", text="yes").language == "en"


def test_romanised_hindi_read_as_english_by_the_detector_keeps_hindi() -> None:
    text = "block office ke babu ne form jama karne ke 500 rupaye maange"
    assert decide(remembered="hi", current="hi", text=text).language == "hi"
