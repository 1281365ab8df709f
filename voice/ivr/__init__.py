"""The phone line's call flow, as a state machine over the call's record (api/services/calls.py).

Each step returns a `Screen` (what the caller hears, what happens next) or an `Ask` (a text for
the assistant); voice/render.py makes TwiML of a Screen, voice/gateway.py wires the webhooks.
"""

from voice.ivr.ending import finish
from voice.ivr.flow import on_input, start
from voice.ivr.officer import dial_finished
from voice.ivr.replies import after_reply, emergency, give_up, hold, note_caller
from voice.ivr.screen import Ask, Input, Screen

__all__ = [
    "Ask",
    "Input",
    "Screen",
    "after_reply",
    "dial_finished",
    "emergency",
    "finish",
    "give_up",
    "hold",
    "note_caller",
    "on_input",
    "start",
]
