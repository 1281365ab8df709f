"""Every test process: demo mode with the explicit test secrets of tests/secrets.py."""

from __future__ import annotations

import os

from tests.secrets import ENVIRONMENT

for _name, _value in ENVIRONMENT.items():
    os.environ.setdefault(_name, _value)
