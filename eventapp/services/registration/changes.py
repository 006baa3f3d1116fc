"""Changes after registering: the registrant's details and session choices, cancelling
(by the registrant or an organizer), and the organizers' "fill free seats" for the event
and for a session. Each public service commits once, under the one lock order."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from eventapp.errors import RegistrationCancelled
from eventapp.models import (
    Account,
    AgendaSession,
    Event,
    Registration,
    SessionSignup,
    db,
    utcnow,
)
from eventapp.models import RegistrationStatus as Status
from eventapp.services import locks, mail
from eventapp.services.accounts import record
from eventapp.services.calendar import invitations
from eventapp.services.questions.answers import AnswerValue, replace_answers
from eventapp.services.registration import PersonDetails, apply_details, signups, waitlist
from eventapp.services.units import transaction


def cancel_registration(
    registration: Registration, *, by: Account | None = None, now: datetime | None = None
) -> Registration:
    """Cancel; the seat (and session seats) go to the first on the waiting lists, by email.

    Cancelling twice is harmless. `by` is the staff account when an organizer cancels.
    """
    now = now or utcnow()
    with transaction():
        event = locks.lock_event(registration.event)
        db.session.refresh(registration)
        if registration.status is Status.CANCELLED:
            return registration  # the commit only releases the lock
        was_confirmed = registration.status is Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        signups.release_all(registration, now=now)
        waitlist.promote_waiting(event, now)
        # Only a confirmed registration had the event's invitation to take back.
        calendar = (
            invitations.cancellation_calendar(registration, now=now) if was_confirmed else None
        )
        mail.send_cancelled(registration, now=now, calendar=calendar)
        if by is not None:
            record(by, "registration.cancel", registration)
    return registration


def promote_next(
    event: Event, *, by: Account | None = None, now: datetime | None = None
) -> list[Registration]:
    """Give every free seat to the waiting list, first come first served (the organizer's
    "fill free seats"). Returns the promoted registrations; each is told by email."""
    now = now or utcnow()
    with transaction():
        locks.lock_event(event)
        promoted = waitlist.promote_waiting(event, now)
        record(by, "event.fill_seats", event, {"promoted": len(promoted)})
    return promoted


def fill_session_seats(
    session: AgendaSession, *, by: Account | None = None, now: datetime | None = None
) -> list[SessionSignup]:
    """Give every free seat of a session to its waiting list, first come first served (the
    organizer's "fill free seats"). Returns the seated sign-ups; each is told by email."""
    now = now or utcnow()
    with transaction():
        locks.lock_event(session.event, [session.id])
        promoted = signups.promote_waiting(session.id, now=now)
        record(by, "session.fill_seats", session, {"promoted": len(promoted)})
    return promoted


def update_details(
    registration: Registration,
    details: PersonDetails,
    *,
    answers: tuple[AnswerValue, ...] | None = None,
    now: datetime | None = None,
) -> Registration:
    """Change the registrant's details (not the email: it identifies the registration)
    and, when given, make `answers` their whole set of answers to the event's questions."""
    if registration.status is Status.CANCELLED:
        raise RegistrationCancelled(str(registration.id))
    apply_details(registration, details)
    if answers is not None:
        replace_answers(registration, answers)
    registration.updated_at = now or utcnow()
    db.session.commit()
    return registration


def choose_sessions(
    registration: Registration, session_ids: Iterable[int], *, now: datetime | None = None
) -> Registration:
    """Replace the registration's session choices; full sessions put them on that session's
    waiting list. Raises RegistrationCancelled, InvalidInput (not a session with seats)."""
    now = now or utcnow()
    with transaction():
        locks.lock_event(registration.event)
        db.session.refresh(registration)
        if registration.status in _NO_PLACE:
            raise RegistrationCancelled(str(registration.id))
        signups.replace_choices(registration, tuple(session_ids), now=now)
    return registration


#: Statuses that hold no place at all: no session seats may be chosen.
_NO_PLACE = frozenset({Status.CANCELLED, Status.PENDING, Status.DECLINED})
