"""The body of a bot-text request and the check of its reply, cheaper than Rasa's, same meaning.

Why: for every bot text Rasa 3.6 serialises the whole conversation (`current_state` with every
event) into the request, then `json.dumps` it once more for a debug line that is built even
when debug logging is off, and checks the reply with `jsonschema.validate`, which first checks
the schema itself against its meta-schema, on every call (~4% of the Rasa server's samples
under 25 conversations, `make bench` profile, growing with each turn of a conversation). The
action server's `/nlg` reads the slots, `sender_id` and `latest_message.metadata` only
(actions/nlg.py, rasa_sdk_plugins/hooks.py), so the tracker goes without its events (`null`);
the reply is checked against Rasa's own schema, compiled once: the same verdicts and errors.
"""

from __future__ import annotations

import functools
from typing import Any


def request_body(
    utter_action: str, tracker: Any, output_channel: str, **kwargs: Any
) -> dict[str, Any]:
    """Rasa's `nlg_request_format`, with the tracker's state but not its events."""
    from rasa.shared.core.trackers import EventVerbosity

    response_id = kwargs.pop("response_id", None)
    return {
        "response": utter_action,
        "id": response_id,
        "arguments": kwargs,
        "tracker": tracker.current_state(EventVerbosity.NONE),
        "channel": {"name": output_channel},
    }


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.nlg.callback import nlg_response_format_spec

    schema = nlg_response_format_spec()
    return validator_for(schema)(schema)


def valid_response(content: Any) -> bool:
    """Rasa's `validate_response`: True, or RasaException with jsonschema's best error."""
    from jsonschema.exceptions import best_match
    from rasa.shared.exceptions import RasaException

    if content is None or content == "":
        return True  # the endpoint chose to say nothing
    error = best_match(_validator().iter_errors(content))
    if error is None:
        return True
    raise RasaException(
        f"{error.message}. Failed to validate NLG response from API, make sure your response "
        "from the NLG endpoint is valid. For more information about the format please consult "
        "the `nlg_response_format_spec` function from this same module: "
        "https://github.com/RasaHQ/rasa/blob/main/rasa/core/nlg/callback.py"
    )
