"""The secrets every test process runs with: explicit, never the product's own.

Production is the product's default; tests run in demo mode (demo data) with these values so a
test can name them. tests/conftest.py puts them into the environment before anything reads it.
"""

from __future__ import annotations

SERVICE_TOKEN = "test-service-token-0123456789"
ACTION_SERVER_TOKEN = "test-action-token-0123456789"
STAFF_PASSWORD = "test-officer-pass-0123"
TWILIO_AUTH_TOKEN = "test-twilio-token-0123456789"
RASA_TOKEN = "test-rasa-token-0123456789"
MODEL_SIGNING_KEY = "test-model-signing-key-0123456789"

ENVIRONMENT = {
    "DEMO_MODE": "true",
    "SERVICE_TOKEN": SERVICE_TOKEN,
    "ACTION_SERVER_TOKEN": ACTION_SERVER_TOKEN,
    "PII_SALT": "test-pii-salt-0123456789",
    "SESSION_SECRET": "test-session-secret-0123456789",
    "SENDER_KEY": "test-sender-key-0123456789",
    "STAFF_DEMO_PASSWORD": STAFF_PASSWORD,
    "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
    "RASA_TOKEN": RASA_TOKEN,
    "MODEL_SIGNING_KEY": MODEL_SIGNING_KEY,
}
