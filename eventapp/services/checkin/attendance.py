"""Who is in: the one definition of "checked in", and the counts the door staff see.

A registration is **checked in** once it has been admitted anywhere at its event, at the
door or at any of its sessions: it has an `Attendance` row (the row `check_in` writes once
per person and place). Whatever its status became afterwards, the person was there. At a
session, checked in means an `Attendance` row for that session. Every count of check-ins
(the stats API, the dashboard, the door counts, the registrants list and CSV) uses the
functions below, and nothing reads `Scan` rows for it: scans are the log of every attempt.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Integer, case, exists, func, or_

from eventapp.models import (
    AgendaSession,
    Category,
    Event,
    Registration,
    RegistrationStatus,
    db,
)
from eventapp.models.checkin import Attendance
from eventapp.services.registration.signups import seats_taken


def is_checked_in() -> ColumnElement[bool]:
    """SQL condition on `Registration`: admitted at its event's door or at any session."""
    return exists().where(Attendance.registration_id == Registration.id)


def checked_in_ids(registration_ids: list[int]) -> set[int]:
    """Which of these registrations are checked in."""
    if not registration_ids:
        return set()
    return set(
        db.session.scalars(
            db.select(Registration.id).where(Registration.id.in_(registration_ids), is_checked_in())
        )
    )


def checked_in_count(event: Event) -> int:
    """How many of `event`'s registrations are checked in."""
    return (
        db.session.scalar(
            db.select(func.count(Registration.id)).where(
                Registration.event_id == event.id, is_checked_in()
            )
        )
        or 0
    )


def checked_in_by_session(event: Event) -> dict[int, int]:
    """How many people are checked in at each of `event`'s sessions (absent: none)."""
    return dict(
        db.session.execute(
            db.select(Attendance.session_id, func.count(Attendance.id))
            .where(Attendance.event_id == event.id, Attendance.session_id.is_not(None))
            .group_by(Attendance.session_id)
        ).all()
    )


@dataclass(frozen=True, slots=True)
class CategoryCount:
    category: Category
    confirmed: int
    checked_in: int


@dataclass(frozen=True, slots=True)
class SessionCount:
    session: AgendaSession
    checked_in: int
    #: Confirmed sign-ups, for sessions with a capacity (None otherwise).
    signed_up: int | None


@dataclass(frozen=True, slots=True)
class CheckinCounts:
    """Who is in, by category and per session, against who is expected (confirmed)."""

    confirmed: int
    checked_in: int
    categories: tuple[CategoryCount, ...]
    sessions: tuple[SessionCount, ...]

    def at(self, session_id: int | None) -> tuple[int, int]:
        """Checked in / expected at the event door (None) or at one session: a session with
        a capacity expects its seat holders, one without it everyone confirmed."""
        for s in self.sessions:
            if s.session.id == session_id:
                return s.checked_in, self.confirmed if s.signed_up is None else s.signed_up
        return self.checked_in, self.confirmed


def checkin_counts(event: Event) -> CheckinCounts:
    """Checked in / confirmed for `event`, by category and per session (four queries)."""
    confirmed = Registration.status == RegistrationStatus.CONFIRMED
    rows = db.session.execute(
        db.select(
            Registration.category,
            func.sum(case((confirmed, 1), else_=0), type_=Integer),
            func.sum(case((is_checked_in(), 1), else_=0), type_=Integer),
        )
        .where(Registration.event_id == event.id, or_(confirmed, is_checked_in()))
        .group_by(Registration.category)
    ).all()
    categories = tuple(
        CategoryCount(Category(category), int(expected or 0), int(checked_in or 0))
        for category, expected, checked_in in sorted(rows, key=lambda row: row[0])
    )
    attended = checked_in_by_session(event)
    sessions = db.session.scalars(
        db.select(AgendaSession)
        .where(AgendaSession.event_id == event.id)
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).all()
    signed_up = seats_taken([s.id for s in sessions if s.capacity is not None])
    return CheckinCounts(
        confirmed=sum(c.confirmed for c in categories),
        checked_in=sum(c.checked_in for c in categories),
        categories=categories,
        sessions=tuple(
            SessionCount(
                s,
                attended.get(s.id, 0),
                signed_up.get(s.id, 0) if s.capacity is not None else None,
            )
            for s in sessions
        ),
    )
