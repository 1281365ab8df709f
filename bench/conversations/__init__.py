"""Scripted conversations that finish a worker's task, scored against the real stack.

The scripts live in tests/conversations/<lang>/<task>.yml (schema: `schema.py`); the runner
(`runner.py`) plays each one over its channel (web chat, WhatsApp, SMS, phone keypad or speech),
checks the outcome in the replies and the backend's database, and `summary.py` reports the share
finished, turns, misses and hand-overs per task by language and channel. Shared by the bench's
`conversations` section and tests/e2e/test_conversation_suite.py.
"""
