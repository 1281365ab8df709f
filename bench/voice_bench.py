"""Voice webhook latency: a turn whose prompts must be rendered vs one whose audio is cached.

Calls are driven with the project's simulator (voice.simulate.CallSimulator), which signs every
request like Twilio (RequestValidator over PUBLIC_BASE_URL + path). A "new" sample first deletes
the rendered audio under the bench's var dir, so the call renders its prompts again; a "cached"
sample repeats the same call with the files in place. Each sample is a new call: the greeting
(`/voice/incoming`) and the answer to the menu (a turn through the assistant).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import stats
from scripts.stack import environment

AUDIO_SUFFIXES = {".wav", ".mp3", ".ulaw", ".ogg", ".raw"}
SAMPLES = {False: 20, True: 6}


def stack_settings(env: dict[str, str]) -> Any:
    from api.settings import Settings

    with environment(env):
        return Settings()


def audio_files(var_dir: Path) -> set[Path]:
    return {p for p in var_dir.rglob("*") if p.suffix in AUDIO_SUFFIXES and p.is_file()}


def simulator(ctx: Any, client: Any, caller: str) -> Any:
    """A CallSimulator aimed at the bench's stack (its URL, public URL and Twilio token)."""
    from voice.simulate import CallSimulator

    settings = stack_settings(ctx.stack.env)
    return CallSimulator(
        base_url=ctx.stack.api_url,
        caller=caller,
        public_base_url=settings.public_base_url,
        auth_token=settings.twilio_auth_token,
        client=client,
    )


def answer(sim: Any, step: dict[str, str]) -> list[str]:
    if "silence" in step:
        said: list[str] = sim.silence()
    elif "digits" in step:
        said = sim.press(step["digits"])
    else:
        said = sim.say(step["speech"])
    return said


def one_call(ctx: Any, client: Any, caller: str, first_step: dict[str, str]) -> list[float]:
    """Webhook latencies (ms) of a call's greeting and first answer, redirects included."""
    sim = simulator(ctx, client, caller)
    sim.start()
    answer(sim, first_step)
    return [round(s * 1000, 1) for s in sim.response_times]


def run(ctx: Any) -> dict[str, Any]:
    import httpx

    if not ctx.script.voice_calls:
        raise RuntimeError("no voice_calls in bench/scenarios.yaml")
    call = ctx.script.voice_calls[0]
    samples = SAMPLES[ctx.quick]
    fresh: list[float] = []
    cached: list[float] = []
    rendered = 0
    with httpx.Client(timeout=30) as client:
        one_call(ctx, client, call.from_number, call.steps[0])  # warm-up
        for _ in range(samples):
            for path in audio_files(ctx.stack.var_dir):
                path.unlink(missing_ok=True)
            fresh += one_call(ctx, client, call.from_number, call.steps[0])
            rendered = max(rendered, len(audio_files(ctx.stack.var_dir)))
        for _ in range(samples):
            cached += one_call(ctx, client, call.from_number, call.steps[0])
    return {
        "call": f"{call.name}: greeting + first answer ({call.steps[0]})",
        "new_prompt": stats.summarise(fresh),
        "cached_prompt": stats.summarise(cached),
        "rendered_files_per_call": rendered,
        "engines": stack_settings(ctx.stack.env).tts_engine_order,
    }
