"""The fast subset of the conversation suite (tests/conversations, `fast: true`) on the real stack.

It asserts that the runner works (every conversation played to its end with no runner error,
every score computed), prints the table, and holds the issue's target: in every language and
channel at least 95% of the conversations finish, none needing more than one "I did not
understand". `make bench` plays the whole suite.
"""

from __future__ import annotations

import pytest

from bench.conversations import schema
from bench.conversations.runner import run_all
from bench.conversations.section import target_of
from bench.conversations.summary import TARGET_FINISHED, headline, markdown, summarise
from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.e2e


def test_the_fast_subset_plays_to_the_end(running_stack: RunningStack) -> None:
    subset = schema.select(schema.load(), fast=True)
    assert subset, "no conversation is tagged fast: true"
    target = target_of(running_stack.env)
    results = run_all(subset, target)
    summary = summarise(results)
    print()
    print(markdown(summary))
    errors = {r.id: r.error for r in results if r.error}
    assert errors == {}, f"the runner failed, not the assistant: {errors}"
    for result in results:
        sent = [e for e in result.transcript if not e.skipped and e.turn > 0]
        assert result.turns == len(sent) and result.checks, result.id
        assert result.finished or result.went_off, result.id
    assert summary["total"]["n"] == len(subset)
    print(headline(summary))
    for row in summary["by_language_channel"]:  # the target, per language and channel
        assert row["share"] >= TARGET_FINISHED, row
        assert row["over_one_miss"] == 0, row
