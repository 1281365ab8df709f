"""Every place this project changes or leans on Rasa's internals, written for one Rasa version.

Why: Rasa has no plug-in point for these (docs/contracts.md, "Rasa patches"). A patch written for
one version can, on another, silently do nothing (a constant no longer read) or break a turn (a
method with new arguments). So each entry names what it changes and the Rasa code it relies on,
with a fingerprint of that code as it is in `RASA_VERSION`; `apply()` refuses to start Rasa
while anything differs, and an upgrade means reading the changed code, then recording the new
fingerprints here (`python bot/rasa_patches.py` prints them all, marking those that differ).

Kinds: `set` a module constant, `replace` a function (by ours, named in `by`), `override` a
method in our subclass of a Rasa class that Rasa loads through one of its plug-in points
(custom channel, tracker store or NLG class): nothing is set, but the same review applies.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

RASA_VERSION = "3.6.21"

_ACTION = "rasa.core.actions.action"
_REST = "rasa.core.channels.rest.RestInput"
_SQL_STORE = "rasa.core.tracker_store.SQLTrackerStore"
_PROCESSOR = "rasa.core.processor.MessageProcessor"
_STORY_READER = "rasa.shared.core.training_data.story_reader.yaml_story_reader.YAMLStoryReader"
_REGEX_HANDLER = "rasa.nlu.classifiers.regex_message_handler.RegexMessageHandler"
_NLG_GENERATOR = "rasa.core.nlg.generator"
_CALLBACK_NLG = "rasa.core.nlg.callback.CallbackNaturalLanguageGenerator"
_ENDPOINT = "rasa.utils.endpoints.EndpointConfig"
_AGENT = "rasa.core.agent"
_FAILSAFE = "rasa.core.tracker_store.FailSafeTrackerStore"


@dataclass(frozen=True)
class Patch:
    """One change to Rasa: what, how, why, and the Rasa code (fingerprinted) it relies on."""

    name: str
    kind: Literal["set", "replace", "override"]
    target: str  # dotted path of what is set, replaced or overridden
    why: str
    relies_on: Mapping[str, str] = field(default_factory=dict)  # dotted path -> fingerprint
    by: str = ""  # ours: dotted path of the replacing function or overriding method


PATCHES: tuple[Patch, ...] = (
    Patch(
        "action_timeout",
        "set",
        f"{_ACTION}.DEFAULT_REQUEST_TIMEOUT",
        "Rasa waits 300 s for the action server and ignores `timeout:` in endpoints.yml",
        {
            # reads the constant at call time, passes it to the request as its timeout
            f"{_ACTION}.RemoteAction.run": "ccabf6f1160d527a",
            f"{_ENDPOINT}.request": "ccdb778aed8208e2",
        },
    ),
    Patch(
        "nlg_timeout",
        "override",
        f"{_ENDPOINT}.request",
        "the same 300 s wait for every bot text; endpoints.yml names our NLG class (timeouts.py)",
        {
            # loads our class by its `type:`
            f"{_NLG_GENERATOR}._create_from_endpoint_config": "cb592bfd17773294",
            f"{_NLG_GENERATOR}._load_from_module_name_in_endpoint_config": "afee96d611431eb7",
            f"{_CALLBACK_NLG}.__init__": "2dcaec0cc660c36d",  # keeps our endpoint
            f"{_CALLBACK_NLG}.generate": "7ad000406175c9af",  # calls its request
            f"{_ENDPOINT}.__init__": "07e0715d80d8e880",  # what TimedEndpoint copies
            f"{_ENDPOINT}.request": "ccdb778aed8208e2",
        },
        by="timeouts.TimedEndpoint.request",
    ),
    Patch(
        "reply_validation",
        "replace",
        f"{_ACTION}.RemoteAction._validate_action_result",
        "the same verdicts as Rasa's jsonschema check at a fraction of its CPU",
        {
            f"{_ACTION}.RemoteAction._validate_action_result": "f8cdb4be68123961",
            f"{_ACTION}.RemoteAction.action_response_format_spec": "091b74aa3738d126",
            "rasa.shared.utils.schemas.events.EVENT_SCHEMA": "a8971434c49677a9",
        },
        by="reply_validation.validate_action_result",
    ),
    Patch(
        "parse_off_loop",
        "replace",
        f"{_PROCESSOR}.parse_message",
        "the NLU graph runs on one thread of its own, not on the event loop",
        {
            f"{_PROCESSOR}.parse_message": "b98d8e49b9f2c433",
            f"{_PROCESSOR}._parse_message_with_graph": "0bd50a53b5c013af",  # run on the thread
        },
        by="parse_thread.parse_message",
    ),
    Patch(
        "signed_models",
        "replace",
        f"{_PROCESSOR}._load_model",
        "a model archive is pickles: only one whose signature matches is unpacked (model_signing)",
        {
            f"{_PROCESSOR}._load_model": "17f24faf96817bdf",  # what we wrap, and its answer
            f"{_PROCESSOR}.__init__": "e7cdae90996508bf",  # its one caller
            # every way a model gets in builds a MessageProcessor through Agent.load_model:
            f"{_AGENT}.Agent.load_model": "f4c1ab4c5c7af634",
            f"{_AGENT}.load_agent": "abc2a4cb13cbbd2b",  # start-up, PUT /model
            f"{_AGENT}._load_and_set_updated_model": "49d7db10bd569934",  # a model server
            f"{_AGENT}.Agent.load_model_from_remote_storage": "61bd274cfdd1d888",
            # what unpacks the archive: called by _load_model only (tests/bot)
            "rasa.engine.loader.load_predict_graph_runner": "9f4ca7b6f64b05ea",
        },
        by="model_signing.load_signed_model",
    ),
    Patch(
        "once_per_message",
        "replace",
        f"{_PROCESSOR}.handle_message",
        "a resent message (same message_id) is answered again, not taken twice; a turn whose "
        "action failed is not saved half-way (turns.py)",
        {
            f"{_PROCESSOR}.handle_message": "0c41d4780d2d4676",  # copied, with the two changes
            f"{_PROCESSOR}.log_message": "f2f8ec66a291d83d",  # appends the message, unsaved
            f"{_PROCESSOR}._run_prediction_loop": "cb30a0cbb690c571",
            "rasa.core.agent.Agent.handle_message": "ba53507e4d5532a3",  # under the lock
            f"{_REST}.blueprint": "886a9338e4c2505a",  # a failed turn: what was collected
            "rasa.shared.core.events.BotUttered.message": "97501cd4dde3565c",  # a reply again
        },
        by="turns.handle_message",
    ),
    Patch(
        "failed_action_fails_turn",
        "replace",
        f"{_ACTION}.RemoteAction.run",
        "Rasa drops a failed action's events and carries on, saving a half-done turn (turns.py)",
        {
            f"{_ACTION}.RemoteAction.run": "ccabf6f1160d527a",  # called as it is
            f"{_PROCESSOR}._run_action": "6d383d0179ef1187",  # catches Exception, not ours
            f"{_ACTION}.ActionExtractSlots._run_custom_action": "a20d71ee74b1cd5c",  # the same
        },
        by="turns.run_remote_action",
    ),
    Patch(
        "store_failure_fails_turn",
        "replace",
        f"{_AGENT}.Agent._create_tracker_store",
        "a tracker store that cannot read or save falls back to an empty in-memory conversation "
        "and answers from it (turns.py)",
        {
            f"{_AGENT}.Agent._create_tracker_store": "97499b594b45581b",  # copied, + callback
            f"{_AGENT}.Agent.__init__": "ccaa168ffee74e4e",  # its one caller
            # the callback is called inside their `except`: raising from it ends the call
            f"{_FAILSAFE}.__init__": "a1d5d95d2f96830b",
            f"{_FAILSAFE}.retrieve": "35d77318b0cc7977",
            f"{_FAILSAFE}.save": "8426dc08f58d7110",
            f"{_FAILSAFE}.on_tracker_store_error": "6faca7ba72b36da4",
            f"{_FAILSAFE}.on_tracker_store_retrieve_error": "162b49564c52ab49",
            f"{_PROCESSOR}.save_tracker": "e4532dd4d2970f5d",  # turns.handle_message's save
        },
        by="turns.create_tracker_store",
    ),
    Patch(
        "keep_logging_config",
        "replace",
        "rasa.utils.io.configure_colored_logging",
        "with --logging-config-file, Rasa's coloredlogs would replace the file's JSON handler",
        {
            "rasa.utils.io.configure_colored_logging": "19ab6f36d98048df",
            "rasa.__main__.main": "2f38a2b1d86fd943",  # calls it after applying the file
        },
        by="launch.keep_configured_logging",
    ),
    Patch(
        "safe_rest_channel",
        "override",
        f"{_REST}._extract_message",
        "no text reaches Rasa as a slash command (channels.py)",
        {
            f"{_REST}._extract_message": "5182b25edf8d4baa",
            f"{_REST}.blueprint": "886a9338e4c2505a",  # reads the text through it only
            "rasa.core.channels.channel.UserMessage.__init__": "1a09604afc04796e",  # strips
            # what a command is
            "rasa.shared.constants.INTENT_MESSAGE_PREFIX": "df7e940f72aa93cb",
            f"{_STORY_READER}.unpack_regex_message": "bf81f8a66c2c3e52",
            f"{_STORY_READER}._regex_message_pattern": "74ff5e0923c7da5d",
            f"{_REGEX_HANDLER}.process": "c0b15285ba78223d",
        },
        by="channels.SafeRestInput._extract_message",
    ),
    Patch(
        "lock_queue",
        "replace",
        "rasa.core.lock.TicketLock.is_locked",
        "a turn waiting behind a Rasa process that died could wait until the lock was deleted "
        "(its own ticket expired too; locks.py)",
        {
            "rasa.core.lock.TicketLock.is_locked": "fdce966e493f6113",
            "rasa.core.lock.TicketLock.remove_expired_tickets": "072ce50022e92446",
            "rasa.core.lock.TicketLock.issue_ticket": "e657493ddd22ee74",  # numbers go up
            "rasa.core.lock_store.LockStore._acquire_lock": "ead2fff373291c24",  # calls it
            "rasa.core.lock_store.LockStore.lock": "8b9b716c031a3444",
        },
        by="locks.is_locked",
    ),
    Patch(
        "lock_lease",
        "replace",
        "rasa.core.lock_store.LockStore.lock",
        "a Rasa process that died held its conversations until its tickets' lifetime ran out "
        "(10 s in the cluster, Rasa's default 60 s); a renewed ticket lapses within 4 s (locks.py)",
        {
            "rasa.core.lock_store.LockStore.lock": "8b9b716c031a3444",  # ours does the same
            "rasa.core.lock_store.LockStore._acquire_lock": "ead2fff373291c24",
            "rasa.core.lock_store.LockStore.cleanup": "f2ba1745c8153f92",
            "rasa.core.lock_store.LockStore.issue_ticket": "4dfdfb5e62c1dda9",
            # renew: read, change, save
            "rasa.core.lock_store.RedisLockStore.get_lock": "57d7f8558543450d",
            "rasa.core.lock_store.RedisLockStore.save_lock": "204875b9029c7f18",
            "rasa.core.lock.Ticket.__init__": "e0825e33cd22112b",
            # the callers: they pass no lifetime (ours: TICKET_LOCK_LIFETIME or LEASE_S)
            "rasa.core.agent.Agent.handle_message": "ba53507e4d5532a3",
            f"{_PROCESSOR}.handle_reminder": "6a1c38c1c74eebff",
        },
        by="locks.lock",
    ),
    Patch(
        "lean_nlg",
        "override",
        f"{_CALLBACK_NLG}.generate",
        "every bot text serialised the whole conversation twice and checked the schema itself "
        "before the reply; the action server reads slots and sender only (nlg_request.py)",
        {
            f"{_CALLBACK_NLG}.generate": "7ad000406175c9af",  # copied, lean body and check
            "rasa.core.nlg.callback.nlg_request_format": "97710670dc2f0523",  # the same keys
            f"{_CALLBACK_NLG}.validate_response": "031526bb7d8d418f",  # the same verdicts
            "rasa.core.nlg.callback.nlg_response_format_spec": "683b20526edb8d24",
            f"{_CALLBACK_NLG}.fetch_response_id": "7cf5c19fd16101b7",  # called as it is
            f"{_ACTION}.ActionBotResponse.run": "d4377cff5df4be0f",  # the caller
        },
        by="timeouts.TimedCallbackNLG.generate",
    ),
    Patch(
        "keep_alive",
        "replace",
        f"{_ENDPOINT}.session",
        "a new HTTP session and TCP connection for every action and bot text (keep_alive.py)",
        {
            f"{_ENDPOINT}.session": "e55aa13d9d4fb4bc",  # ours builds the same session
            f"{_ENDPOINT}.request": "ccdb778aed8208e2",  # `async with self.session()`
            f"{_AGENT}._pull_model_and_fingerprint": "373d0bc12bb9a25c",  # the other user
        },
        by="keep_alive.session",
    ),
    Patch(
        "local_tracker_store",
        "override",
        f"{_SQL_STORE}._additional_events",
        "a turn's new events counted by one prepared statement (local_tracker_store.py)",
        {
            f"{_SQL_STORE}._additional_events": "d22f99eb863acb07",
            f"{_SQL_STORE}.save": "57165e46eab3de08",  # calls it
            f"{_SQL_STORE}._event_query": "cd44f7901b860bfd",  # what our count must equal
            f"{_SQL_STORE}.retrieve": "0d99846daced97d3",  # the latest session: we keep it
            f"{_SQL_STORE}.__init__": "64e704d159dfa35b",  # its engine: we replace it
        },
        by="local_tracker_store.LocalSQLiteTrackerStore._additional_events",
    ),
)

_originals: dict[str, Any] = {}  # target -> Rasa's own, once replaced


class RasaPatchError(RuntimeError):
    """The installed Rasa is not the one the patches were written for."""


def resolve(dotted: str) -> Any:
    """The object at `dotted` (module, then attributes); Rasa's own if we replaced it."""
    if dotted in _originals:
        return _originals[dotted]
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            found = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name is None or not module_name.startswith(error.name):
                raise  # a module that exists failed to import: not ours to hide
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)
        return found
    raise ModuleNotFoundError(dotted)


def fingerprint(obj: Any) -> str:
    """16 hex digits of SHA-256 over the source of a function or class, or a value's JSON."""
    if inspect.isroutine(obj) or inspect.isclass(obj):
        text = inspect.getsource(obj)
    else:
        text = json.dumps(obj, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def check(patches: Iterable[Patch] = PATCHES, version: str | None = None) -> list[str]:
    """Every way the installed Rasa differs from what `patches` were written for."""
    if version is None:
        from rasa.version import __version__ as version
    problems = []
    if version != RASA_VERSION:
        problems.append(f"Rasa {version} is installed; the patches are for {RASA_VERSION}")
    for patch in patches:
        problems += _problems_of(patch)
    return problems


def _problems_of(patch: Patch) -> list[str]:
    try:
        target = resolve(patch.target)
    except (ImportError, AttributeError) as error:
        return [f"{patch.name}: {patch.target} is gone ({error!r})"]
    problems = []
    for dotted, expected in patch.relies_on.items():
        try:
            seen = fingerprint(resolve(dotted))
        except (ImportError, AttributeError, OSError, TypeError) as error:
            problems.append(f"{patch.name}: cannot read {dotted} ({error!r})")
            continue
        if seen != expected:
            problems.append(
                f"{patch.name}: {dotted} changed (fingerprint {seen}, "
                f"recorded {expected} for Rasa {RASA_VERSION})"
            )
    if patch.by:
        rasas, ours = _parameters(target), _parameters(resolve(patch.by))
        if rasas != ours:
            problems.append(f"{patch.name}: {patch.target}{rasas} but {patch.by}{ours}")
    return problems


def _parameters(function: Any) -> tuple[str, ...]:
    return tuple(inspect.signature(function).parameters)


def apply(names: Iterable[str], values: Mapping[str, Any] | None = None) -> None:
    """Check every patch, then make the named ones (`set` ones take their value from `values`).

    Raises RasaPatchError, listing each difference, instead of patching a Rasa it was not
    written for.
    """
    wanted = set(names)
    chosen = [patch for patch in PATCHES if patch.name in wanted]
    if wanted - {patch.name for patch in chosen} or any(p.kind == "override" for p in chosen):
        raise ValueError(f"not patches to apply: {sorted(wanted)} (overrides are Rasa's to load)")
    problems = check()
    if problems:
        raise RasaPatchError(
            f"bot/rasa_patches.py was written for Rasa {RASA_VERSION}; review before running:\n  "
            + "\n  ".join(problems)
        )
    for patch in chosen:
        owner_path, attribute = patch.target.rsplit(".", 1)
        owner = resolve(owner_path)
        _originals.setdefault(patch.target, getattr(owner, attribute))
        value = (values or {})[patch.name] if patch.kind == "set" else resolve(patch.by)
        if isinstance(inspect.getattr_static(owner, attribute), staticmethod):
            value = staticmethod(value)  # called on instances too: no `self` may be passed
        setattr(owner, attribute, value)


def _print_fingerprints() -> None:
    """For a review: every fingerprint as installed, and whether it is the recorded one."""
    for patch in PATCHES:
        for dotted, expected in patch.relies_on.items():
            seen = fingerprint(resolve(dotted))
            print(f"{patch.name:20} {seen} {'ok     ' if seen == expected else 'CHANGED'} {dotted}")


if __name__ == "__main__":
    _print_fingerprints()
