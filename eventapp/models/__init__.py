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
from eventapp.models.checkin import OfflineScan, Scan, ScanResult
from eventapp.models.events import Event, EventHost, HostRole, Room, Track, Venue
from eventapp.models.outbox import OutboxMessage, OutboxStatus
from eventapp.models.outcomes import (
    FollowUp,
    OutcomeStatus,
    RapporteurAssignment,
    Recommendation,
    RecommendationOrganization,
    RecommendationOwner,
    RecommendationSpeaker,
    RecommendationTag,
    SessionOutcome,
)
from eventapp.models.partnering import (
    Meeting,
    MeetingOutcome,
    MeetingPerson,
    MeetingRequest,
    MeetingStatus,
    OrganizationTag,
    Participant,
    PartneringSession,
    PartneringSettings,
    PartneringSlot,
    PartneringTable,
    PartneringTag,
    RequestStatus,
    TagDirection,
    Unavailability,
)
from eventapp.models.partnering_runs import RunStatus, SchedulerRun
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
    "FollowUp",
    "HostRole",
    "Meeting",
    "MeetingOutcome",
    "MeetingPerson",
    "MeetingRequest",
    "MeetingStatus",
    "OfflineScan",
    "Organization",
    "OrganizationKind",
    "OrganizationTag",
    "OutboxMessage",
    "OutboxStatus",
    "OutcomeStatus",
    "Participant",
    "PartneringSession",
    "PartneringSettings",
    "PartneringSlot",
    "PartneringTable",
    "PartneringTag",
    "RapporteurAssignment",
    "Recommendation",
    "RecommendationOrganization",
    "RecommendationOwner",
    "RecommendationSpeaker",
    "RecommendationTag",
    "Registration",
    "RegistrationStatus",
    "RequestStatus",
    "Role",
    "Room",
    "RunStatus",
    "Scan",
    "ScanResult",
    "SchedulerRun",
    "SessionKind",
    "SessionOutcome",
    "SessionSignup",
    "SessionSpeaker",
    "SessionStatus",
    "Speaker",
    "SpeakerRole",
    "TagDirection",
    "TeamMember",
    "Track",
    "UTCDateTime",
    "Unavailability",
    "Venue",
    "db",
    "insert_row",
    "utcnow",
]
from eventapp.models.events import AdmissionMode

__all__ += ["AdmissionMode"]
from eventapp.models.admission import CategoryQuota  # noqa: E402  (#17)

__all__ += ["CategoryQuota"]
from eventapp.models.questions import Answer, Question, QuestionKind  # noqa: E402  (#17)

__all__ += ["Answer", "Question", "QuestionKind"]
from eventapp.models.invitations import (  # noqa: E402  (#17)
    Delegation,
    Invitation,
    InvitationState,
)

__all__ += ["Delegation", "Invitation", "InvitationState"]
