"""Rasa's `MessageProcessor.parse_message`, with the NLU graph run off the event loop.

Why: Rasa 3.6 runs the NLU graph (our sentence embedding: ~15 ms of C code per message) inside
its event loop, so every other conversation waits while one message is parsed. Here the graph
runs on one dedicated thread instead (the embedding releases the GIL): parses still go one at a
time, in arrival order, but tracker I/O and action calls of other conversations go on meanwhile.
Installed by bot/launch.py through rasa_patches.py, which checks Rasa's original is unchanged.
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor
from typing import Any


@functools.lru_cache(maxsize=1)
def parse_executor() -> ThreadPoolExecutor:
    """One thread: parses stay in arrival order and never run two at once."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlu-parse")


async def parse_message(
    self: Any, message: Any, tracker: Any = None, only_output_properties: bool = True
) -> dict[str, Any]:
    """Rasa 3.6.21's `parse_message`, line for line, but for where the graph runs.

    Rasa's debug log of each parse is left out: it deep-copies the parse even when debug
    logging is off.
    """
    if self.http_interpreter:
        parse_data = await self.http_interpreter.parse(message)
    else:
        if tracker is None:
            from rasa.shared.core.trackers import DialogueStateTracker

            tracker = DialogueStateTracker.from_events(message.sender_id, [])
        parse_data = await asyncio.get_running_loop().run_in_executor(
            parse_executor(),
            self._parse_message_with_graph,
            message,
            tracker,
            only_output_properties,
        )
    self._update_full_retrieval_intent(parse_data)
    self._check_for_unseen_features(parse_data)
    return parse_data
