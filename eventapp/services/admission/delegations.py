"""Delegations (#17): a group sent by one party, under a head.

Organizers create a delegation with its head (an invitee or a contact of their own) and
the most members it may have holding a place (`seats`). The head gets a page of their own
(`/delegation/<token>`, by email) where they register several members at once, or hand
each a personal link (an invitation of the delegation), and see every member's status.
Members' registrations say which delegation they belong to. Seats are counted under the
event's lock (`invitees.check_seats`), the lock every registration takes, so members
registering at once through their links and the head's page never exceed them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from eventapp.errors import AlreadyRegistered, InvalidInput, RegistrationClosed
from eventapp.languages import normalize_language
from eventapp.links import public_url
from eventapp.models import (
    Account,
    AdmissionMode,
    Category,
    Delegation,
    Event,
    Invitation,
    Registration,
    db,
    utcnow,
)
from eventapp.models import RegistrationStatus as Status
from eventapp.models.registration import new_manage_token
from eventapp.services import locks, mail
from eventapp.services.accounts import normalize_email, record
from eventapp.services.admission import invitees
from eventapp.services.calendar import invitations as itip
from eventapp.services.registration import seat_or_queue
from eventapp.services.registration.waitlist import waitlist_position
from eventapp.services.units import transaction

#: Most members the head registers in one go.
MAX_MEMBERS_AT_ONCE = 20


@dataclass(frozen=True, slots=True)
class DelegationData:
    name: str
    head_given_name: str
    head_email: str
    head_family_name: str = ""
    seats: int | None = None
    locale: str = "en"


@dataclass(frozen=True, slots=True)
class MemberData:
    email: str
    given_name: str
    family_name: str = ""
    organization_name: str | None = None
    job_title: str | None = None
    category: Category = Category.GOVERNMENT


@dataclass(frozen=True, slots=True)
class Members:
    """A delegation's registrations (by name) and its links not used yet."""

    registrations: list[Registration]
    open_invitations: list[Invitation]

    @property
    def holding(self) -> int:
        return sum(1 for r in self.registrations if r.status in invitees.HOLDING)


def find_by_head_token(token: str) -> Delegation | None:
    """The delegation whose head has this page token, or None (also when malformed)."""
    if not token or not 32 <= len(token) <= 64:
        return None
    return db.session.scalar(db.select(Delegation).where(Delegation.head_token == token))


def led_by(registration: Registration) -> Delegation | None:
    """The delegation of the registration's event whose head has this registration's
    address (its self-service page then shows the delegation's statuses)."""
    return db.session.scalar(
        db.select(Delegation)
        .where(
            Delegation.event_id == registration.event_id,
            Delegation.head_email == registration.email,
        )
        .limit(1)
    )


def members(delegation: Delegation) -> Members:
    registrations = sorted(
        db.session.scalars(
            db.select(Registration).where(Registration.delegation_id == delegation.id)
        ),
        key=lambda r: r.sort_key,
    )
    links = list(
        db.session.scalars(
            db.select(Invitation)
            .where(
                Invitation.delegation_id == delegation.id,
                Invitation.registration_id.is_(None),
                Invitation.revoked_at.is_(None),
            )
            .order_by(Invitation.family_name, Invitation.given_name)
        )
    )
    return Members(registrations, links)


def create_delegation(
    event: Event, data: DelegationData, *, by: Account | None = None, now: datetime | None = None
) -> Delegation:
    """Create a delegation and email its head the link to their page. Raises InvalidInput
    (a name taken in this event, negative seats)."""
    now = now or utcnow()
    if data.seats is not None and data.seats < 0:
        raise InvalidInput("seats cannot be negative", field="seats")
    try:
        with transaction():
            delegation = Delegation(
                event_id=event.id,
                name=" ".join(data.name.split()),
                seats=data.seats,
                head_given_name=data.head_given_name,
                head_family_name=data.head_family_name,
                head_email=normalize_email(data.head_email),
                locale=normalize_language(data.locale),
                created_at=now,
            )
            db.session.add(delegation)
            db.session.flush()
            _send_head_link(delegation, event, now=now)
            record(by, "event.delegation", event, {"name": delegation.name})
    except IntegrityError as error:
        raise InvalidInput("a delegation of this name exists already", field="name") from error
    return delegation


def set_seats(
    delegation: Delegation, seats: int | None, *, by: Account | None = None
) -> Delegation:
    """Change how many members may hold a place (fewer than now: nobody loses theirs,
    new ones are refused). Raises InvalidInput."""
    if seats is not None and seats < 0:
        raise InvalidInput("seats cannot be negative", field="seats")
    with transaction():
        delegation.seats = seats
        record(by, "delegation.seats", delegation, {"seats": seats})
    return delegation


def register_members(
    delegation: Delegation, people: Sequence[MemberData], *, now: datetime | None = None
) -> list[Registration]:
    """The head registers these members at once: all of them or, when one cannot be
    (seats, an address registered already or given twice), none. Each gets their own
    email (confirmed, waiting list, or awaiting approval on an approval event).
    Raises DelegationFull, AlreadyRegistered (`details['email']`), InvalidInput,
    RegistrationClosed."""
    now = now or utcnow()
    if not people:
        raise InvalidInput("name at least one member", field="members")
    if len(people) > MAX_MEMBERS_AT_ONCE:
        raise InvalidInput("too many members at once", field="members")
    emails = [normalize_email(p.email) for p in people]
    if len(set(emails)) != len(emails):
        raise InvalidInput("an address is given twice", field="members")
    made: list[Registration] = []
    try:
        with transaction():
            event = locks.lock_event(db.session.get_one(Event, delegation.event_id))
            if not event.registration_is_open(now):
                raise RegistrationClosed(event.slug)
            taken = set(
                db.session.scalars(
                    db.select(Registration.email).where(
                        Registration.event_id == event.id, Registration.email.in_(emails)
                    )
                )
            )
            if taken:
                raise AlreadyRegistered(event.slug, email=sorted(taken)[0])
            invitees.check_seats(delegation.id, len(people))
            for person, email in zip(people, emails, strict=True):
                made.append(_register_member(event, delegation, person, email, now))
    except IntegrityError as error:
        raise AlreadyRegistered(delegation.name) from error
    return made


def invite_member(
    delegation: Delegation, data: MemberData, *, now: datetime | None = None
) -> Invitation:
    """The head hands a member a personal link (an invitation of the delegation)."""
    event = db.session.get_one(Event, delegation.event_id)
    return invitees.invite(
        event,
        invitees.InviteeData(
            email=data.email,
            given_name=data.given_name,
            family_name=data.family_name,
            organization_name=data.organization_name,
            category=data.category,
            delegation_id=delegation.id,
            locale=delegation.locale,
        ),
        now=now,
    )


def _register_member(
    event: Event, delegation: Delegation, person: MemberData, email: str, now: datetime
) -> Registration:
    registration = Registration(
        event=event,
        email=email,
        given_name=person.given_name,
        family_name=person.family_name,
        organization_name=person.organization_name,
        job_title=person.job_title,
        category=person.category,
        locale=delegation.locale,
        delegation_id=delegation.id,
        manage_token=new_manage_token(),
        consented_at=now,
        created_at=now,
    )
    # Added only once its status is decided: flushed earlier (by the seat count's
    # autoflush), it would count as a seat taken by itself.
    if event.admission_mode is AdmissionMode.APPROVAL:
        registration.status = Status.PENDING
        db.session.add(registration)
        db.session.flush()
        mail.send_pending(registration, now=now)
    else:
        seat_or_queue(event, registration, now)
        db.session.add(registration)
        db.session.flush()
        if registration.status is Status.CONFIRMED:
            calendar = itip.confirmation_calendar(registration, now=now)
            mail.send_confirmation(registration, calendar=calendar, now=now)
        else:
            mail.send_waitlisted(registration, position=waitlist_position(registration), now=now)
    # A link the member had not used yet is used up by this registration.
    invitation = db.session.scalar(
        db.select(Invitation).where(
            Invitation.event_id == event.id,
            Invitation.email == email,
            Invitation.registration_id.is_(None),
        )
    )
    invitees.used_by(invitation, registration)
    return registration


def _send_head_link(delegation: Delegation, event: Event, *, now: datetime) -> None:
    db.session.add(
        mail.compose_for(
            "delegation_head",
            event=event,
            recipient=delegation,
            locale=delegation.locale,
            name=delegation.head_name,
            address=delegation.head_email,
            subject=lambda title: gettext("Your delegation's page: %(title)s", title=title),
            now=now,
            delegation=delegation,
            delegation_url=public_url("delegation.page", token=delegation.head_token),
        )
    )
