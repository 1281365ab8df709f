"""Business services: one module per concern; each takes a DB session and a request context."""
