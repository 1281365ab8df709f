"""Which wait may wrap which: a waiter gives up only after the one it waits for has answered
(the data, or a 503 it can resend), never first. Pure, so both sides check the same rule:
api/settings.py for the API and the action server, bot/launch.py for the values Rasa is started
with (the Rasa environment has no settings class).
"""

from __future__ import annotations

# Rasa's wait for one action holds the action server's call to the API (BACKEND_TIMEOUT_S) and
# the action's own work around it: parsing, rendering, Rasa's request itself.
ACTION_WORK_MARGIN_S = 1.0


def action_timeout_problem(backend_timeout_s: float, rasa_action_timeout_s: float) -> str | None:
    """Why Rasa would give up on an action that still waits for the API, or None."""
    if rasa_action_timeout_s < backend_timeout_s + ACTION_WORK_MARGIN_S:
        return (
            f"RASA_ACTION_TIMEOUT_S ({rasa_action_timeout_s:g} s) must be at least"
            f" {ACTION_WORK_MARGIN_S:g} s over BACKEND_TIMEOUT_S ({backend_timeout_s:g} s):"
            " Rasa would give up on an action while the action server still waits for the API"
        )
    return None
