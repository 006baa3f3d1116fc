"""Who is in: check-ins against confirmed registrations, by category and per session."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func

from eventapp.models import (
    AgendaSession,
    Category,
    Event,
    Registration,
    RegistrationStatus,
    SessionSignup,
    db,
)
from eventapp.models.checkin import Attendance


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
    """Who is in: at the event door, by category, and per session."""

    confirmed: int
    checked_in: int
    categories: tuple[CategoryCount, ...]
    sessions: tuple[SessionCount, ...]


def checkin_counts(event: Event) -> CheckinCounts:
    """Checked in / confirmed for `event`, by category and per session (four queries)."""
    door = and_(Attendance.registration_id == Registration.id, Attendance.session_id.is_(None))
    rows = db.session.execute(
        db.select(Registration.category, func.count(Registration.id), func.count(Attendance.id))
        .outerjoin(Attendance, door)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .group_by(Registration.category)
    ).all()
    categories = tuple(
        CategoryCount(Category(category), confirmed, checked_in)
        for category, confirmed, checked_in in sorted(rows, key=lambda row: row[0])
    )
    attended = dict(
        db.session.execute(
            db.select(Attendance.session_id, func.count(Attendance.id))
            .where(Attendance.event_id == event.id, Attendance.session_id.is_not(None))
            .group_by(Attendance.session_id)
        ).all()
    )
    signed_up = dict(
        db.session.execute(
            db.select(SessionSignup.session_id, func.count(SessionSignup.id))
            .join(AgendaSession, AgendaSession.id == SessionSignup.session_id)
            .where(
                AgendaSession.event_id == event.id,
                SessionSignup.status == RegistrationStatus.CONFIRMED,
            )
            .group_by(SessionSignup.session_id)
        ).all()
    )
    sessions = db.session.scalars(
        db.select(AgendaSession)
        .where(AgendaSession.event_id == event.id)
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).all()
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
