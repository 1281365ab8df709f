"""Routers of /api/v1, one module per area; app.py lists which are included."""
