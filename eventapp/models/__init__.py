"""All tables. Importing this package registers every model on `db.metadata`."""

from eventapp.models.accounts import Account, AuditEntry, Role
from eventapp.models.agenda import (
    AgendaSession,
    SessionKind,
    SessionSpeaker,
    SessionStatus,
    SpeakerRole,
)
from eventapp.models.base import Base, UTCDateTime, db, insert_row, utcnow
from eventapp.models.calendar import CalendarOffset
from eventapp.models.checkin import Scan, ScanResult
from eventapp.models.events import Event, EventHost, HostRole, Room, Track, Venue
from eventapp.models.outbox import OutboxMessage, OutboxStatus
from eventapp.models.people import Organization, OrganizationKind, Speaker
from eventapp.models.registration import (
    Category,
    Registration,
    RegistrationStatus,
    SessionSignup,
)
from eventapp.models.teams import TeamMember

__all__ = [
    "Account",
    "AgendaSession",
    "AuditEntry",
    "Base",
    "CalendarOffset",
    "Category",
    "Event",
    "EventHost",
    "HostRole",
    "Organization",
    "OrganizationKind",
    "OutboxMessage",
    "OutboxStatus",
    "Registration",
    "RegistrationStatus",
    "Role",
    "Room",
    "Scan",
    "ScanResult",
    "SessionKind",
    "SessionSignup",
    "SessionSpeaker",
    "SessionStatus",
    "Speaker",
    "SpeakerRole",
    "TeamMember",
    "Track",
    "UTCDateTime",
    "Venue",
    "db",
    "insert_row",
    "utcnow",
]
from eventapp.models.events import AdmissionMode

__all__ += ["AdmissionMode"]
from eventapp.models.admission import CategoryQuota  # noqa: E402  (#17)

__all__ += ["CategoryQuota"]
