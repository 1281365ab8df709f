"""`python -m api.rename_senders` (`make rename-senders`): once, after upgrading to pseudonymous
SMS/WhatsApp conversation ids, rename the conversations stored before them (`sms:+91...`) in
the backend and the tracker database (api/services/sender_renames.py). Prints what it renamed.
Needs the deployment's SENDER_KEY and TRACKER_DB_URL, as the API has them.
"""

from __future__ import annotations

import sys

from api.db.session import session_scope
from api.services import sender_renames


def main() -> int:
    with session_scope() as s:
        counts = sender_renames.rename_legacy(s)
    for place, done in counts.items():
        print(f"{place}\t{done}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
