"""action_route: the one action the rules call for every intent.

The order of concerns is in one readable place: an open hand-over first (stay quiet, relay
officers' replies), then language and help, then starting or switching a service, then short
answers to small talk.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from actions.backend_types import KbAnswer
from actions.expect import yes_no as expect_yes_no
from actions.forms.selfservice import asks_about_reference
from actions.handoff import office_hours, relay_officer_replies
from actions.inputs import (
    entity_values,
    find_age,
    first_entity,
    intent_of,
    mentioned_memberships,
    message_text,
    metadata,
    number_choice,
)
from actions.language import script_choice, wants_script_question
from actions.notify_settings import awaits_answer, notify_answer
from actions.routing.context import answer_in_context, expecting, start_eligibility, stray
from actions.routing.family_start import family_request, keyed_family, start_family
from actions.routing.flow_state import STRAYS, active_form, stop_form
from actions.routing.services import FLOW_BY_INTENT, INTENT_BY_CHOICE, INTENT_BY_MENU
from actions.routing.start import start_flow
from actions.texts import MENU_FLOWS, lang_of, say, say_menu, text, yes_no_buttons
from api.domain.helpers import acts_for_worker
from api.domain.parsing import parse_age
from api.language.money import asks_about_money
from api.language.pension_words import joins_a_pension
from locales import format_number, language_of, locale_for

# Intents of a message that answers something rather than asks for a service.
BARE_ANSWERS = frozenset({"affirm", "deny", "inform", "correct"})
UNCLEAR = frozenset({"out_of_scope", "nlu_fallback"})
# Services a knowledge answer may offer to start (its `follow_up` step).
STARTABLE = frozenset(
    {"claim", "renewal", "nominee", "pension", "status", "payment", "feedback", "human"}
)
# Knowledge answers that end with a question: the step that takes the answer starts with them.
ASKS = frozenset({"eligibility_age", "office_district"})
# Below this the NLU is not sure the worker asked for an officer ("what is the officer's phone
# number?" is a question): the question is answered, or the worker is asked before a hand-over.
SURE_HANDOFF = 0.8
# A service and a scheme question ranked closer than this: the knowledge base may answer.
TORN = 0.1
# An age said with a request to join (not a keyed or entity age): below this it is no age.
LEAST_AGE_SAID = 10


class ActionRoute(Action):
    """The rules send every intent here (see bot/data/rules.yml)."""

    def name(self) -> str:
        return "action_route"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if script_choice(message_text(tracker)):  # the answer to the script question
            return self._script_chosen(dispatcher, tracker)
        events = await self._route(dispatcher, tracker)
        if _ends_at_menu(events) and wants_script_question(tracker):
            ask_script(dispatcher, tracker)
            events.append(SlotSet("script_offered", True))
        return events

    def _script_chosen(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Say it in the chosen script; in a form the question is asked again, else the menu."""
        lang = lang_of(tracker)  # the slot is already set (actions/language.py)
        say(dispatcher, lang, "language.changed")
        if active_form(tracker):
            return []
        say_menu(dispatcher, lang)
        return [SlotSet("awaiting_menu", True)]

    async def _route(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if tracker.get_slot("handoff_active"):
            relayed, state = await relay_officer_replies(dispatcher, tracker)
            if state is None or state.taken or not state.active:
                return relayed  # an officer has it (the assistant stays quiet), or it ended
            if asks_for_officer(tracker):  # asking again: say how long it is
                lang = lang_of(tracker)
                if not state.officer_available:  # nobody at work: when they will be
                    start, end = office_hours(lang)
                    say(
                        dispatcher,
                        lang,
                        "handoff.waiting_closed",
                        reference=state.reference,
                        start=start,
                        end=end,
                    )
                else:
                    minutes = format_number(max(1, state.wait_minutes), lang)
                    say(
                        dispatcher,
                        lang,
                        "handoff.still_waiting",
                        reference=state.reference,
                        minutes=minutes,
                    )
                say(dispatcher, lang, "handoff.meanwhile")  # what they may do while waiting
                return relayed
            # nobody has taken it yet: the assistant keeps serving (the officer sees the messages)
            return [*relayed, *await self._serve(dispatcher, tracker)]
        return await self._serve(dispatcher, tracker)

    async def _serve(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        lang = lang_of(tracker)
        intent = keyed_intent(tracker) or intent_of(tracker)
        in_form = active_form(tracker)
        if not in_form and awaits_answer(tracker):  # a number or yes/no for the settings
            answered = await notify_answer(dispatcher, tracker)
            if answered is not None:
                return answered
        if not in_form and tracker.get_slot("awaiting_menu"):  # a bare menu number wins
            choice = number_choice(tracker, len(MENU_FLOWS))
            if choice:
                intent = INTENT_BY_MENU[choice]
        if intent == "goodbye" and in_form:  # answers so far stay in the slots
            say(dispatcher, lang, "common.goodbye")
            return stop_form(tracker)
        if not in_form and speaks_for_a_worker(tracker, intent):  # with the worker's consent
            return start_flow("helper", dispatcher, tracker)
        if intent == "talk_to_human" and not in_form and not sure_of_intent(tracker):
            return await self._scheme_info(dispatcher, tracker, lang, in_form, ask_officer=True)
        if intent == "talk_to_human":
            return [
                *stop_form(tracker),
                SlotSet("handoff_reason", "asked"),
                FollowupAction("action_handoff"),
            ]
        if intent == "register" and _joins_pm_sym(tracker):
            intent = "check_eligibility"  # joining the pension scheme is its check, not e-Shram
        if intent == "check_eligibility" and not in_form and about_another_scheme(tracker):
            # the check is PM-SYM's: "up to what age can one register on e-Shram" is a fact
            return await self._scheme_info(dispatcher, tracker, lang, in_form)
        if intent == "check_eligibility" and not in_form:
            known = opening_facts(tracker)
            if known:  # "I am 45, can I join?", "I have PF, can I join?"
                return await start_eligibility(dispatcher, tracker, known)
        if asks_about_reference(tracker, intent):  # that one request, not the whole record
            return start_flow("track", dispatcher, tracker)
        nlu_chose = intent == intent_of(tracker)  # not a menu number or a keypad key
        if intent in FLOW_BY_INTENT and nlu_chose and not in_form and torn_with_a_question(tracker):
            # "if my husband dies after his pension starts, how much will I get": a service and a
            # question scored alike; a fact the knowledge base is sure of answers it
            fact = await self._known_fact(tracker, lang)
            if fact is not None:
                return await self._scheme_info(dispatcher, tracker, lang, in_form, found=fact)
        family = keyed_family(tracker) or (family_request(tracker, intent) if nlu_chose else None)
        if family is not None:  # the worker died: the family files (routing.family_start)
            return start_family(dispatcher, tracker, family)
        if intent == "check_status" and nlu_chose and asks_about_money(message_text(tracker)):
            return start_flow("payment", dispatcher, tracker)  # where the money is, not it all
        if intent in FLOW_BY_INTENT:
            return start_flow(FLOW_BY_INTENT[intent], dispatcher, tracker)
        if intent == "change_language":
            return self._language(dispatcher, tracker, lang, in_form)
        if intent == "repeat":
            if not in_form:  # inside a form the question itself is asked again
                dispatcher.utter_message(text=last_bot_text(tracker) or text("menu.intro", lang))
            return []
        if intent == "ask_scheme_info":
            return await self._scheme_info(dispatcher, tracker, lang, in_form)
        if in_form:  # a digression inside a form: answer briefly, the form asks again
            msgid = {"greet": "common.greet", "thank": "common.welcome"}.get(intent, "form.help")
            say(dispatcher, lang, msgid)
            return []
        if intent in BARE_ANSWERS or intent in UNCLEAR:
            fitted = await answer_in_context(dispatcher, tracker)
            if fitted is not None:
                return fitted
        if intent in UNCLEAR:  # a question nobody here labelled: the knowledge base, or
            return await self._scheme_info(dispatcher, tracker, lang, in_form)  # "I don't know"
        return self._small_talk(dispatcher, tracker, intent, lang)

    def _language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str, in_form: str | None
    ) -> list[EventType]:
        if not language_set_this_turn(tracker) and first_entity(tracker, "language") != lang:
            buttons = [{"title": name, "payload": name} for name in ("বাংলা", "हिंदी", "English")]
            dispatcher.utter_message(text=text("language.which", lang), buttons=buttons)
            return []
        say(dispatcher, lang, "language.changed")
        if not in_form:
            say_menu(dispatcher, lang)
            return [SlotSet("awaiting_menu", True)]
        return []

    async def _scheme_info(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        lang: str,
        in_form: str | None,
        *,
        ask_officer: bool = False,
        found: KbAnswer | None = None,
    ) -> list[EventType]:
        if found is None:
            client = BackendClient(tracker.sender_id)
            try:
                answers = await client.kb_search(message_text(tracker)[:500], language_of(lang))
            except (BackendUnavailable, BackendError):
                say(dispatcher, lang, "error.backend_down")
                return []
        best = found or (answers[0] if answers else None)
        if best is not None and best.personal and not in_form:
            return own_record(dispatcher, tracker, best)
        if best is None and ask_officer:  # unsure it was a request for an officer: ask first
            say(dispatcher, lang, "kb.no_answer")
            yes, no = (b["payload"] for b in yes_no_buttons(lang))
            say(dispatcher, lang, "handoff.offer", custom=expect_yes_no(yes, no))
            return [SlotSet("awaiting_menu", True), *expecting("start:human:")]
        if best is None:  # below the knowledge base's threshold: never answer something else
            say(dispatcher, lang, "kb.no_answer")
        else:
            source = f" ({best.scheme_name})" if best.scheme_name else ""
            dispatcher.utter_message(text=f"{best.title}{source}\n{best.text}".strip())
        if in_form:
            return []
        if best is not None and best.follow_up in ASKS:  # it asked for the age, the district
            return [SlotSet("awaiting_menu", True), *expecting(best.follow_up)]
        if best is not None and best.follow_up in STARTABLE:  # offer the service it describes
            yes, no = (b["payload"] for b in yes_no_buttons(lang))
            say(dispatcher, lang, "kb.offer_start", custom=expect_yes_no(yes, no))
            offer = ":".join([best.follow_up, best.follow_values.get("claim_type", "")])
            return [SlotSet("awaiting_menu", True), *expecting(f"start:{offer}")]
        say(dispatcher, lang, "common.anything_else")
        # after talk of the pension, a bare age is the worker's age (the exact figure follows)
        pension_talk = best is not None and best.scheme == "pm_sym"
        return [
            SlotSet("awaiting_menu", True),
            *expecting("eligibility_age" if pension_talk else None),
        ]

    async def _known_fact(self, tracker: Tracker, lang: str) -> KbAnswer | None:
        """The knowledge base's answer to the message when it has one that is no personal
        record's (else None: the service the NLU ranked first starts as usual)."""
        try:
            answers = await BackendClient(tracker.sender_id).kb_search(
                message_text(tracker)[:500], language_of(lang)
            )
        except (BackendUnavailable, BackendError):
            return None
        return answers[0] if answers and not answers[0].personal else None

    def _small_talk(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, intent: str, lang: str
    ) -> list[EventType]:
        if intent == "goodbye":
            say(dispatcher, lang, "common.goodbye")
            return [SlotSet("awaiting_menu", False), SlotSet(STRAYS, 0)]
        if intent == "thank":
            say(dispatcher, lang, "common.welcome")
            say(dispatcher, lang, "common.anything_else")
            return [SlotSet("awaiting_menu", True), SlotSet(STRAYS, 0)]
        if intent in BARE_ANSWERS:  # an answer with no question it could answer
            return stray(dispatcher, tracker, "fallback.no_question")
        if intent not in ("greet", "help"):  # out_of_scope, nlu_fallback, gibberish
            return stray(dispatcher, tracker, "fallback.out_of_scope")
        if intent == "greet":
            say(dispatcher, lang, "common.greet")
        say_menu(dispatcher, lang)
        return [SlotSet("awaiting_menu", True), SlotSet(STRAYS, 0)]


def own_record(
    dispatcher: CollectingDispatcher, tracker: Tracker, best: KbAnswer
) -> list[EventType]:
    """A question whose real answer is the worker's own record ("when will my money come"):
    looked up at once when verified; otherwise a money question first hears the general answer,
    and the verification that follows is the step that takes the UAN it asks for."""
    flow = "payment" if best.follow_up == "payment" else "status"
    if flow == "payment" and not tracker.get_slot("verification_token"):
        dispatcher.utter_message(text=f"{best.title}\n{best.text}".strip())
    return start_flow(flow, dispatcher, tracker)


def language_set_this_turn(tracker: Tracker) -> bool:
    """Did extract_language change the language after the latest user message?"""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == "language":
            return True
    return False


def last_bot_text(tracker: Tracker) -> str | None:
    for event in reversed(tracker.events):
        if event.get("event") == "bot" and event.get("text"):
            return str(event["text"])
    return None


def opening_facts(tracker: Tracker) -> dict[str, int | bool]:
    """What a request to join PM-SYM already says: an age (the NLU's age entity), memberships."""
    known: dict[str, int | bool] = dict(mentioned_memberships(tracker))
    for value in entity_values(tracker, "age"):
        age = parse_age(value)
        if age:
            known["age"] = age
            break
    said = find_age(tracker) if "age" not in known else None
    if said is not None and said >= LEAST_AGE_SAID:  # "I'm 50, can I join", heard as words
        known["age"] = said
    return known


def _joins_pm_sym(tracker: Tracker) -> bool:
    """To join PM-SYM: named so, or a pension named with no scheme (e-Shram has no pension)."""
    schemes = entity_values(tracker, "scheme")
    if schemes:
        return schemes[0] == "pm_sym"
    return joins_a_pension(message_text(tracker))


def about_another_scheme(tracker: Tracker) -> bool:
    """The words name a scheme, none of them PM-SYM, and no fact of the worker's own: a
    question about that scheme, not the PM-SYM check (a keypad choice is never this)."""
    schemes = set(entity_values(tracker, "scheme"))
    if keyed_intent(tracker) or not schemes or "pm_sym" in schemes:
        return False
    return not opening_facts(tracker)


def torn_with_a_question(tracker: Tracker) -> bool:
    """Was a scheme question ranked next to the service, within TORN of it (not a keypad
    choice, which the worker made on purpose)?"""
    ranking = tracker.latest_message.get("intent_ranking") or []
    if keyed_intent(tracker) or len(ranking) < 2:
        return False
    first, second = ranking[0], ranking[1]
    close = float(first.get("confidence") or 0) - float(second.get("confidence") or 0) < TORN
    return bool(second.get("name") == "ask_scheme_info" and close)


def speaks_for_a_worker(tracker: Tracker, intent: str) -> bool:
    """The writer speaks for a living worker ("I am calling for my father, he cannot use the
    phone"): the helper flow; a worker who died is the family's (routing.family_start)."""
    if metadata(tracker).get("menu_choice") == "helper":  # the phone keypad's key for it
        return True
    if intent != intent_of(tracker) or not acts_for_worker(message_text(tracker)):
        return False  # a menu number or a keypad key chose something else
    return family_request(tracker, intent) is None


def sure_of_intent(tracker: Tracker) -> bool:
    """Did the NLU rank the message's intent far enough ahead to act on it unasked?"""
    confidence = (tracker.latest_message.get("intent") or {}).get("confidence")
    return confidence is None or float(confidence) >= SURE_HANDOFF


def _ends_at_menu(events: list[EventType]) -> bool:
    """The turn ends waiting at the menu ("anything else?"), with no service starting."""
    waiting = any(e.get("name") == "awaiting_menu" and e.get("value") for e in events)
    return waiting and not any(e.get("event") == "followup" for e in events)


def ask_script(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Ask once, in Latin letters, which script a romanised writer wants to be written in."""
    asked_in = locale_for(tracker.get_slot("language"), "latin")
    buttons = [
        {"title": text(f"script.{script}", asked_in), "payload": text(f"script.{script}", asked_in)}
        for script in ("native", "latin")
    ]
    dispatcher.utter_message(text=text("script.which", asked_in), buttons=buttons)


def asks_for_officer(tracker: Tracker) -> bool:
    """In words, or by the text menu's number for "talk to an officer" (9) when it is shown."""
    if intent_of(tracker) == "talk_to_human" or keyed_intent(tracker) == "talk_to_human":
        return True
    if active_form(tracker) or not tracker.get_slot("awaiting_menu"):
        return False
    choice = number_choice(tracker, len(MENU_FLOWS))
    return choice is not None and INTENT_BY_MENU[choice] == "talk_to_human"


def keyed_intent(tracker: Tracker) -> str | None:
    """The service a phone keypad key chose: a key is never misheard, so it beats the NLU."""
    return INTENT_BY_CHOICE.get(str(metadata(tracker).get("menu_choice") or ""))
