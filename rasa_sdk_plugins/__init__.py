"""rasa-sdk plugins: bearer-token check on every call and the `/nlg` route.

rasa-sdk imports this package by name and calls `init_hooks`; it swallows ModuleNotFoundError,
which would silently start an unauthenticated action server. `init_hooks` therefore imports its
dependencies eagerly and turns any import failure into a RuntimeError.
"""

from __future__ import annotations

from typing import Any


def init_hooks(manager: Any) -> None:
    """Register our hook implementations with rasa-sdk's pluggy manager."""
    try:
        from rasa_sdk_plugins import hooks
    except ModuleNotFoundError as error:  # would be swallowed by rasa-sdk: fail loudly instead
        raise RuntimeError(f"rasa_sdk_plugins cannot start: {error}") from error
    manager.register(hooks)
