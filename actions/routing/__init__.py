"""Dialogue routing: every message to the right service, and each service to its form.

- `services`: the tables (intent -> service, which need verification, form and slots of each);
- `flow_state`: events that stop a form, clear or finish a service, or ask for verification again;
- `start`: starting or switching a service, and the missed-answer and switch guards;
- `router`: `ActionRoute` (action_route), called by the rules for every intent;
- `after_verify`: `ActionAfterVerify` (action_after_verify), the service once verified.
"""
