"""A bare answer (a UAN, an age, yes or no) read in the context of what was last said.

Why: workers answer what they think was asked. A UAN alone means "look me up"; an age after an
answer that invited it ("tell me your age and I will give the exact figure") is that age; "yes"
after "anything else?" asks for the menu. Only when nothing fits does the assistant say it did not
ask anything, and never twice in a row: the next time it offers the likeliest tasks instead.
"""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from actions.handoff import transcript
from actions.inputs import channel_of, find_age, find_date, find_uan, message_text, yes_no
from actions.render import status_parts
from actions.routing.family_start import start_family
from actions.routing.flow_state import EXPECTING, STRAYS, token_expired
from actions.routing.services import FLOW_BY_INTENT, INTENT_BY_MENU
from actions.routing.start import start_flow
from actions.texts import MENU_FLOWS, lang_of, say, say_menu, text
from api.domain.family import FAMILY_CLAIM_TYPES
from api.language.pension_words import names_a_pension
from locales import language_of

logger = logging.getLogger(__name__)
LIKELY_DEFAULT = ("status", "eligibility", "human")
MAX_OFFERED = 3


def expecting(what: str | None) -> list[EventType]:
    return [SlotSet(EXPECTING, what)]


async def answer_in_context(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """Events for a bare answer that fits what was last said, else None."""
    invited = tracker.get_slot(EXPECTING)
    uan = find_uan(tracker)
    if uan:  # a UAN alone: look the worker up
        return [*_fresh(), *start_flow("status", dispatcher, tracker), SlotSet("uan", uan)]
    if not invited and not tracker.get_slot("awaiting_menu"):
        born = find_date(tracker)
        if born is not None:  # a date alone, nothing asked: a date of birth to look up with
            events = start_flow("status", dispatcher, tracker)
            return [*_fresh(), *events, SlotSet("pending_dob", born.isoformat())]
    answer = yes_no(tracker)
    if invited == "eligibility_age" or (not invited and _pension_talk(tracker)):
        age = find_age(tracker)
        if age:
            return await start_eligibility(dispatcher, tracker, {"age": age}, quiet=True)
    if invited == "eligibility_start" and answer is True:
        return [*_fresh(), *start_flow("eligibility", dispatcher, tracker)]
    if invited == "office_district" and answer is None:
        found = await _district_office(dispatcher, tracker)
        if found is not None:
            return found
    if invited == "callback" and answer is not None:
        return await _callback(dispatcher, tracker, accepted=answer)
    if invited == "erasure" and answer is not None:
        return await _erase(dispatcher, tracker, accepted=answer)
    if invited == "status_more" and answer is not None:
        return await _status_more(dispatcher, tracker, accepted=answer)
    if invited and invited.startswith("start:") and answer is not None:
        return _offered_service(dispatcher, tracker, invited, accepted=answer)
    if tracker.get_slot("awaiting_menu") and answer is not None:
        lang = lang_of(tracker)
        if answer:
            say_menu(dispatcher, lang)
            return [*_fresh(), SlotSet("awaiting_menu", True)]
        say(dispatcher, lang, "common.goodbye")
        return [*_fresh(), SlotSet("awaiting_menu", False)]
    return None


def _pension_talk(tracker: Tracker) -> bool:
    """One of the worker's two messages before this one named a pension: the knowledge base may
    have had no sure answer, or another question came between, but an age now is their age."""
    earlier = [e for e in reversed(tracker.events) if e.get("event") == "user"][1:3]
    return any(names_a_pension(str(e.get("text") or "")) for e in earlier)


def _fresh() -> list[EventType]:
    """An answer fitted: nothing is expected any more and the stray count starts again."""
    return [SlotSet(EXPECTING, None), SlotSet(STRAYS, 0)]


async def start_eligibility(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    known: dict[str, int | bool],
    *,
    quiet: bool = False,
) -> list[EventType]:
    """The PM-SYM check with what the worker already said (an age, "I have PF"): answers that
    already decide get the answer at once; otherwise the form asks only what is missing."""
    events = [*_fresh(), *start_flow("eligibility", dispatcher, tracker, quiet=quiet)]
    taken = [SlotSet(slot, value) for slot, value in known.items()]
    try:
        result = await BackendClient(tracker.sender_id).eligibility(**known)
    except (BackendUnavailable, BackendError) as error:
        logger.warning("eligibility check failed: %s", error)
        return [*events, *taken]
    if result.decided:  # e.g. over 40, an EPF member: said at once by the eligibility answer
        return [
            *[e for e in events if e.get("event") != "followup"],
            *taken,
            FollowupAction("action_submit_eligibility"),
        ]
    return [*events, *taken]


def stray(dispatcher: CollectingDispatcher, tracker: Tracker, msgid: str) -> list[EventType]:
    """Nothing fitted: the first time say so with the menu; after that offer the likeliest
    tasks (never the same "I did not ask anything" twice in a row)."""
    lang = lang_of(tracker)
    count = int(tracker.get_slot(STRAYS) or 0) + 1
    if count == 1:
        say(dispatcher, lang, msgid)
        say_menu(dispatcher, lang)
    else:
        offer_likely_tasks(dispatcher, tracker)
    return [SlotSet(STRAYS, count), SlotSet(EXPECTING, None), SlotSet("awaiting_menu", True)]


def offer_likely_tasks(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Two or three tasks the message most looks like, as buttons answered by a number."""
    lang = lang_of(tracker)
    flows = likely_flows(tracker)
    buttons = [
        {"title": text(f"menu.{flow}", lang), "payload": str(MENU_FLOWS.index(flow) + 1)}
        for flow in flows
    ]
    dispatcher.utter_message(text=text("fallback.likely_tasks", lang), buttons=buttons)


def likely_flows(tracker: Tracker) -> list[str]:
    """The services whose intents ranked highest for this message, then the commonest ones."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    menu_flow = {i: flow for flow, i in _flow_intents().items() if flow in MENU_FLOWS}
    found: list[str] = []
    for entry in ranking:
        flow = menu_flow.get(str(entry.get("name")))
        if flow and flow not in found:
            found.append(flow)
        if len(found) == MAX_OFFERED:
            return found
    for flow in LIKELY_DEFAULT:
        if flow not in found:
            found.append(flow)
    return found[:MAX_OFFERED]


def _flow_intents() -> dict[str, str]:
    """menu flow -> the intent that starts it."""
    flows = {FLOW_BY_INTENT[intent]: intent for intent in FLOW_BY_INTENT}
    flows["human"] = INTENT_BY_MENU[MENU_FLOWS.index("human") + 1]
    return flows


def _offered_service(
    dispatcher: CollectingDispatcher, tracker: Tracker, offer: str, *, accepted: bool
) -> list[EventType]:
    """Yes to "shall I start this for you?" after a knowledge answer starts that service (with
    the claim type the answer was about); no asks what else."""
    _, flow, claim_type = [*offer.split(":"), "", ""][:3]
    if not accepted:
        say(dispatcher, lang_of(tracker), "common.anything_else")
        return [*_fresh(), SlotSet("awaiting_menu", True)]
    if flow == "human":
        return [*_fresh(), SlotSet("handoff_reason", "asked"), FollowupAction("action_handoff")]
    if flow == "claim" and claim_type in FAMILY_CLAIM_TYPES:  # filed by the family
        return [*_fresh(), *start_family(dispatcher, tracker, claim_type)]
    events = [*_fresh(), *start_flow(flow, dispatcher, tracker)]
    return [*events, SlotSet("claim_type", claim_type)] if claim_type else events


async def _district_office(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """A district after "tell me your district": that district's office from the knowledge
    base (api/data/offices.yaml); None when nothing matches, and the message is read afresh."""
    lang = lang_of(tracker)
    try:
        answers = await BackendClient(tracker.sender_id).kb_search(
            message_text(tracker)[:200], language_of(lang)
        )
    except (BackendUnavailable, BackendError):
        return None
    if not answers or answers[0].personal:
        return None
    dispatcher.utter_message(text=f"{answers[0].title}\n{answers[0].text}".strip())
    say(dispatcher, lang, "common.anything_else")
    return [*_fresh(), SlotSet("awaiting_menu", True)]


async def _callback(
    dispatcher: CollectingDispatcher, tracker: Tracker, *, accepted: bool
) -> list[EventType]:
    """Yes to "shall an officer phone you back?": a call-back case for this number."""
    lang = lang_of(tracker)
    if not accepted:
        return [*_fresh()]
    try:
        reference = await BackendClient(tracker.sender_id).request_callback(
            channel=channel_of(tracker),
            language=language_of(lang),
            reason="asked",
            transcript=transcript(tracker),
            verification_token=tracker.get_slot("verification_token"),
        )
    except (BackendUnavailable, BackendError) as error:
        logger.warning("call-back request failed: %s", error)
        say(dispatcher, lang, "handoff.failed")
        return [*_fresh()]
    say(dispatcher, lang, "handoff.callback_booked", reference=reference)
    return [*_fresh()]


async def _erase(
    dispatcher: CollectingDispatcher, tracker: Tracker, *, accepted: bool
) -> list[EventType]:
    """Yes to "shall I erase your conversations?": the backend erases them (claims stay)."""
    lang = lang_of(tracker)
    token = tracker.get_slot("verification_token")
    if not accepted or not token:
        say(dispatcher, lang, "erasure.kept")
        say(dispatcher, lang, "common.anything_else")
        return [*_fresh(), SlotSet("awaiting_menu", True)]
    try:
        reference = await BackendClient(tracker.sender_id).erase_conversations(str(token))
    except BackendError as error:
        if error.code == "verification_required":
            return token_expired(dispatcher, lang)
        logger.warning("erasure failed: %s", error.code)
        say(dispatcher, lang, "error.backend_down")
        return [*_fresh()]
    except BackendUnavailable:
        say(dispatcher, lang, "error.backend_down")
        return [*_fresh()]
    say(dispatcher, lang, "erasure.done", reference=reference)
    say(dispatcher, lang, "common.anything_else")
    return [*_fresh(), SlotSet("awaiting_menu", True)]


async def _status_more(
    dispatcher: CollectingDispatcher, tracker: Tracker, *, accepted: bool
) -> list[EventType]:
    """After the newest request on the phone: the rest of the records if wanted, then the menu."""
    lang = lang_of(tracker)
    token = tracker.get_slot("verification_token")
    if accepted and token:
        try:
            status = await BackendClient(tracker.sender_id).status(token)
        except BackendError as error:
            if error.code == "verification_required":
                return [*_fresh(), *token_expired(dispatcher, lang)]
            say(dispatcher, lang, "error.backend_down")
            return _fresh()
        except BackendUnavailable:
            say(dispatcher, lang, "error.backend_down")
            return _fresh()
        _, rest = status_parts(status, lang, tracker.get_slot("worker_name") or "")
        dispatcher.utter_message(text=rest)
    say(dispatcher, lang, "common.anything_else")
    return [*_fresh(), SlotSet("awaiting_menu", True)]
