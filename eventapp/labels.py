"""Interface names of the domain's enumerations, in one place (pages, feeds, imports).

Lazy strings: they are translated when shown, in the language of that moment.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l

from eventapp.models import (
    AdmissionMode,
    Category,
    FollowUp,
    HostRole,
    InvitationState,
    MeetingOutcome,
    MeetingStatus,
    OrganizationKind,
    OutboxStatus,
    OutcomeStatus,
    QuestionKind,
    RegistrationStatus,
    Role,
    SessionKind,
    SpeakerRole,
)
from eventapp.names import NameOrder

#: Interface names of the enumerations (glossary-ko.md terms).
KIND_LABELS = {
    SessionKind.REMARKS: _l("Remarks"),
    SessionKind.KEYNOTE: _l("Keynote"),
    SessionKind.BRIEFING: _l("Policy briefing"),
    SessionKind.TALK: _l("Talk"),
    SessionKind.PANEL: _l("Panel discussion"),
    SessionKind.WORKSHOP: _l("Workshop"),
    SessionKind.BREAK: _l("Break"),
    SessionKind.NETWORKING: _l("Networking"),
    SessionKind.OTHER: _l("Other"),
}
SPEAKER_ROLE_LABELS = {
    SpeakerRole.SPEAKER: _l("Speaker"),
    SpeakerRole.MODERATOR: _l("Moderator"),
    SpeakerRole.PANELIST: _l("Panelist"),
    SpeakerRole.PRESENTER: _l("Presenter"),
}
HOST_ROLE_LABELS = {
    HostRole.HOST: _l("Host"),
    HostRole.CO_ORGANIZER: _l("Co-organizer"),
    HostRole.SPONSOR: _l("Sponsor"),
    HostRole.PARTNER: _l("Partner"),
}
CATEGORY_LABELS = {
    Category.GOVERNMENT: _l("Government"),
    Category.INDUSTRY: _l("Industry"),
    Category.ACADEMIA: _l("Academia"),
    Category.PRESS: _l("Press"),
    Category.SPEAKER: _l("Speaker"),
    Category.STAFF: _l("Staff"),
    Category.OTHER: _l("Other"),
}
STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.WAITLISTED: _l("Waiting list"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
    RegistrationStatus.PENDING: _l("Awaiting approval"),
    RegistrationStatus.DECLINED: _l("Declined"),
}
ACCOUNT_ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.ORGANIZER: _l("Organizer"),
    Role.CHECKIN: _l("Check-in staff"),
    Role.RAPPORTEUR: _l("Rapporteur"),
}
ORGANIZATION_KIND_LABELS = {
    OrganizationKind.GOVERNMENT: _l("Government"),
    OrganizationKind.COMPANY: _l("Company"),
    OrganizationKind.ACADEMIA: _l("Academia"),
    OrganizationKind.NONPROFIT: _l("Non-profit"),
    OrganizationKind.OTHER: _l("Other"),
}
OUTBOX_STATUS_LABELS = {
    OutboxStatus.PENDING: _l("Waiting to be sent"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.FAILED: _l("Failed"),
}
#: What caused an email (`OutboxMessage.kind`); not in ALL_LABELS, since a kind such as
#: "cancelled" would shadow the registration status of the same spelling.
MAIL_KIND_LABELS = {
    "confirmation": _l("Confirmation"),
    "waitlisted": _l("Waiting-list notice"),
    "promoted": _l("Seat freed up"),
    "cancelled": _l("Cancellation"),
    "manage_link": _l("Registration link"),
    "session_promoted": _l("Session seat freed up"),
    "badge_reissued": _l("New badge"),
    "invitation": _l("Session invitation"),
    "update": _l("Schedule update"),
    "announcement": _l("Announcement"),
    "password_reset": _l("Password reset link"),
    "email_change": _l("New address to confirm"),
    "email_changed": _l("Address changed"),
    "follow_up": _l("Recommendations for follow-up"),
    "pending": _l("Registration received (awaiting approval)"),
    "approved": _l("Registration approved"),
    "declined": _l("Registration declined"),
    "invited": _l("Invitation to register"),
    "invitation_reminder": _l("Invitation reminder"),
    "delegation_head": _l("Delegation page link"),
    "partnering_request": _l("Meeting request"),
    "partnering_answered": _l("Meeting request answered"),
    "partnering_meeting": _l("Partnering meeting"),
    "partnering_cancelled": _l("Partnering withdrawal"),
}
OUTCOME_STATUS_LABELS = {
    OutcomeStatus.DRAFT: _l("Draft"),
    OutcomeStatus.PUBLISHED: _l("Published"),
}
FOLLOW_UP_LABELS = {
    FollowUp.OPEN: _l("Open"),
    FollowUp.IN_PROGRESS: _l("In progress"),
    FollowUp.DONE: _l("Done"),
    FollowUp.DROPPED: _l("Dropped"),
}
ADMISSION_MODE_LABELS = {
    AdmissionMode.OPEN: _l("Open: everyone may register"),
    AdmissionMode.APPROVAL: _l("Approval required: organizers approve each registration"),
    AdmissionMode.INVITATION: _l("Invitation only: the form opens through a personal link"),
}
INVITATION_STATE_LABELS = {
    InvitationState.SENT: _l("Sent"),
    InvitationState.OPENED: _l("Opened"),
    InvitationState.REGISTERED: _l("Registered"),
    InvitationState.DECLINED: _l("Declined"),
    InvitationState.REVOKED: _l("Revoked"),
}
QUESTION_KIND_LABELS = {
    QuestionKind.SHORT_TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.ONE_CHOICE: _l("One choice"),
    QuestionKind.SEVERAL_CHOICES: _l("Several choices"),
    QuestionKind.YES_NO: _l("Yes or no"),
    QuestionKind.DATE: _l("Date"),
    QuestionKind.COUNTRY: _l("Country"),
    QuestionKind.NUMBER: _l("Whole number"),
}
#: Examples in the labels: people recognise their case faster than they read a rule.
NAME_ORDER_LABELS = {
    NameOrder.GIVEN_FIRST: _l("Given name first (Jong-ho Lee)"),
    NameOrder.FAMILY_FIRST: _l("Family name first (Lee Jong-ho)"),
}
MEETING_STATUS_LABELS = {
    MeetingStatus.PLANNED: _l("Planned"),
    MeetingStatus.CANCELLED: _l("Cancelled"),
}
MEETING_OUTCOME_LABELS = {
    MeetingOutcome.HELD: _l("Held"),
    MeetingOutcome.NO_SHOW: _l("No-show"),
}
ALL_LABELS = (
    KIND_LABELS,
    SPEAKER_ROLE_LABELS,
    HOST_ROLE_LABELS,
    CATEGORY_LABELS,
    STATUS_LABELS,
    ACCOUNT_ROLE_LABELS,
    ORGANIZATION_KIND_LABELS,
    OUTBOX_STATUS_LABELS,
    OUTCOME_STATUS_LABELS,
    FOLLOW_UP_LABELS,
    ADMISSION_MODE_LABELS,
    QUESTION_KIND_LABELS,
    NAME_ORDER_LABELS,
    MEETING_STATUS_LABELS,
    MEETING_OUTCOME_LABELS,
    INVITATION_STATE_LABELS,
)


def mail_kind_label(kind: str) -> str:
    """The interface name of what caused an email; the stored word when it has none."""
    return str(MAIL_KIND_LABELS.get(kind, kind))


def choices(enum_class: type[StrEnum]) -> list[tuple[str, str]]:
    """(value, translated name) pairs for a form's select of `enum_class`."""
    table: Mapping[Any, Any] = next(
        labels for labels in ALL_LABELS if next(iter(labels)).__class__ is enum_class
    )
    return [(member.value, str(table[member])) for member in enum_class]
