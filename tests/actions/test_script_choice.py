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


def test_the_domains_slot_list_is_worked_out_once_per_domain_not_once_per_slot(
    domain, monkeypatch
) -> None:
    from rasa_sdk.forms import ValidationAction

    checked = []
    stock_check = ValidationAction._is_mapped_to_form
    monkeypatch.setattr(
        ValidationAction,
        "_is_mapped_to_form",
        staticmethod(lambda slot: checked.append(1) or stock_check(slot)),
    )
    tracker = make_tracker("mera status", slots={"language": "bn"})
    ours, _ = run(ActionValidateSlotMappings(), tracker, domain)
    ours_checks, slots = len(checked), len(domain["slots"])
    checked.clear()
    stock, _ = run(_StockMappings(), tracker, domain)
    assert ours == stock  # the same events
    assert len(checked) > slots * 10  # the control: the list again for every slot
    assert ours_checks == slots
    another = {**domain, "slots": dict(list(domain["slots"].items())[:5])}
    assert len(ActionValidateSlotMappings().domain_slots(another)) <= 5  # a new domain: anew


class _StockMappings(ActionValidateSlotMappings):
    """Our extract methods on rasa_sdk's own `domain_slots` (the control)."""

    def domain_slots(self, domain):
        from rasa_sdk.forms import ValidationAction

        return ValidationAction.domain_slots(self, domain)
