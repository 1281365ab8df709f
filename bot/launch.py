"""Start the Rasa CLI with a short action timeout and the NLU parse off the event loop.

Why: Rasa 3.6 waits 300 s for an action server call and ignores `timeout:` in endpoints.yml, so a
hung backend would freeze a caller for minutes. The constant is read at call time from
`rasa.core.actions.action`, so patching it before `main()` is enough.

Rasa runs the NLU graph (our sentence embedding: ~15 ms of C code per message) inside its event
loop, so every other conversation waits while one message is parsed. `_parse_message` runs it on
one dedicated thread instead (the embedding releases the GIL): parses still go one at a time, in
order, but tracker I/O and action calls of other conversations go on meanwhile.

Run with the Rasa environment: `.venv-bot/bin/python bot/launch.py run --enable-api ...`.
"""

from __future__ import annotations

import asyncio
import functools
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from reply_validation import validate_action_reply  # beside this file, as channels.py

ACTION_TIMEOUT_S = float(os.environ.get("RASA_ACTION_TIMEOUT_S", "5"))
# Python's default 5 ms: a parse coming back from the embedding (C code, GIL released) waited
# up to that long, several times per message, while the event loop held the GIL. At 1 ms the
# stack answered 50-58 turns/s at 100 conversations instead of 39-50 (make bench, 2 cores).
GIL_SWITCH_INTERVAL_S = 0.001


def main(argv: list[str] | None = None) -> None:
    """Patch the timeouts, then hand over to `rasa` exactly as the CLI would."""
    import rasa.__main__ as rasa_main
    import rasa.core.actions.action as rasa_action
    import rasa.core.nlg.callback as rasa_nlg_callback
    from rasa.core.processor import MessageProcessor

    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    rasa_action.DEFAULT_REQUEST_TIMEOUT = ACTION_TIMEOUT_S
    rasa_action.RemoteAction._validate_action_result = _validate_action_result
    rasa_nlg_callback.DEFAULT_REQUEST_TIMEOUT = ACTION_TIMEOUT_S
    MessageProcessor.parse_message = _parse_message
    # channels.py lives beside this file; credentials.yml names it as `channels.SafeRestInput`.
    bot_dir = str(Path(__file__).resolve().parent)
    if bot_dir not in sys.path:
        sys.path.insert(0, bot_dir)
    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    if "--logging-config-file" in sys.argv:
        # Rasa installs coloredlogs after applying the file, replacing our JSON handler.
        import rasa.utils.io as rasa_io

        rasa_io.configure_colored_logging = _keep_configured_logging
    rasa_main.main()


@functools.lru_cache(maxsize=1)
def _parse_thread() -> ThreadPoolExecutor:
    """One thread: parses stay in arrival order and never run two at once."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlu-parse")


async def _parse_message(
    self: Any, message: Any, tracker: Any = None, only_output_properties: bool = True
) -> dict[str, Any]:
    """Rasa 3.6's `MessageProcessor.parse_message`, with the graph run on the parse thread."""
    if self.http_interpreter:
        parse_data = await self.http_interpreter.parse(message)
    else:
        if tracker is None:
            from rasa.shared.core.trackers import DialogueStateTracker

            tracker = DialogueStateTracker.from_events(message.sender_id, [])
        parse_data = await asyncio.get_running_loop().run_in_executor(
            _parse_thread(),
            self._parse_message_with_graph,
            message,
            tracker,
            only_output_properties,
        )
    self._update_full_retrieval_intent(parse_data)
    self._check_for_unseen_features(parse_data)
    return parse_data


def _validate_action_result(self: object, result: dict) -> bool:
    """Rasa's check of an action server reply, with the same verdicts, made cheap.

    Stock Rasa calls `jsonschema.validate`, which re-checks the schema itself on every action
    call (~30% of the Rasa server's CPU under load, make bench) and tries every event against
    all 23 event shapes (~10% of its event loop): see reply_validation.py.
    """
    validate_action_reply(result)
    return True


def _keep_configured_logging(loglevel: str | None) -> None:
    """Stand-in for Rasa's coloredlogs set-up: the logging config file already decided."""


if __name__ == "__main__":
    main()
