"""Who is trying, as lock-out keys: the caller's number, web session and network.

Why from the conversation: the assistant acts for a conversation (`X-Conversation-ID`,
docs/contracts.md), and each channel's conversation says who is behind it: an SMS/WhatsApp
sender's number, a call's caller (the calls service knows it), a web chat session and its
client network. Lock-outs per caller stop one person trying many UANs; per UAN stop many people
trying one. Caller ID is only a key for counting here, never a proof of identity.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from api.services import calls, senders, webchat_sessions
from api.services.context import Ctx
from api.services.lockout import counter_key
from api.settings import get_settings


@dataclass(frozen=True)
class Key:
    key: str
    limit: int


def caller_keys(session: Session, ctx: Ctx) -> list[Key]:
    """The lock-out keys of whoever acts in `ctx` (at least one)."""
    settings = get_settings()
    per_caller = settings.verification_caller_max_failures
    conversation = ctx.actor.removeprefix("rasa:")
    channel = conversation.partition(":")[0]
    number = conversation_number(session, ctx)
    if number is not None:
        return [Key(counter_key("caller", number), per_caller)]
    keys = [Key(counter_key("caller", conversation or "anonymous"), per_caller)]
    if channel == "web":
        network = webchat_sessions.network_of(session, ctx.actor)
        if network:
            keys.append(Key(f"net:{network}", settings.verification_network_max_failures))
    return keys


def conversation_number(session: Session, ctx: Ctx) -> str | None:
    """The phone number the conversation comes from (an SMS/WhatsApp sender, a call's caller);
    None for web chat and anything else."""
    conversation = ctx.actor.removeprefix("rasa:")
    channel, _, rest = conversation.partition(":")
    if channel in ("sms", "whatsapp"):
        return senders.number_of(session, conversation)
    if channel == "voice":
        return calls.caller_number(session, rest)
    return None


def uan_key(uan: str) -> Key:
    return Key(counter_key("uan", uan), get_settings().verification_max_failures)
