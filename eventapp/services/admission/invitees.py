"""Invitations (#17): who is invited to an event, their personal links, and what became
of each (sent, opened, registered, declined, revoked).

An invitation list comes as CSV (`invitation_list`: a preview that changes nothing,
then all of it or nothing) or one person at a time (`invite`). Each invitee gets a
personal link through the outbox; `resend` sends one again, `remind` everyone who has
not answered, once per send key (as announcements). Registering through a link is
`registration.register(..., invitation=...)`; the rule that a link works once, for its
own address, is `claim` below, run under the event's lock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import Select, func
from sqlalchemy.exc import IntegrityError

from eventapp.errors import AlreadySent, DelegationFull, InvalidInput, InvitationRequired
from eventapp.links import public_url
from eventapp.models import (
    Account,
    Category,
    Delegation,
    Event,
    Invitation,
    InvitationState,
    OutboxMessage,
    Registration,
    db,
    utcnow,
)
from eventapp.models import RegistrationStatus as Status
from eventapp.services import mail
from eventapp.services.accounts import normalize_email, record
from eventapp.services.units import transaction

#: What a reminder's send key looks like (as `communications.new_send_key`).
SEND_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
_MIN_TOKEN_LENGTH = 32
#: Statuses that hold a place (a delegation's seats count these).
HOLDING = (Status.CONFIRMED, Status.WAITLISTED, Status.PENDING)


@dataclass(frozen=True, slots=True)
class InviteeData:
    """One person to invite."""

    email: str
    given_name: str
    family_name: str = ""
    organization_name: str | None = None
    category: Category = Category.OTHER
    delegation_id: int | None = None
    locale: str = "en"


@dataclass(frozen=True, slots=True)
class InvitationCounts:
    by_state: dict[InvitationState, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


# Reading.


def invitations_statement(event: Event, state: InvitationState | None = None) -> Select:
    """The event's invitations, newest first (optionally those in one state)."""
    statement = db.select(Invitation).where(Invitation.event_id == event.id)
    if state is InvitationState.REVOKED:
        statement = statement.where(Invitation.revoked_at.is_not(None))
    elif state is not None:
        statement = statement.where(Invitation.revoked_at.is_(None))
        registered = Invitation.registration_id.is_not(None)
        if state is InvitationState.REGISTERED:
            statement = statement.where(registered)
        else:
            statement = statement.where(~registered)
            declined = Invitation.declined_at.is_not(None)
            if state is InvitationState.DECLINED:
                statement = statement.where(declined)
            else:
                opened = Invitation.opened_at.is_not(None)
                statement = statement.where(
                    ~declined, opened if state is InvitationState.OPENED else ~opened
                )
    return statement.order_by(Invitation.created_at.desc(), Invitation.id.desc())


def counts(event: Event) -> InvitationCounts:
    """How many invitations are in each state."""
    found: dict[InvitationState, int] = dict.fromkeys(InvitationState, 0)
    for invitation in db.session.scalars(
        db.select(Invitation).where(Invitation.event_id == event.id)
    ):
        found[invitation.state] += 1
    return InvitationCounts(found)


def find_by_token(token: str) -> Invitation | None:
    """The invitation with this personal token, or None (also for a malformed token)."""
    if not token or not _MIN_TOKEN_LENGTH <= len(token) <= 64:
        return None
    return db.session.scalar(db.select(Invitation).where(Invitation.token == token))


def delegations(event: Event) -> list[Delegation]:
    return list(
        db.session.scalars(
            db.select(Delegation).where(Delegation.event_id == event.id).order_by(Delegation.name)
        )
    )


# Writing.


def invite(
    event: Event, data: InviteeData, *, by: Account | None = None, now: datetime | None = None
) -> Invitation:
    """Invite one person by email. Raises InvalidInput (already invited, unknown delegation)."""
    if data.delegation_id is not None:
        delegation = db.session.get(Delegation, data.delegation_id)
        if delegation is None or delegation.event_id != event.id:
            raise InvalidInput("no such delegation", field="delegation")
    return invite_all(event, [data], by=by, now=now, action="event.invite")[0]


def invite_all(
    event: Event,
    people: Sequence[InviteeData],
    *,
    by: Account | None,
    now: datetime | None,
    action: str,
) -> list[Invitation]:
    now = now or utcnow()
    made = []
    try:
        with transaction():
            for data in people:
                invitation = Invitation(
                    event_id=event.id,
                    email=normalize_email(data.email),
                    given_name=data.given_name,
                    family_name=data.family_name,
                    organization_name=data.organization_name,
                    category=data.category,
                    delegation_id=data.delegation_id,
                    locale=data.locale,
                    created_at=now,
                )
                db.session.add(invitation)
                db.session.flush()
                _send(invitation, event, "invited", now=now)
                made.append(invitation)
            record(by, action, event, {"invited": len(made)})
    except IntegrityError as error:
        raise InvalidInput("this address is invited already", field="email") from error
    return made


def resend(
    invitation: Invitation, *, by: Account | None = None, now: datetime | None = None
) -> None:
    """Send the personal link again. Raises InvitationRequired for a revoked or used one."""
    now = now or utcnow()
    with transaction():
        _refuse_unusable(invitation)
        _send(invitation, _event(invitation), "invited", now=now)
        record(by, "invitation.resend", _event(invitation), {"email": invitation.email})


def remind(
    event: Event, *, send_key: str, by: Account | None = None, now: datetime | None = None
) -> int:
    """Remind every invitee who neither registered, declined nor was revoked, once per
    `send_key`: a second reminder with the same key raises AlreadySent and sends nothing."""
    now = now or utcnow()
    if not SEND_KEY.fullmatch(send_key or ""):
        raise InvalidInput("reload the page, then remind")
    waiting = db.session.scalars(
        db.select(Invitation).where(
            Invitation.event_id == event.id,
            Invitation.registration_id.is_(None),
            Invitation.declined_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
    ).all()
    try:
        with transaction():
            for invitation in waiting:
                key = f"invitation-reminder.{send_key}.{invitation.id}"
                _send(invitation, event, "invitation_reminder", now=now, message_key=key)
            record(by, "event.invitations_remind", event, {"reminded": len(waiting)})
    except IntegrityError as error:
        raise AlreadySent("these reminders were sent already; not sent again") from error
    return len(waiting)


def revoke(
    invitation: Invitation, *, by: Account | None = None, now: datetime | None = None
) -> None:
    """Make the link useless (a registration made through it stays as it is)."""
    with transaction():
        if invitation.revoked_at is None:
            invitation.revoked_at = now or utcnow()
            record(by, "invitation.revoke", _event(invitation), {"email": invitation.email})


def mark_opened(invitation: Invitation, *, now: datetime | None = None) -> None:
    """Note the first time the link was opened (later openings change nothing)."""
    if invitation.opened_at is None and invitation.revoked_at is None:
        db.session.execute(
            db.update(Invitation)
            .where(Invitation.id == invitation.id, Invitation.opened_at.is_(None))
            .values(opened_at=now or utcnow())
        )
        db.session.commit()


def decline(invitation: Invitation, *, now: datetime | None = None) -> None:
    """The invitee will not come. Raises InvitationRequired for a revoked or used link."""
    with transaction():
        _refuse_unusable(invitation)
        invitation.declined_at = now or utcnow()


def claim(event: Event, invitation: Invitation | None, registration: Registration) -> None:
    """Registering through `invitation` (event locked): the link must be this event's,
    unused and not revoked or declined; the registration gets the invited address,
    category and delegation, and the link is used up. Raises InvitationRequired,
    DelegationFull."""
    if invitation is None or invitation.event_id != event.id:
        raise InvitationRequired("this event is by invitation only", reason="missing")
    db.session.refresh(invitation)
    _refuse_unusable(invitation)
    registration.email = invitation.email
    registration.category = invitation.category
    registration.delegation_id = invitation.delegation_id
    if invitation.delegation_id is not None:
        check_seats(invitation.delegation_id, 1)


def used_by(invitation: Invitation | None, registration: Registration) -> None:
    """After the registration's insert: the link is used up."""
    if invitation is not None:
        invitation.registration_id = registration.id
        invitation.opened_at = invitation.opened_at or registration.created_at


def check_seats(delegation_id: int, adding: int) -> None:
    """Refuse `adding` more members holding a place beyond the delegation's seats
    (event locked: the count cannot change meanwhile). Raises DelegationFull."""
    seats = db.session.scalar(db.select(Delegation.seats).where(Delegation.id == delegation_id))
    if seats is None:
        return
    holding = db.session.scalar(
        db.select(func.count(Registration.id)).where(
            Registration.delegation_id == delegation_id, Registration.status.in_(HOLDING)
        )
    )
    if (holding or 0) + adding > seats:
        raise DelegationFull(
            "the delegation has no seat left", seats=seats, left=max(0, seats - (holding or 0))
        )


def _refuse_unusable(invitation: Invitation) -> None:
    state = invitation.state
    if state is InvitationState.REVOKED:
        raise InvitationRequired("this invitation was withdrawn", reason="revoked")
    if state is InvitationState.REGISTERED:
        raise InvitationRequired("this invitation was used already", reason="used")
    if state is InvitationState.DECLINED:
        raise InvitationRequired("this invitation was declined", reason="declined")


def _event(invitation: Invitation) -> Event:
    return db.session.get_one(Event, invitation.event_id)


def _send(
    invitation: Invitation,
    event: Event,
    kind: str,
    *,
    now: datetime,
    message_key: str | None = None,
) -> OutboxMessage:
    """Queue the invitation (or reminder) email with the personal link, in its language."""

    def subject(title: str) -> str:
        if kind == "invited":
            return gettext("You are invited: %(title)s", title=title)
        return gettext("Reminder, your invitation: %(title)s", title=title)

    message = mail.compose_for(
        kind,
        event=event,
        recipient=invitation,
        locale=invitation.locale,
        name=invitation.name,
        address=invitation.email,
        subject=subject,
        now=now,
        message_key=message_key,
        invitation_url=public_url("register.invited", slug=event.slug, token=invitation.token),
    )
    db.session.add(message)
    db.session.flush()
    invitation.sent_at = now
    invitation.sent_count = (invitation.sent_count or 0) + 1
    return message
