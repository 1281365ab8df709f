"""Tables of the backend, one module per bounded context; import them from here.

Every module registers its tables on the one `Base.metadata` when this package is imported, so
migrations and tests see the whole schema.
"""

from api.db.models.base import NAMING, Base, UTCDateTime, utcnow
from api.db.models.calls import CallStatusEvent, MenuChoice, VoiceCall, VoiceTurn
from api.db.models.casework import CallbackRequest, Case, CaseEvent, CaseNotice
from api.db.models.handoff import HandoffMessage, HandoffTicket
from api.db.models.identity import (
    HelperConsent,
    VerificationAttempt,
    VerificationCounter,
    VerificationSession,
)
from api.db.models.messaging import MessagingContact, OutboundCall, OutboundMessage
from api.db.models.records import (
    AuditLog,
    ErasureRecord,
    IdempotencyKey,
    JobRun,
    ReferenceCounter,
    WebhookReceipt,
)
from api.db.models.reminders import Reminder, ReminderPreference
from api.db.models.requests import (
    Claim,
    ClaimDocument,
    CorrectionRequest,
    Feedback,
    NomineeChange,
    PensionRestartRequest,
    RenewalRequest,
)
from api.db.models.staff import StaffLoginLockout, StaffSession, StaffUser
from api.db.models.webchat import WebchatSession
from api.db.models.workers import Enrollment, Nominee, PensionAccount, Scheme, Worker

__all__ = [
    "NAMING",
    "AuditLog",
    "Base",
    "CallStatusEvent",
    "CallbackRequest",
    "Case",
    "CaseEvent",
    "CaseNotice",
    "Claim",
    "ClaimDocument",
    "CorrectionRequest",
    "Enrollment",
    "ErasureRecord",
    "Feedback",
    "HandoffMessage",
    "HandoffTicket",
    "HelperConsent",
    "IdempotencyKey",
    "JobRun",
    "MenuChoice",
    "MessagingContact",
    "Nominee",
    "NomineeChange",
    "OutboundCall",
    "OutboundMessage",
    "PensionAccount",
    "PensionRestartRequest",
    "ReferenceCounter",
    "Reminder",
    "ReminderPreference",
    "RenewalRequest",
    "Scheme",
    "StaffLoginLockout",
    "StaffSession",
    "StaffUser",
    "UTCDateTime",
    "VerificationAttempt",
    "VerificationCounter",
    "VerificationSession",
    "VoiceCall",
    "VoiceTurn",
    "WebchatSession",
    "WebhookReceipt",
    "Worker",
    "utcnow",
]
