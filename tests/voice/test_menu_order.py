"""The "more" menu in the order callers choose: every keypad choice is counted by the calls
service (nothing about who chose it), and the level is said most-chosen first once enough
choices are counted, its "other services" key in place, four keys at most."""

from __future__ import annotations

from api.db.models import MenuChoice
from api.db.session import session_scope
from api.domain.menu_order import MIN_CHOICES, learned_order
from api.services import menu_order
from locales import translate
from tests.voice.conftest import KNOWN_BN, simulator
from voice.ivr.listen import MENUS, SERVICES

MORE = MENUS["more"]  # pension, complaint, nominee, others


def test_below_the_threshold_the_default_order_stays() -> None:
    assert learned_order(MORE, {"nominee": MIN_CHOICES - 1}, fixed={"others"}) == MORE


def test_most_chosen_first_ties_in_the_default_order_and_the_level_key_in_place() -> None:
    counts = {"nominee": 40, "complaint": 12, "pension": 12, "others": 500}
    assert learned_order(MORE, counts, fixed={"others"}) == (
        "nominee", "pension", "complaint", "others",
    )  # fmt: skip
    assert learned_order(("a", "b"), {}, min_choices=0) == ("a", "b")  # no counts: stable


def test_a_call_counts_each_choice_and_nothing_about_the_caller(app_client, rasa) -> None:
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    sim.press("4")  # more
    sim.press("2")  # complaint
    with session_scope() as s:
        assert menu_order.counts(s) == {"main": {"more": 1}, "more": {"complaint": 1}}
        columns = set(MenuChoice.__table__.columns.keys())
    assert columns == {"id", "level", "option", "language", "at"}


def _chosen(option: str, n: int) -> None:
    with session_scope() as s:
        for _ in range(n):
            menu_order.record(s, "more", option, "bn")


def test_the_more_menu_is_said_in_the_learned_order_and_keys_follow_it(app_client, rasa) -> None:
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    assert sim.press("4") == [translate("voice.menu_more", "bn")]  # nothing counted yet
    sim.press("8")
    _chosen("nominee", MIN_CHOICES)
    _chosen("complaint", 5)
    said = sim.press("4")
    assert said == [
        translate("voice.menu_item.nominee.1", "bn"),
        translate("voice.menu_item.complaint.2", "bn"),
        translate("voice.menu_item.pension.3", "bn"),
        translate("voice.menu_tail.more", "bn"),
    ]
    assert sim.press("9") == said  # the same order again
    sim.press("1")
    assert rasa.received[-1]["metadata"]["menu_choice"] == SERVICES["nominee"]


def test_the_learned_order_keeps_other_services_on_four(app_client, rasa) -> None:
    _chosen("pension", 3)
    _chosen("nominee", MIN_CHOICES)
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    sim.press("4")
    assert sim.press("4") == [translate("voice.menu_others", "bn")]
