"""What one played conversation leaves behind: its transcript, its checks and its scores.

Plain dataclasses that turn into JSON, so the bench can store them and the unit tests can build
canned transcripts without a stack.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Exchange:
    """One worker turn and the assistant's messages after it (turn 0: the call's greeting)."""

    turn: int
    said: str
    replies: list[str] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)
    skipped: bool = False  # a `when` turn whose question was not asked
    miss: str | None = None  # the miss message id in the replies
    failure: str | None = None  # the "assistant failed" message id in the replies


@dataclass
class Check:
    ok: bool
    detail: str = ""


@dataclass
class Result:
    id: str
    language: str
    script: str
    channel: str
    task: str
    patterns: list[str]
    finished: bool = False
    checks: dict[str, Check] = field(default_factory=dict)
    turns: int = 0  # worker turns sent (until finished, or the whole script)
    misses: int = 0  # turns answered by a miss message
    failures: int = 0  # turns answered by an "assistant failed" message
    handovers: int = 0  # officer tickets the task did not ask for
    stopped: str | None = None  # why the script could not be played to its end
    error: str | None = None  # a runner error (transport, bug): the result is not a measure
    went_off: str = ""  # where the conversation went off, for the failure list
    seconds: float = 0.0
    filed: dict[str, Any] = field(default_factory=dict)
    transcript: list[Exchange] = field(default_factory=list)

    @property
    def failed_checks(self) -> list[str]:
        return [name for name, check in self.checks.items() if not check.ok]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        data = dict(data)
        data["checks"] = {k: Check(**v) for k, v in (data.get("checks") or {}).items()}
        data["transcript"] = [Exchange(**e) for e in data.get("transcript") or []]
        return cls(**data)
