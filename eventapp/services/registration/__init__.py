"""Registrations: registering, the waiting list, self-service changes, cancelling.

Seats are never overbooked, whatever the concurrency: every service that takes or frees
a seat first locks the event row, then the session rows it touches, in the one order
`services/locks.py` keeps (no deadlock), counts under those locks, writes, queues its
emails and commits once. The UNIQUE (event, email) constraint
is the backstop against a duplicate that slips past the first check.
Seat counting and promotion live in `services/registration/waitlist.py`, session seats in
`services/registration/signups.py`, the texts of the emails in `services/mail/`.

Homes in this package: this module (registering), `changes` (details, sessions, cancelling,
filling free seats), `waitlist`
(event seats, the event's waiting list, promotion), `signups` (session seats), `queues`
(first come, first served), `availability` (open, full, closed), `registrants`
(organizers' search, edit, export), `email_change`, `personal_data` (the registrant's rights).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, func
from sqlalchemy.exc import IntegrityError

from eventapp.errors import (
    AlreadyRegistered,
    InvitationRequired,
    RegistrationClosed,
)
from eventapp.models import (
    AdmissionMode,
    Category,
    Event,
    Invitation,
    OutboxMessage,
    Registration,
    db,
    insert_row,
    utcnow,
)
from eventapp.models import RegistrationStatus as Status
from eventapp.models.registration import new_manage_token
from eventapp.names import NameOrder, default_order
from eventapp.services import locks, mail
from eventapp.services.accounts import normalize_email
from eventapp.services.calendar import invitations
from eventapp.services.questions.answers import AnswerValue, add_answers
from eventapp.services.registration import signups, waitlist
from eventapp.services.registration.waitlist import waitlist_position
from eventapp.services.units import transaction

#: The self-service link is re-sent at most this often (see `resend_link`).
RESEND_INTERVAL = timedelta(minutes=10)

#: Shortest token accepted; anything shorter is refused without a query.
_MIN_TOKEN_LENGTH = 32


@dataclass(frozen=True, slots=True)
class PersonDetails:
    """What a registrant tells about themselves (everything but the email)."""

    given_name: str
    family_name: str = ""
    name_alt: str | None = None
    organization_name: str | None = None
    job_title: str | None = None
    country: str | None = None
    category: Category = Category.OTHER
    dietary_needs: str | None = None
    accessibility_needs: str | None = None
    #: How the Latin-script name is written; None: `names.default_order` decides.
    name_order: NameOrder | None = None

    def __post_init__(self) -> None:
        if self.name_order is None:  # frozen: set once, here
            object.__setattr__(self, "name_order", default_order(self.name_alt, self.country))


@dataclass(frozen=True, slots=True)
class RegistrationData:
    """One filled-in registration form."""

    email: str
    details: PersonDetails
    session_ids: tuple[int, ...] = field(default_factory=tuple)
    #: Interface language while registering; the emails are written in it.
    locale: str = "en"
    #: Answers to the event's questions, checked by `questions.answers.check_answers`.
    answers: tuple[AnswerValue, ...] = ()


@dataclass(frozen=True, slots=True)
class RegistrationOutcome:
    registration: Registration
    #: 1-based place on the waiting list, or None when confirmed.
    waitlist_position: int | None
    #: The registration's id and status when it was committed (reading them from
    #: `registration` after the commit costs a query).
    registration_id: int
    status: Status


def find_by_manage_token(token: str) -> Registration | None:
    """The registration with this self-service token, or None (also for malformed tokens)."""
    if not token or len(token) < _MIN_TOKEN_LENGTH or len(token) > 64:
        return None
    registration = db.session.scalar(
        db.select(Registration).where(Registration.manage_token == token)
    )
    # The index finds the row; compare again in constant time for good measure.
    if registration is None or not hmac.compare_digest(registration.manage_token, token):
        return None
    return registration


def find_by_email(event: Event, email: str) -> Registration | None:
    """The event's registration for this (normalized) email, or None."""
    return db.session.scalar(_by_email(event, email))


def _by_email(event: Event, email: str) -> Select[Any]:
    return db.select(Registration).where(
        Registration.event_id == event.id, Registration.email == normalize_email(email)
    )


def register(
    event: Event,
    data: RegistrationData,
    *,
    invitation: Invitation | None = None,
    now: datetime | None = None,
) -> RegistrationOutcome:
    """Register one person: confirmed while seats are left, else on the waiting list.

    An invitation-only event (#17) registers only through an unused `invitation` of its
    own, for the invited address (`admission.invitees.claim`): raises InvitationRequired,
    DelegationFull. An invitation on another event's form only prefills it.

    Raises RegistrationClosed, AlreadyRegistered (also for a cancelled registration: only
    its manage link may take it up again, see `register_again`), InvalidInput (unknown
    session).

    The event's lock is held only to count, decide and write: everything that can be
    prepared before (the confirmation email and its invitation, for a new registration
    without session choices: the common case) is prepared before the lock is taken.
    """
    now = now or utcnow()
    _check_open(event, now)
    mode = event.admission_mode
    if mode is AdmissionMode.INVITATION and invitation is None:
        raise InvitationRequired("this event is by invitation only", reason="missing")
    invited = invitation is not None and invitation.event_id == event.id
    email = normalize_email(invitation.email if invited and invitation else data.email)
    try:
        with transaction():
            registration = Registration(
                event=event, email=email, created_at=now, manage_token=new_manage_token()
            )
            _fill_in(registration, data, now)
            approval = mode is AdmissionMode.APPROVAL
            # Written before the lock, betting on a new registration and a free seat.
            confirmation = (
                None
                if data.session_ids or approval or invited
                else _confirmation(registration, now)
            )
            found = _lock_event_and_find(event, email)
            if invited or mode is AdmissionMode.INVITATION:
                from eventapp.services.admission import invitees  # (imports this module)

                # First: a used link says so, rather than "registered already".
                invitees.claim(event, invitation, registration)
            if found is not None:
                # Never overwritten from the form, whatever its status (#15): the caller
                # sends the manage link to the address instead.
                raise AlreadyRegistered(event.slug)
            if approval:
                # Waits for an organizer (`services/admission`): no seat, no invitation
                # until approved; session choices are kept, to be applied then.
                outcome = _hold_for_approval(registration, now, data.answers)
                if data.session_ids:
                    signups.hold_choices(registration, data.session_ids, now=now)
                if invited:
                    invitees.used_by(invitation, registration)
                return outcome
            seat_or_queue(event, registration, now)
            insert_row(registration)  # a quarter of the cost of add + flush
            if data.answers:
                add_answers(registration, data.answers)
            if invited:
                invitees.used_by(invitation, registration)
            if data.session_ids:
                signups.replace_choices(registration, data.session_ids, now=now)
            outcome = _tell(registration, now, confirmation)
    except IntegrityError as error:
        # Lost a race with a second submission of the same email: answer as for a duplicate.
        if find_by_email(event, email) is None:
            raise
        raise AlreadyRegistered(event.slug) from error
    return outcome


def register_again(
    registration: Registration, *, now: datetime | None = None
) -> RegistrationOutcome:
    """Take a cancelled registration up again, from its manage link (the public form never
    overwrites a registration): a seat if one is left, else the end of the waiting list.
    An active registration is left as it is. Raises RegistrationClosed."""
    now = now or utcnow()
    _check_open(registration.event, now)
    with transaction():
        event = locks.lock_event(registration.event)
        db.session.refresh(registration)
        if registration.status is not Status.CANCELLED:
            position = waitlist_position(registration)
            return RegistrationOutcome(
                registration, position, registration_id=registration.id, status=registration.status
            )
        registration.cancelled_at = None
        if event.admission_mode is AdmissionMode.APPROVAL:
            registration.status = Status.PENDING
            mail.send_pending(registration, now=now)
            return RegistrationOutcome(
                registration, None, registration_id=registration.id, status=Status.PENDING
            )
        seat_or_queue(event, registration, now)
        outcome = _tell(registration, now)
    return outcome


def resend_link(event: Event, email: str, *, now: datetime | None = None) -> bool:
    """Queue the self-service link again for this email; False when nobody has it.

    At most one such email per RESEND_INTERVAL, so the form cannot be used to flood
    someone's inbox (a quieter repeat still answers True: the link is on its way).
    """
    now = now or utcnow()
    with transaction():
        # The registration's row lock makes check-then-send atomic: a second request at
        # the same moment waits here, then sees the first one's email and sends nothing.
        registration = db.session.scalar(_by_email(event, email).with_for_update(of=Registration))
        if registration is None:
            return False
        last = db.session.scalar(
            db.select(func.max(OutboxMessage.created_at)).where(
                OutboxMessage.registration_id == registration.id,
                OutboxMessage.kind == "manage_link",
            )
        )
        if last is None or now - last >= RESEND_INTERVAL:
            mail.send_manage_link(registration, now=now)
    return True


# Private helpers: they flush at most; the public service commits.


#: `_lock_event_and_find`'s statement, built once (building it cost more than running it).
_LOCK_EVENT_AND_FIND = (
    db.select(
        Event.id,
        db.select(Registration.id)
        .where(
            Registration.event_id == bindparam("event_id"), Registration.email == bindparam("email")
        )
        .scalar_subquery(),
    )
    .where(Event.id == bindparam("event_id"))
    .with_for_update(of=Event)
)


def _lock_event_and_find(event: Event, email: str) -> Registration | None:
    """Lock the event row (as `locks.lock_event`) and find the email's registration, in
    one statement. The lookup reads with the snapshot from before the lock was granted,
    so it can miss a registration for the same email committed meanwhile; inserting a
    second one then fails on the UNIQUE (event, email) constraint, as a duplicate. Run on
    the connection, without the session's autoflush: nothing pending changes what it reads."""
    connection = db.session.connection()
    found = connection.execute(_LOCK_EVENT_AND_FIND, {"event_id": event.id, "email": email})
    registration_id = found.one()[1]
    locks.held_event_lock(event.id)
    if registration_id is None:
        return None
    return db.session.get(Registration, registration_id, populate_existing=True)


def _check_open(event: Event, now: datetime) -> None:
    if not event.registration_is_open(now):
        early = event.registration_opens_at is not None and now < event.registration_opens_at
        raise RegistrationClosed(event.slug, reason="not_open" if early else "closed")


def _hold_for_approval(
    registration: Registration, now: datetime, answers: tuple[AnswerValue, ...] = ()
) -> RegistrationOutcome:
    """Keep a new registration of an approval-required event as pending (event locked)."""
    registration.status = Status.PENDING
    insert_row(registration)
    if answers:
        add_answers(registration, answers)
    mail.send_pending(registration, now=now)
    return RegistrationOutcome(
        registration, None, registration_id=registration.id, status=Status.PENDING
    )


def seat_or_queue(event: Event, registration: Registration, now: datetime) -> None:
    """Confirm the registration while seats are left, else queue it (event locked). Free
    seats go to those already waiting first: nobody jumps the waiting list. The one rule
    that keeps seats from being overbooked: registering, registering again and approving
    (`services/admission.py`) all go through here. A category at its quota (#17) waits
    even when seats are left."""
    seats = waitlist.count_seats(event.id)
    if seats.free and seats.waiting:
        waitlist.promote_waiting(event, now)
        seats = waitlist.count_seats(event.id)
    if seats.free and waitlist.may_seat(registration, waitlist.quota_left(event.id)):
        waitlist.confirm(registration, now)
    else:
        waitlist.put_on_waitlist(registration, now)


def _tell(
    registration: Registration, now: datetime, confirmation: OutboxMessage | None = None
) -> RegistrationOutcome:
    """Queue the confirmation (`confirmation` if prepared already) or the waiting-list
    notice, and return the outcome, read before the commit expires it (no query later)."""
    if registration.status is Status.CONFIRMED:
        insert_row(confirmation or _confirmation(registration, now))
        position = None
    else:
        position = waitlist_position(registration)
        mail.send_waitlisted(registration, position=position, now=now)
    return RegistrationOutcome(
        registration, position, registration_id=registration.id, status=registration.status
    )


def _confirmation(registration: Registration, now: datetime) -> OutboxMessage:
    """The confirmation email with the event's invitation, not yet queued."""
    calendar = invitations.confirmation_calendar(registration, now=now)
    return mail.compose_confirmation(registration, now=now, calendar=calendar)


def _fill_in(registration: Registration, data: RegistrationData, now: datetime) -> None:
    """What the form says, and the moment of consent."""
    apply_details(registration, data.details)
    registration.locale = data.locale
    registration.consented_at = now
    registration.cancelled_at = None


def apply_details(registration: Registration, details: PersonDetails) -> None:
    """Write the person's details onto the registration (no commit)."""
    for name in PersonDetails.__slots__:
        setattr(registration, name, getattr(details, name))
