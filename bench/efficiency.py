"""Task efficiency: what a caller pays for a status check, by keypad and by speech.

Each scripted call (bench/scenarios.yaml `voice_calls`) is played with the project's simulator
(voice.simulate.CallSimulator). Turns = answers the caller gave; audio = seconds of every prompt
heard, measured from the WAV/MP3 the gateway serves (python wave / soxi), or estimated from the
text of <Say> prompts when there is no audio (each call says which). A call is completed when
the backend served GET /api/v1/me/status during it: the status was really looked up.
"""

from __future__ import annotations

import time
from typing import Any

from bench.audio import WORDS_PER_SECOND, audio_seconds, estimate_speech_seconds
from bench.profiling import api_hops
from bench.voice_bench import answer, simulator


def heard_seconds(
    sim: Any, client: Any, start: int = 0, end: int | None = None
) -> tuple[float, str]:
    """Seconds of audio in the simulator's events[start:end], and how they were known."""
    total, kinds = 0.0, set()
    for event in sim.events[start:end]:
        if event.kind == "pause":
            total += 1.0
        elif event.kind == "play" and event.url:
            seconds = None
            response = client.get(event.url)  # the bench serves PUBLIC_BASE_URL itself
            if response.status_code == 200:
                suffix = "." + event.url.rsplit(".", 1)[-1]
                seconds = audio_seconds(response.content, suffix)
            if seconds is None:
                kinds.add("estimated from text (audio unreadable)")
                total += estimate_speech_seconds(event.text)
            else:
                kinds.add("measured from WAV")
                total += seconds
        elif event.kind == "say":
            kinds.add("estimated from text")
            total += estimate_speech_seconds(event.text)
    return round(total, 1), " + ".join(sorted(kinds)) or "nothing heard"


def run(ctx: Any) -> dict[str, Any]:
    import httpx

    runs = []
    with httpx.Client(timeout=30) as client:
        for call in ctx.script.voice_calls:
            since = time.time()
            record: dict[str, Any] = {"call": call.name, "mode": call.mode}
            record["language"] = call.language
            sim = simulator(ctx, client, call.from_number)
            turns = 0
            before_last = 0
            try:
                sim.start()
                for step in call.steps:
                    if sim.ended or sim.gather is None:
                        break
                    before_last = len(sim.events)
                    answer(sim, step)
                    turns += 1
            except Exception as exc:  # one broken call must not hide the others
                record["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
            audio_s, how = heard_seconds(sim, client)
            to_answer_s, _ = heard_seconds(sim, client, 0, before_last)
            looked_up = api_hops(ctx.api_lines(), since, time.time() + 0.5)
            record.update(
                turns=turns,
                audio_s=audio_s,
                audio_to_last_answer_s=to_answer_s,
                answer_and_after_s=round(audio_s - to_answer_s, 1),
                audio_source=how,
                completed="GET /api/v1/me/status" in looked_up,
                webhook_ms=[round(s * 1000) for s in sim.response_times],
                heard=sim.heard[-3:],
            )
            runs.append(record)
    return {"runs": runs, "words_per_second_for_estimates": WORDS_PER_SECOND}
