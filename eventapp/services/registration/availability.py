"""What visitors are told before they register: open, full, not yet open or closed.

Read-only and without locks: the answer can be a moment old (the registration itself
decides under the event's lock, in `services/registration/`), but it must never say
"open" where the registration would waitlist everyone, or "full" where seats are left.
Seats are counted once, in `waitlist.count_seats` and `signups.seats_taken`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from eventapp.models import AgendaSession, Event, utcnow
from eventapp.services.registration import signups, waitlist


class State(StrEnum):
    OPEN = "open"
    #: Registering still works, but only onto the waiting list.
    FULL = "full"
    NOT_OPEN = "not_open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Availability:
    state: State
    #: Seats a new registrant can still get; None when unlimited or not to be shown.
    seats_left: int | None = None
    #: When registration opens (NOT_OPEN) or closes (OPEN, FULL, CLOSED), if it does.
    opens_at: datetime | None = None
    closes_at: datetime | None = None


def event_availability(event: Event, *, now: datetime | None = None) -> Availability:
    """The event's registration as a visitor should see it at `now`."""
    now = now or utcnow()
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens is not None and now < opens:
        return Availability(State.NOT_OPEN, opens_at=opens, closes_at=closes)
    if closes is not None and now >= closes:
        return Availability(State.CLOSED, closes_at=closes)
    seats = waitlist.count_seats(event.id)
    if seats.capacity is None:
        return Availability(State.OPEN, closes_at=closes)
    # Those already waiting take free seats first (as `registration.register` does).
    left = max(seats.capacity - seats.confirmed - seats.waiting, 0)
    state = State.OPEN if left else State.FULL
    return Availability(state, seats_left=left if event.show_seats_left else None, closes_at=closes)


def events_availability(
    events: Iterable[Event], *, now: datetime | None = None
) -> dict[int, Availability]:
    """`event_availability` of each event, by event id (for the list of events)."""
    now = now or utcnow()
    return {event.id: event_availability(event, now=now) for event in events}


def session_availability(session: AgendaSession) -> Availability | None:
    """Seats in a session that needs a sign-up; None for a session open to every attendee."""
    if session.capacity is None:
        return None
    taken = signups.seats_taken([session.id]).get(session.id, 0)
    left = max(session.capacity - taken, 0)
    show = session.event.show_seats_left
    return Availability(State.OPEN if left else State.FULL, seats_left=left if show else None)
