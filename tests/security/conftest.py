"""The API fixtures (SQLite and PostgreSQL, demo data) for the security tests."""

from tests.api.conftest import client, database, db  # noqa: F401  (fixtures, used by name)
