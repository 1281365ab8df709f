"""'Tell me your district' starts the step that takes the district (issue 17, pattern 1): the
district named next is answered with its office's address and hours (api/data/offices.yaml)."""

from __future__ import annotations

from actions.routing.router import ActionRoute
from api.knowledge.offices import load_offices
from locales import translate
from tests.actions.conftest import make_tracker, run, slot_values


def test_the_district_asked_for_is_answered_with_its_office(backend, domain, kb_warm) -> None:
    asked = make_tracker(
        "Where is the nearest labour office?", intent="ask_scheme_info", slots={"language": "en"}
    )
    events, said = run(ActionRoute(), asked, domain)
    assert said[0].startswith("Finding your labour office")
    assert slot_values(events)["expecting"] == "office_district"
    assert translate("common.anything_else", "en") not in said  # the question is the district
    answer = make_tracker(
        "Howrah", intent="inform", slots={"language": "en", "expecting": "office_district"}
    )
    events, said = run(ActionRoute(), answer, domain)
    assert load_offices()["howrah"].address["en"] in said[0] and "10:00" in said[0]
    assert said[-1] == translate("common.anything_else", "en")
    assert slot_values(events)["expecting"] is None
