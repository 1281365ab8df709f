"""Rasa's check of an action server reply, with the same verdicts at a fraction of the cost.

Why: Rasa validates every reply against its event schema, whose `oneOf` lists 23 event shapes;
jsonschema tries each event against all 23 to prove exactly one fits. That was ~10% of the
Rasa server's event loop under load (`make bench` profile), the thread every conversation waits
on. Each of the 23 shapes fixes `event` to its own constant, so at most the shape named by the
event's `event` can fit: checking that one shape alone gives the same verdict. Whenever a reply
is refused, the full schema is run as `jsonschema.validate` runs it (best match of all errors),
so the error is exactly Rasa's. bot/launch.py installs `validate_action_result` in place of
`RemoteAction._validate_action_result` through rasa_patches.py.
"""

from __future__ import annotations

import functools
from typing import Any


@functools.lru_cache(maxsize=1)
def _validators() -> tuple[Any, Any, dict[str, Any]]:
    """(whole reply, reply without per-event shapes, one validator per event name)."""
    import rasa.core.actions.action as rasa_action
    from jsonschema.validators import validator_for
    from rasa.shared.utils.schemas.events import EVENT_SCHEMA

    def compiled(schema: dict[str, Any]) -> Any:
        return validator_for(schema)(schema)

    full = rasa_action.RemoteAction.action_response_format_spec()
    outline = {
        **full,
        "properties": {**full["properties"], "events": {"type": "array"}},
    }
    common = {key: value for key, value in EVENT_SCHEMA.items() if key != "oneOf"}
    per_event = {
        shape["properties"]["event"]["const"]: compiled({**common, "allOf": [shape]})
        for shape in EVENT_SCHEMA["oneOf"]
    }
    return compiled(full), compiled(outline), per_event


def validate_action_reply(reply: Any) -> None:
    """Raise jsonschema's `ValidationError` where `jsonschema.validate(reply, spec)` would."""
    full, outline, per_event = _validators()
    if not outline.is_valid(reply):
        _raise_as_jsonschema(full, reply)
    for event in reply.get("events") or []:
        name = event.get("event") if isinstance(event, dict) else None
        if not isinstance(name, str) or name not in per_event:
            _raise_as_jsonschema(full, reply)  # not a known event: Rasa's own error
            continue
        if not per_event[name].is_valid(event):
            _raise_as_jsonschema(full, reply)


def _raise_as_jsonschema(validator: Any, reply: Any) -> None:
    """`jsonschema.validate`'s own choice of error: the best match among all of them."""
    from jsonschema.exceptions import best_match

    error = best_match(validator.iter_errors(reply))
    if error is not None:
        raise error


def validate_action_result(self: object, result: dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result` of Rasa 3.6.21, with `validate_action_reply`.

    Stock Rasa calls `jsonschema.validate`, which re-checks the schema itself on every action
    call (~30% of the Rasa server's CPU under load, make bench) before the 23-shape check.
    """
    from jsonschema import ValidationError
    from rasa.shared.constants import DOCS_BASE_URL

    try:
        validate_action_reply(result)
        return True
    except ValidationError as error:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
