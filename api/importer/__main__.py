"""`python -m api.importer`: see api/importer/__init__.py."""

import sys

from api.importer import main

sys.exit(main())
