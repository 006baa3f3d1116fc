"""Event seats and the event's waiting list: counting, queueing, promoting.

Helpers of `services/registration/`, which calls `locks.lock_event` first in every unit
of work that takes or frees a seat, and commits. These only flush. First come, first
served: the waiting list is ordered by `waitlisted_at`, then id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ScalarSelect, bindparam, func

from eventapp.models import CategoryQuota, Event, Registration, db
from eventapp.models import RegistrationStatus as Status
from eventapp.services import mail
from eventapp.services.calendar import invitations
from eventapp.services.registration import signups
from eventapp.services.registration.queues import place_in_queue


def waitlist_position(registration: Registration) -> int | None:
    """The registration's 1-based place on the event's waiting list, or None."""
    return place_in_queue(registration, Registration.event_id == registration.event_id)


@dataclass(frozen=True, slots=True)
class Seats:
    """An event's seats as counted under its lock."""

    capacity: int | None
    confirmed: int
    waiting: int

    @property
    def free(self) -> bool:
        return self.capacity is None or self.confirmed < self.capacity


def _count(status: Status) -> ScalarSelect[int]:
    return (
        db.select(func.count())  # count(*): read from the index alone
        .select_from(Registration)
        .where(Registration.event_id == bindparam("event_id"), Registration.status == status)
        .scalar_subquery()
    )


#: Built once: building the statement cost more than running it.
_COUNT_SEATS = db.select(Event.capacity, _count(Status.CONFIRMED), _count(Status.WAITLISTED)).where(
    Event.id == bindparam("event_id")
)


def count_seats(event_id: int) -> Seats:
    """The event's capacity, confirmed and waiting registrations (exact under its lock).

    Its own statement, after the one that took the lock: on PostgreSQL a statement that
    waited for a lock still reads with the snapshot it started with, so counting in the
    locking statement could miss the registration whose commit released the lock.
    """
    # Run on the connection (the ORM's execution costs more than the query), so flush here
    # what the session would have flushed first: a status changed in this transaction counts.
    db.session.flush()
    connection = db.session.connection()
    capacity, confirmed, waiting = connection.execute(_COUNT_SEATS, {"event_id": event_id}).one()
    return Seats(capacity, int(confirmed), int(waiting))


def quota_left(event_id: int) -> dict[str, int]:
    """Seats left per category that has a quota (#17), counted under the event's lock; a
    category without a quota is absent (only the capacity limits it)."""
    quotas = db.session.execute(
        db.select(CategoryQuota.category, CategoryQuota.seats).where(
            CategoryQuota.event_id == event_id
        )
    ).all()
    if not quotas:
        return {}
    db.session.flush()
    taken = dict(
        db.session.execute(
            db.select(Registration.category, func.count())
            .where(
                Registration.event_id == event_id,
                Registration.status == Status.CONFIRMED,
                Registration.category.in_([category for category, _ in quotas]),
            )
            .group_by(Registration.category)
        ).all()
    )
    return {str(category): seats - int(taken.get(category, 0)) for category, seats in quotas}


def may_seat(registration: Registration, left: dict[str, int]) -> bool:
    """Whether the registration's category has a seat left under its quota (if any)."""
    return left.get(str(registration.category), 1) > 0


def confirm(registration: Registration, now: datetime) -> None:
    """Give the registration a seat."""
    registration.status = Status.CONFIRMED
    registration.confirmed_at = now
    registration.waitlisted_at = None


def put_on_waitlist(registration: Registration, now: datetime) -> None:
    """Queue the registration at the end of the waiting list."""
    registration.status = Status.WAITLISTED
    registration.waitlisted_at = now
    registration.confirmed_at = None


def promote_waiting(event: Event, now: datetime) -> list[Registration]:
    """Confirm waiting registrations, oldest first, while seats are free (event locked)."""
    db.session.flush()
    seats = count_seats(event.id)
    free = seats.waiting if seats.capacity is None else seats.capacity - seats.confirmed
    if free <= 0 or not seats.waiting:
        return []
    waiting_first = (
        db.select(Registration)
        .where(Registration.event_id == event.id, Registration.status == Status.WAITLISTED)
        .order_by(Registration.waitlisted_at, Registration.id)
    )
    left = quota_left(event.id)
    if not left:
        promoted = list(db.session.scalars(waiting_first.limit(free)).all())
    else:
        # A category at its quota keeps waiting; the next in line of another category goes.
        promoted = []
        for waiting in db.session.scalars(waiting_first):
            if len(promoted) == free:
                break
            if may_seat(waiting, left):
                promoted.append(waiting)
                category = str(waiting.category)
                if category in left:
                    left[category] -= 1
    for waiting in promoted:
        promote(waiting, now)
    return promoted


def promote(registration: Registration, now: datetime) -> None:
    """Move one person from the waiting list to a seat (event locked): confirm them, seat
    their waiting session sign-ups where room is left, and send the "a seat is yours"
    email with the event's invitation. Every promotion, automatic or the organizer's,
    goes through here."""
    confirm(registration, now)
    db.session.flush()
    signups.seat_waiting(registration, now=now)
    mail.send_promoted(
        registration, now=now, calendar=invitations.confirmation_calendar(registration, now=now)
    )
