"""A turn waiting behind a Rasa process that died is served once the dead turn's ticket expires
(bot/locks.py): stock Rasa 3.6 first (the control: the waiter's own ticket expires as it waits,
and it waits on until someone deletes the lock), then with the launcher's patch."""

from __future__ import annotations

from tests.bot_env import last_json, needs_bot_env, run_in_bot_env

pytestmark = needs_bot_env

SCRIPT = r"""
import asyncio, json, sys, time, warnings
warnings.filterwarnings('ignore')
sys.path.insert(0, 'bot')
from rasa.core.lock_store import InMemoryLockStore

async def waiter_served(lifetime, late_by, poll):
    store = InMemoryLockStore()
    store.issue_ticket('web:w', lifetime)  # the dead process's turn: never cleaned up
    await asyncio.sleep(late_by)  # the resent message reaches the other Rasa a moment later
    began = time.monotonic()
    async def take():
        async with store.lock('web:w', lock_lifetime=lifetime, wait_time_in_seconds=poll):
            return round(time.monotonic() - began, 1)
    try:
        return await asyncio.wait_for(take(), timeout=4 * lifetime)
    except asyncio.TimeoutError:
        return None

out = {'stock': asyncio.run(waiter_served(1.0, 0.3, 1.0))}
import rasa_patches
rasa_patches.apply(['lock_queue'])
out['patched'] = asyncio.run(waiter_served(1.0, 0.3, 1.0))
out['patched_in_order'] = asyncio.run(waiter_served(3.0, 0.0, 0.2))
print(json.dumps(out))
"""


def test_a_turn_behind_a_dead_process_is_served_when_its_ticket_expires() -> None:
    out = last_json(run_in_bot_env(SCRIPT))
    assert out["stock"] is None  # polled after its own ticket expired: stuck (the control)
    assert out["patched"] is not None and out["patched"] <= 2.0  # at its next poll
    # a live holder still keeps the waiter out until its ticket expires (3 s), not longer
    assert 2.8 <= out["patched_in_order"] <= 3.6
