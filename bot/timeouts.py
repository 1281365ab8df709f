"""How long Rasa waits for the action server and for a bot text: RASA_ACTION_TIMEOUT_S, not 300 s.

Why: Rasa 3.6 waits 300 s for both and ignores `timeout:` in endpoints.yml, so a hung backend
would freeze a caller for minutes. For bot texts Rasa has a plug-in point: endpoints.yml names
our NLG class (`nlg: type: timeouts.TimedCallbackNLG`), which is Rasa's own callback NLG with an
endpoint that sets its own timeout. The action endpoint has none: bot/launch.py sets Rasa's
constant for it (rasa_patches.py, `action_timeout`).
"""

from __future__ import annotations

import os
from typing import Any

from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

TIMEOUT_ENV = "RASA_ACTION_TIMEOUT_S"


def request_timeout_s() -> float:
    """Seconds Rasa waits for one action server or NLG call (the environment's, else 5)."""
    return float(os.environ.get(TIMEOUT_ENV, "5"))


class TimedEndpoint(EndpointConfig):
    """An endpoint whose every request gives up after `timeout_s`, whatever the caller asks."""

    def __init__(self, config: EndpointConfig, timeout_s: float) -> None:
        super().__init__(
            url=config.url,
            params=config.params,
            headers=config.headers,
            basic_auth=config.basic_auth,
            token=config.token,
            token_name=config.token_name,
            cafile=config.cafile,
            **config.kwargs,
        )
        self.type = config.type
        self.timeout_s = timeout_s

    async def request(
        self,
        method: str = "post",
        subpath: str | None = None,
        content_type: str | None = "application/json",
        compress: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Rasa's request, with our timeout in place of the caller's 300 s."""
        kwargs["timeout"] = self.timeout_s
        try:
            return await super().request(method, subpath, content_type, compress, **kwargs)
        except Exception as error:
            from turns import fail_turn_on_text_error

            fail_turn_on_text_error(error)  # in a turn: the turn fails whole (bot/turns.py)
            raise


class TimedCallbackNLG(CallbackNaturalLanguageGenerator):
    """Rasa's callback NLG (`nlg: url:`), giving up after `request_timeout_s()`, with a lean
    request body and reply check (nlg_request.py)."""

    def __init__(self, endpoint_config: EndpointConfig, domain: Domain | None = None) -> None:
        super().__init__(TimedEndpoint(endpoint_config, request_timeout_s()))

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Rasa's `generate`: the tracker without its events, no debug copy of the body."""
        from nlg_request import request_body, valid_response
        from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT

        domain_responses = kwargs.pop("domain_responses", None)
        kwargs["response_id"] = self.fetch_response_id(
            utter_action, tracker, output_channel, domain_responses
        )
        body = request_body(utter_action, tracker, output_channel, **kwargs)
        response = await self.nlg_endpoint.request(
            method="post", json=body, timeout=DEFAULT_REQUEST_TIMEOUT
        )
        if isinstance(response, dict) and valid_response(response):
            return response
        raise RasaException("NLG web endpoint returned an invalid response.")
