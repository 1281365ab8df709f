"""Database access: models, engine/session helpers and migrations."""
