"""Start the Rasa CLI with our patches to Rasa's internals applied, once they are checked.

Why: Rasa 3.6 has no plug-in point for these: it waits 300 s for an action server call and
ignores `timeout:` in endpoints.yml (bot texts have one: timeouts.py), so a hung backend would
freeze a caller for minutes; it parses on its event loop; its check of action replies costs a
tenth of its CPU; it replaces the handler of `--logging-config-file` with coloredlogs; and it
unpickles any model it is given, so only a model signed with MODEL_SIGNING_KEY is let through
(model_signing.py; without the key, or with a `--model` whose signature is missing or wrong,
Rasa is not started at all). Nor is it started with its HTTP API on and no token: Rasa itself
would then serve that API to anyone. The token comes from RASA_TOKEN in the environment, which
only the process's own user can read; Rasa 3.6 takes it only as `--auth-token`, so it is added to
this process's own argument list, never to the command line every user sees in `ps`.
rasa_patches.py lists each patch with the Rasa code it relies on and refuses to start when the
installed Rasa is not the one they were written for.

Run with the Rasa environment: `.venv-bot/bin/python bot/launch.py run --enable-api ...`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

# Python's default 5 ms: a parse coming back from the embedding (C code, GIL released) waited
# up to that long, several times per message, while the event loop held the GIL. At 1 ms the
# stack answered 50-58 turns/s at 100 conversations instead of 39-50 (make bench, 2 cores).
# A process setting, not a Rasa patch: Python reads no environment variable for it.
GIL_SWITCH_INTERVAL_S = 0.001
LOGGING_FLAG = "--logging-config-file"
TOKEN_ENV = "RASA_TOKEN"  # noqa: S105 (the variable's name, not a token)


def main(argv: list[str] | None = None) -> None:
    """Check and apply the patches, then hand over to `rasa` exactly as the CLI would."""
    # channels.py, local_tracker_store.py, timeouts.py and the patch modules live beside this
    # file; credentials.yml and endpoints.yml name them without `bot.`
    args = with_token_from(os.environ, sys.argv[1:] if argv is None else argv)
    problem = open_api_problem(args) or timeout_problem(os.environ)
    if problem:
        sys.exit(f"bot/launch.py: refusing to start Rasa. {problem}")
    bot_dir = str(Path(__file__).resolve().parent)
    if bot_dir not in sys.path:
        sys.path.insert(0, bot_dir)
    import model_signing
    import rasa.__main__ as rasa_main
    import rasa_patches
    from timeouts import request_timeout_s

    patches = ["action_timeout", "reply_validation", "parse_off_loop", "signed_models"]
    patches += ["once_per_message", "failed_action_fails_turn", "store_failure_fails_turn"]
    patches += ["lock_queue", "lock_lease", "keep_alive"]
    if logging_config_file_given(args):
        patches.append("keep_logging_config")
    try:
        model_signing.use_key(os.environ.get(model_signing.KEY_ENV))
        rasa_patches.apply(patches, {"action_timeout": request_timeout_s()})
        model_signing.check_before_start(args)
    except (rasa_patches.RasaPatchError, model_signing.ModelSignatureError) as error:
        sys.exit(f"bot/launch.py: refusing to start Rasa. {error}")
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    sys.argv = ["rasa", *args]
    rasa_main.main()


def with_token_from(env: Mapping[str, str], args: list[str]) -> list[str]:
    """`--enable-api` without `--auth-token` takes the token from RASA_TOKEN (empty: nothing
    is added, and open_api_problem refuses). A token already on the command line wins."""
    if "--enable-api" not in args or any(
        _flag_value(args, flag) is not None for flag in ("--auth-token", "--jwt-secret")
    ):
        return args
    token = (env.get(TOKEN_ENV) or "").strip()
    # one word: a generated token may start with "-", which argparse takes for an option
    return [*args, f"--auth-token={token}"] if token else args


def timeout_problem(env: Mapping[str, str]) -> str | None:
    """Why Rasa's wait for an action (RASA_ACTION_TIMEOUT_S) does not fit around the action
    server's wait for the API (BACKEND_TIMEOUT_S, when given), or None. The rule is the
    settings' own (api/domain/timeouts.py); Rasa's environment cannot read the settings."""
    try:
        action_s = float(env.get("RASA_ACTION_TIMEOUT_S") or "5")
        backend_s = float(env["BACKEND_TIMEOUT_S"]) if env.get("BACKEND_TIMEOUT_S") else None
    except ValueError as error:
        return f"RASA_ACTION_TIMEOUT_S or BACKEND_TIMEOUT_S is not a number ({error})"
    if backend_s is None:
        return None
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.append(root)
    from api.domain.timeouts import action_timeout_problem

    return action_timeout_problem(backend_s, action_s)


def open_api_problem(args: list[str]) -> str | None:
    """Why Rasa's HTTP API would be open to anyone who reaches its port, or None.

    Rasa checks the token only when one is given: `--enable-api` with no `--auth-token` (or an
    empty one, as an unset variable in a manifest gives) serves every conversation, `PUT /model`
    and `/conversations/.../tracker/events` (slots set at will) to anyone.
    """
    if "--enable-api" not in args:
        return None
    for flag in ("--auth-token", "--jwt-secret"):
        if (_flag_value(args, flag) or "").strip():
            return None
    return (
        "--enable-api needs a non-empty RASA_TOKEN (or --auth-token): Rasa's HTTP API would be open"
    )


def _flag_value(args: list[str], flag: str) -> str | None:
    """The value of `--flag value` or `--flag=value` (the last one, as argparse keeps)."""
    value = None
    for index, arg in enumerate(args):
        if arg == flag and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith(flag + "="):
            value = arg.removeprefix(flag + "=")
    return value


def logging_config_file_given(args: list[str]) -> bool:
    """Whether Rasa will configure logging from a file (`--flag file` or `--flag=file`)."""
    return any(arg == LOGGING_FLAG or arg.startswith(LOGGING_FLAG + "=") for arg in args)


def keep_configured_logging(loglevel: str | None) -> None:
    """Stand-in for Rasa's coloredlogs set-up: the logging config file already decided."""


if __name__ == "__main__":
    main()
