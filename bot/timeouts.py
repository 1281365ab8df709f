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
    """Rasa's callback NLG (`nlg: url:`), giving up after `request_timeout_s()`."""

    def __init__(self, endpoint_config: EndpointConfig, domain: Domain | None = None) -> None:
        super().__init__(TimedEndpoint(endpoint_config, request_timeout_s()))
