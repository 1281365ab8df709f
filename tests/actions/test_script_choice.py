"""Romanised writers: asked once which script they want, answered in it from then on."""

from __future__ import annotations

from actions.language import ActionValidateSlotMappings
from actions.routing.router import ActionRoute
from locales import translate
from tests.actions.conftest import make_tracker, run, slot_values


def test_a_romanised_hindi_writer_is_asked_once_which_script(domain) -> None:
    tracker = make_tracker(
        "shukriya", intent="thank", slots={"language": "hi"}, metadata={"channel": "whatsapp"}
    )
    events, said = run(ActionRoute(), tracker, domain)
    assert said[-1] == translate("script.which", "hi-Latn")
    assert slot_values(events)["script_offered"] is True
    again = make_tracker(
        "shukriya",
        intent="thank",
        slots={"language": "hi", "script_offered": True},
        metadata={"channel": "whatsapp"},
    )
    _, said = run(ActionRoute(), again, domain)
    assert translate("script.which", "hi-Latn") not in said  # once only


def test_no_script_question_for_native_script_or_the_phone(domain) -> None:
    native = make_tracker("धन्यवाद", intent="thank", slots={"language": "hi"})
    _, said = run(ActionRoute(), native, domain)
    assert translate("script.which", "hi-Latn") not in said
    phone = make_tracker(
        "shukriya", intent="thank", slots={"language": "hi"}, metadata={"channel": "voice"}
    )
    _, said = run(ActionRoute(), phone, domain)
    assert translate("script.which", "hi-Latn") not in said


def test_choosing_latin_letters_sets_the_script_and_answers_in_it(domain) -> None:
    choice = translate("script.latin", "hi-Latn")
    tracker = make_tracker(choice, slots={"language": "hi"})
    events, _ = run(ActionValidateSlotMappings(), tracker, domain)
    assert slot_values(events)["script"] == "latin"
    chosen = make_tracker(choice, slots={"language": "hi", "script": "latin"})
    _, said = run(ActionRoute(), chosen, domain)
    assert said[0] == translate("language.changed", "hi-Latn")
    assert said[1].startswith(translate("menu.intro", "hi-Latn"))


def test_the_remembered_script_of_the_number_is_used(domain) -> None:
    tracker = make_tracker(
        "mera status", slots={"language": "bn"}, metadata={"remembered_script": "latin"}
    )
    events, _ = run(ActionValidateSlotMappings(), tracker, domain)
    assert slot_values(events)["script"] == "latin"
