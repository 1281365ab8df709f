"""`python -m api.retention`: one retention pass now. The API runs the same pass every
RETENTION_INTERVAL_MINUTES (api/jobs.py, once per tick across processes: api/scheduling.py).

Why both: a deployment may schedule passes itself (cron, a one-off container) or rely on the
API process; passes are safe to overlap (api/services/retention.py).
"""

from __future__ import annotations

import json
import logging

from api.logging_setup import configure_logging
from api.services import retention
from api.settings import get_settings

log = logging.getLogger(__name__)


def main() -> int:
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    print(json.dumps(retention.run_pass(), sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
