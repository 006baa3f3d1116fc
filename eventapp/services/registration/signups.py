"""Session seats for sessions that have their own capacity, with a waiting list per session.

Helpers of `services/registration/`, which locks the event row first and commits:
these only lock session rows (`locks.lock_sessions`, after the event) and flush. Only a confirmed
registration holds a session seat; a waitlisted one waits for its event seat first.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import func

from eventapp.errors import InvalidInput
from eventapp.models import AgendaSession, Registration, SessionSignup, SessionStatus, db
from eventapp.models import RegistrationStatus as Status
from eventapp.services import mail
from eventapp.services.calendar import invitations
from eventapp.services.locks import lock_sessions
from eventapp.services.registration.queues import place_in_queue


def choosable_sessions(event_id: int) -> Sequence[AgendaSession]:
    """Published, not cancelled sessions of the event that need a sign-up (have a capacity)."""
    return db.session.scalars(
        db.select(AgendaSession)
        .where(
            AgendaSession.event_id == event_id,
            AgendaSession.is_published,
            AgendaSession.status == SessionStatus.CONFIRMED,
            AgendaSession.capacity.is_not(None),
        )
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).all()


def shown_signups(registration: Registration) -> list[SessionSignup]:
    """The registration's sign-ups the attendee is shown (/me and its data.json), in time
    order: only sessions still published and not cancelled. A withdrawn session may be
    renamed afterwards; the attendee already got its CANCEL."""
    return sorted(
        (s for s in registration.signups if s.session.is_published and not s.session.is_cancelled),
        key=lambda s: (s.session.starts_at, s.session_id),
    )


def session_position(signup: SessionSignup) -> int | None:
    """The sign-up's 1-based place on its session's waiting list, or None when seated."""
    return place_in_queue(signup, SessionSignup.session_id == signup.session_id)


def replace_choices(
    registration: Registration, session_ids: Collection[int], *, now: datetime
) -> None:
    """Make the registration's sign-ups exactly `session_ids`. Raises InvalidInput."""
    wanted = set(session_ids)
    allowed = {s.id for s in choosable_sessions(registration.event_id)}
    if not wanted <= allowed:
        raise InvalidInput("not a session with sign-up", field="sessions")
    current = {signup.session_id: signup for signup in registration.signups}
    lock_sessions(registration.event_id, wanted | set(current))
    for session_id in sorted(set(current) - wanted):
        _release(current[session_id], now=now)
    for session_id in sorted(wanted - set(current)):
        # Flushed as waiting first, so the seat count below never counts it.
        signup = SessionSignup(
            registration=registration,
            session_id=session_id,
            created_at=now,
            status=Status.WAITLISTED,
            waitlisted_at=now,
        )
        db.session.add(signup)
        db.session.flush()
        if registration.status is Status.CONFIRMED and _has_free_seat(session_id):
            signup.status = Status.CONFIRMED
            signup.waitlisted_at = None
            db.session.flush()
            # The seat goes into the attendee's calendar (one iTIP message per session).
            invitations.queue_session_invitation(registration, signup.session, now=now)


def release_all(registration: Registration, *, now: datetime) -> None:
    """Give up every session seat of the registration (cancelled or deleted)."""
    signups = list(registration.signups)
    lock_sessions(registration.event_id, {signup.session_id for signup in signups})
    for signup in sorted(signups, key=lambda s: s.session_id):
        _release(signup, now=now)


def seat_waiting(registration: Registration, *, now: datetime) -> None:
    """After the registration was confirmed: seat its waiting sign-ups where room is left."""
    waiting = [s for s in registration.signups if s.status is Status.WAITLISTED]
    lock_sessions(registration.event_id, {signup.session_id for signup in waiting})
    for signup in sorted(waiting, key=lambda s: s.session_id):
        if _has_free_seat(signup.session_id):
            signup.status = Status.CONFIRMED
            signup.waitlisted_at = None
            db.session.flush()
            invitations.queue_session_invitation(registration, signup.session, now=now)


def _free_seats(session_id: int) -> int | None:
    """Seats left in the session (its lock held); None when it has no limit."""
    capacity, confirmed = db.session.execute(
        db.select(
            AgendaSession.capacity,
            db.select(func.count(SessionSignup.id))
            .where(
                SessionSignup.session_id == session_id,
                SessionSignup.status == Status.CONFIRMED,
            )
            .scalar_subquery(),
        ).where(AgendaSession.id == session_id)
    ).one()
    return None if capacity is None else max(capacity - confirmed, 0)


def _has_free_seat(session_id: int) -> bool:
    free = _free_seats(session_id)
    return free is None or free > 0


def _release(signup: SessionSignup, *, now: datetime) -> None:
    """Delete the sign-up; a seat it held goes to the first confirmed attendee waiting."""
    held_seat = signup.status is Status.CONFIRMED
    session_id = signup.session_id
    if held_seat:  # the seat leaves the attendee's calendar
        invitations.queue_session_invitation(
            signup.registration, signup.session, method="CANCEL", now=now
        )
    signup.registration.signups.remove(signup)
    db.session.delete(signup)
    db.session.flush()
    if held_seat:
        promote_waiting(session_id, now=now)


def promote_waiting(session_id: int, *, now: datetime) -> list[SessionSignup]:
    """Seat the session's waiting list, oldest first, while seats are free (its lock held):
    after a seat was given up, the capacity raised, or the organizer's "fill free seats".
    Only confirmed registrations are seated, and only in a published, confirmed session;
    each is told by email with the session's invitation."""
    session = db.session.get(AgendaSession, session_id)
    if session is None or not session.is_published or session.is_cancelled:
        return []
    # Count once, then take that many from the list (not a count and a select per seat).
    free = _free_seats(session_id)
    if free == 0:
        return []
    promoted = db.session.scalars(
        db.select(SessionSignup)
        .join(SessionSignup.registration)
        .where(
            SessionSignup.session_id == session_id,
            SessionSignup.status == Status.WAITLISTED,
            Registration.status == Status.CONFIRMED,
        )
        .order_by(SessionSignup.waitlisted_at, SessionSignup.id)
        .limit(free)
    ).all()
    for waiting in promoted:
        waiting.status = Status.CONFIRMED
        waiting.waitlisted_at = None
        db.session.flush()
        mail.send_session_promoted(
            waiting,
            now=now,
            calendar=invitations.invitation(
                waiting.registration, session=waiting.session, stamp=now
            ),
        )
    return list(promoted)


def seats_taken(session_ids: Collection[int]) -> dict[int, int]:
    """Confirmed sign-ups per session, for the sessions given (missing means none)."""
    return signup_counts(session_ids, Status.CONFIRMED)


def signup_counts(session_ids: Collection[int], status: Status) -> dict[int, int]:
    """Sign-ups in `status` per session, for the sessions given (missing means none)."""
    if not session_ids:
        return {}
    rows = db.session.execute(
        db.select(SessionSignup.session_id, func.count(SessionSignup.id))
        .where(SessionSignup.session_id.in_(list(session_ids)), SessionSignup.status == status)
        .group_by(SessionSignup.session_id)
    ).all()
    return {session_id: count for session_id, count in rows}


def seats_given_up(registration: Registration, session_ids: Collection[int]) -> list[SessionSignup]:
    """The seats the registration holds that choosing exactly `session_ids` would give up."""
    keep = set(session_ids)
    return [
        signup
        for signup in shown_signups(registration)
        if signup.status is Status.CONFIRMED and signup.session_id not in keep
    ]


# Approval-required events (#17): the form's choices wait with the registration.


def hold_choices(
    registration: Registration, session_ids: Collection[int], *, now: datetime
) -> None:
    """Keep a pending registration's session choices as pending sign-ups (no seat, no
    waiting-list place) until an organizer decides. Raises InvalidInput."""
    wanted = set(session_ids)
    if not wanted <= {s.id for s in choosable_sessions(registration.event_id)}:
        raise InvalidInput("not a session with sign-up", field="sessions")
    for session_id in sorted(wanted):
        db.session.add(
            SessionSignup(
                registration=registration,
                session_id=session_id,
                created_at=now,
                status=Status.PENDING,
            )
        )
    db.session.flush()


def held_choices(registration: Registration) -> list[int]:
    """The session ids a pending registration chose on the form."""
    return sorted(s.session_id for s in registration.signups if s.status is Status.PENDING)


def apply_held(registration: Registration, *, now: datetime) -> None:
    """After approval (event locked): the held choices become sign-ups under the usual
    rule, a seat or that session's waiting list (`replace_choices`). Sessions no longer
    open to sign-up (cancelled, unpublished meanwhile) are left out."""
    held = held_choices(registration)
    drop_held(registration)
    if held:
        allowed = {s.id for s in choosable_sessions(registration.event_id)}
        replace_choices(registration, [i for i in held if i in allowed], now=now)


def drop_held(registration: Registration) -> None:
    """Forget a pending registration's held choices (declined, or applied)."""
    for signup in [s for s in registration.signups if s.status is Status.PENDING]:
        registration.signups.remove(signup)
    db.session.flush()
