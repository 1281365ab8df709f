"""A turn happens once, whole or not at all: Rasa's `handle_message` with two changes.

Why: several Rasa servers share conversations behind a load balancer, and any process may die.
- A message resent after its reply was lost (the web chat resends with the same `message_id`)
  must not be taken twice: a "yes" would answer the next question too. Under the
  conversation's lock, a message whose `message_id` the conversation already holds gets that
  turn's replies again and changes nothing.
- Rasa 3.6 carries on when an action fails (action server killed, a timeout): it drops that
  action's events, keeps the user's message and saves the conversation half-way, so a form
  forgets the step it was on and the resent message finds nothing to answer. Here a failed
  action ends the turn at once: nothing is saved, nothing is said (Rasa's REST channel answers
  an empty list; the backend then answers 503 and the message is resent). The same for a bot
  text the NLG server (the action server) could not give: a form's next question unworded cost
  the worker's answer in the cluster fault test (timeouts.py calls `fail_turn_on_text_error`).
- Rasa 3.6 wraps the tracker store in a `FailSafeTrackerStore` that, when the database cannot
  be read (a PostgreSQL restart), answers from an empty conversation, and when it cannot be
  written, keeps the turn in process memory and answers anyway: the worker got a fresh
  session's "I did not ask anything" or a reply the database never kept, and the next message
  met the old state (the cluster fault test lost two claims so). Here either failure ends the
  turn the same way as a failed action: nothing said, the message resent.

rasa_patches.py applies them (`once_per_message`, `failed_action_fails_turn`,
`store_failure_fails_turn`) and fingerprints the Rasa code they copy or lean on.
"""

from __future__ import annotations

import logging
import weakref
from contextvars import ContextVar
from typing import Any

import rasa.shared.utils.io
from rasa.core.actions.action import ActionExecutionRejection
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.shared.constants import DOCS_URL_POLICIES
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.data import TrainingType
from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)

MESSAGE_ID = "message_id"  # the key the backend puts in a web chat message's metadata
# the output channels of turns where an action failed
_failed: weakref.WeakSet[OutputChannel] = weakref.WeakSet()
# inside handle_message below (elsewhere, e.g. Rasa's HTTP API running an action: Rasa's way)
_in_turn: ContextVar[bool] = ContextVar("in_turn", default=False)


class ActionFailed(BaseException):
    """Raised out of a failed action. A BaseException because Rasa catches every Exception an
    action raises (`MessageProcessor._run_action`, `ActionExtractSlots`) and carries on."""


class TurnFailed(RasaException):
    """The turn was abandoned: an action failed; the conversation is as it was before it."""


class StoreFailed(RasaException):
    """The tracker store could not read or save the conversation: the turn is abandoned."""


def _store_failed(error: Exception) -> None:
    """FailSafeTrackerStore's error callback: fail instead of falling back to process memory."""
    logger.warning("tracker store failed (%s): the turn is abandoned", type(error).__name__)
    raise StoreFailed(type(error).__name__) from error


def create_tracker_store(store: Any, domain: Any) -> Any:
    """`Agent._create_tracker_store` of Rasa 3.6.21, its FailSafeTrackerStore given a callback
    that fails the turn (Rasa passes none, so it falls back to an in-memory store)."""
    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore

    if store is not None:
        store.domain = domain
        tracker_store = store
    else:
        tracker_store = InMemoryTrackerStore(domain)
    return FailSafeTrackerStore(tracker_store, on_tracker_store_error=_store_failed)


async def run_remote_action(
    self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any
) -> Any:
    """`RemoteAction.run`, ending the turn when the action server fails or is too slow (a
    rejection, which forms use to say "not this slot", is no failure)."""
    from rasa_patches import resolve

    rasas = resolve("rasa.core.actions.action.RemoteAction.run")
    try:
        return await rasas(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise
    except Exception as error:
        if not _in_turn.get():
            raise
        logger.warning("action %s failed (%r): the turn is abandoned", self.name(), error)
        _failed.add(output_channel)
        raise ActionFailed(self.name()) from error


def fail_turn_on_text_error(error: Exception) -> None:
    """A bot text the NLG server could not give (it is the action server too, and died): inside
    a turn, the turn fails like a failed action, unsaved, and the message is resent. Rasa would
    catch the error, drop the form's events and save the turn half-done (the worker's answer
    lost). Outside a turn (Rasa's HTTP API), the error goes on as it was."""
    if _in_turn.get():
        logger.warning("a bot text failed (%r): the turn is abandoned", error)
        raise ActionFailed("bot text") from error


def earlier_replies(tracker: DialogueStateTracker, message: UserMessage) -> list[dict[str, Any]]:
    """What Rasa said after the earlier message with this message's `message_id` (as read
    back from the store: an identity step's words unsealed; bot/local_tracker_store.py)."""
    wanted = (message.metadata or {}).get(MESSAGE_ID)
    replies: list[dict[str, Any]] = []
    found = False
    for event in list(tracker.events)[:-1]:  # the last one is this message, just logged
        if isinstance(event, UserUttered):
            if found:
                break
            found = bool(wanted) and (event.metadata or {}).get(MESSAGE_ID) == wanted
        elif found and isinstance(event, BotUttered):
            replies.append(event.message())
    return replies


def seen_before(tracker: DialogueStateTracker, message: UserMessage) -> bool:
    """Does the conversation already hold a user message with this message's `message_id`?"""
    wanted = (message.metadata or {}).get(MESSAGE_ID)
    if not wanted:
        return False
    return any(
        isinstance(event, UserUttered) and (event.metadata or {}).get(MESSAGE_ID) == wanted
        for event in list(tracker.events)[:-1]
    )


async def handle_message(self: Any, message: UserMessage) -> list[dict[str, Any]] | None:
    """`MessageProcessor.handle_message` of Rasa 3.6.21 (under the conversation's lock), with a
    message already taken answered again and a turn with a failed action not saved."""
    tracker = await self.log_message(message, should_save_tracker=False)

    if seen_before(tracker, message):  # resent: its turn's replies again, nothing changes
        logger.info("message taken before: its replies are sent again")
        for reply in earlier_replies(tracker, message):
            await message.output_channel.send_response(message.sender_id, reply)
        return _collected(message.output_channel)

    if self.model_metadata.training_type == TrainingType.NLU:  # as Rasa: no dialogue model
        await self.save_tracker(tracker)
        rasa.shared.utils.io.raise_warning(
            "No core model. Skipping action prediction and execution.", docs=DOCS_URL_POLICIES
        )
        return None

    entered = _in_turn.set(True)
    try:
        tracker = await self.run_action_extract_slots(message.output_channel, tracker)
        await self._run_prediction_loop(message.output_channel, tracker)
    except ActionFailed as failed:
        _forget(message.output_channel)
        raise TurnFailed(f"action {failed} failed; the turn is not saved") from failed
    finally:
        _in_turn.reset(entered)
    if message.output_channel in _failed:  # a failure some Rasa code caught and logged
        _forget(message.output_channel)
        raise TurnFailed("an action failed; the turn is not saved")

    await self.run_anonymization_pipeline(tracker)
    try:
        await self.save_tracker(tracker)
    except StoreFailed as failed:  # not kept: nothing of it is shown, the message is resent
        _forget(message.output_channel)
        raise TurnFailed("the conversation could not be saved") from failed
    return _collected(message.output_channel)


def _collected(channel: OutputChannel) -> list[dict[str, Any]] | None:
    return channel.messages if isinstance(channel, CollectingOutputChannel) else None


def _forget(channel: OutputChannel) -> None:
    """Nothing of an abandoned turn is shown (Rasa's REST channel returns what was collected)."""
    _failed.discard(channel)
    if isinstance(channel, CollectingOutputChannel):
        channel.messages.clear()
