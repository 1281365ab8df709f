"""`python -m api.reminders --once`: one reminder pass now. The API runs the same pass every
REMINDER_INTERVAL_MINUTES (api/jobs.py, once per tick across processes: api/scheduling.py).

Why both: a deployment may run passes from cron or rely on the API processes; passes may
overlap across processes (each reminder has a unique key), so no leader election is needed.
"""

from __future__ import annotations

import argparse
import json
import logging
from datetime import datetime

from api.logging_setup import configure_logging
from api.services import reminders
from api.settings import get_settings

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.reminders", description=__doc__)
    parser.add_argument("--once", action="store_true", help="one pass, then exit (the default)")
    parser.add_argument("--now", help="pretend it is this ISO time (with offset), for trials")
    args = parser.parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    now = datetime.fromisoformat(args.now) if args.now else None
    print(json.dumps(reminders.run_once(now).as_dict(), sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
