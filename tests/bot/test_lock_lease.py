"""A conversation lock is a lease (bot/locks.py, patch `lock_lease`), on Redis as in the cluster:
- a Rasa process killed mid-turn (SIGKILL, a real process) holds its conversation only until its
  unrenewed ticket lapses, and the resent message on another process is served then;
- a live turn slower than the lifetime keeps its lock (stock Rasa 3.6 let the next message in
  once the lifetime passed: two turns of one conversation at once).
Stock first (the control), then patched, with the same lifetime."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time

from scripts.stack import ROOT
from tests.bot_env import BOT_PYTHON, last_json, needs_bot_env, run_in_bot_env
from tests.services import require_service

pytestmark = needs_bot_env

LIFETIME_S = 1.5
COMMON = r"""
import asyncio, json, sys, time, warnings
warnings.filterwarnings('ignore')
sys.path.insert(0, 'bot')
from rasa.core.lock_store import RedisLockStore
PREFIX, LIFETIME, PATCHED = sys.argv[1], float(sys.argv[2]), sys.argv[3] == 'patched'
if PATCHED:
    import rasa_patches
    rasa_patches.apply(['lock_queue', 'lock_lease'])
else:
    import rasa_patches
    rasa_patches.apply(['lock_queue'])  # the queue fix alone: what ran before the lease
store = RedisLockStore(host='127.0.0.1', port=6379, db=14, key_prefix=PREFIX)
"""

HOLDER = (
    COMMON
    + r"""
async def hold():
    async with store.lock('web:w', lock_lifetime=LIFETIME, wait_time_in_seconds=0.2):
        print('held', flush=True)
        await asyncio.sleep(3600)  # the turn in progress when the process is killed
asyncio.run(hold())
"""
)

WAITER = (
    COMMON
    + r"""
async def served():
    began = time.monotonic()
    async with store.lock('web:w', lock_lifetime=LIFETIME, wait_time_in_seconds=0.2):
        return round(time.monotonic() - began, 2)
print(json.dumps({'served_after_s': asyncio.run(asyncio.wait_for(served(), 30))}))
"""
)

SLOW_TURN = (
    COMMON
    + r"""
async def main():
    order = []
    async def turn(name, seconds, delay):
        await asyncio.sleep(delay)
        async with store.lock('web:slow', lock_lifetime=LIFETIME, wait_time_in_seconds=0.2):
            order.append((name, 'in', round(time.monotonic() - began, 2)))
            await asyncio.sleep(seconds)
            order.append((name, 'out', round(time.monotonic() - began, 2)))
    began = time.monotonic()
    await asyncio.gather(turn('first', 3 * LIFETIME, 0), turn('second', 0.1, 0.3))
    return order
print(json.dumps({'order': asyncio.run(main())}))
"""
)


def _killed_mid_turn(mode: str) -> float:
    """Seconds the resent message waited on another process after the holder was killed."""
    prefix = f"lease_test_{secrets.token_hex(4)}_"
    args = [prefix, str(LIFETIME_S), mode]
    holder = subprocess.Popen(
        [str(BOT_PYTHON), "-c", HOLDER, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=dict(os.environ),
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        time.sleep(LIFETIME_S)  # the turn runs on, longer than a lifetime: renewed if patched
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        out = last_json(run_in_bot_env(WAITER, *args))
    finally:
        if holder.poll() is None:
            holder.kill()
    return float(out["served_after_s"])


def test_a_killed_holder_frees_the_conversation_within_one_lifetime() -> None:
    require_service("redis")
    waited = _killed_mid_turn("patched")
    # its last renewal was at most a quarter lifetime before the kill: lapsed within a lifetime
    assert waited <= LIFETIME_S + 0.5, waited


def test_a_slow_live_turn_keeps_its_lock_past_the_lifetime() -> None:
    require_service("redis")
    orders = {}
    for mode in ("stock", "patched"):
        prefix = f"lease_test_{secrets.token_hex(4)}_"
        out = last_json(run_in_bot_env(SLOW_TURN, prefix, str(LIFETIME_S), mode))
        orders[mode] = [tuple(step) for step in out["order"]]
    steps = [(name, what) for name, what, _ in orders["stock"]]
    # the control: stock let the second turn in while the first still ran
    assert steps.index(("second", "in")) < steps.index(("first", "out")), orders["stock"]
    steps = [(name, what) for name, what, _ in orders["patched"]]
    assert steps == [("first", "in"), ("first", "out"), ("second", "in"), ("second", "out")], (
        orders["patched"]
    )
