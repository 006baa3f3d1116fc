"""Check-in at the door: verify a badge, record the scan, admit each person once.

"Once" is enforced by the database (a unique row in `attendances` per registration and
door or session), so two staff scanning the same badge at the same moment get one
`checked_in` and one `already_checked_in`, on any number of app processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from eventapp.errors import InvalidBadgeToken, NotFound
from eventapp.models import (
    Account,
    AgendaSession,
    Category,
    Event,
    Registration,
    RegistrationStatus,
    Scan,
    ScanResult,
    SessionSignup,
    db,
    utcnow,
)
from eventapp.models.checkin import Attendance
from eventapp.services.badges import BadgeKeys, read_token


@dataclass(frozen=True, slots=True)
class CheckinOutcome:
    """The answer shown at the door."""

    result: ScanResult
    registration: Registration | None = None
    #: Why an `invalid` badge is refused: "malformed", "revoked" (re-issued) or "unknown".
    reason: str | None = None
    first_checked_in_at: datetime | None = None
    #: For `wrong_event`: the event the badge belongs to.
    badge_event: Event | None = None


def _attendance(registration_id: int, session_id: int | None) -> Attendance | None:
    statement = db.select(Attendance).where(Attendance.registration_id == registration_id)
    if session_id is None:
        statement = statement.where(Attendance.session_id.is_(None))
    else:
        statement = statement.where(Attendance.session_id == session_id)
    return db.session.scalar(statement)


def _admit(
    registration: Registration, session_id: int | None, by: Account | None, now: datetime
) -> tuple[ScanResult, datetime]:
    # INSERT … ON CONFLICT DO NOTHING (PostgreSQL and SQLite alike): the unique indexes
    # decide who is first, in one statement. A concurrent scan waits for our commit,
    # then inserts nothing and reads our row.
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    inserted = db.session.scalar(
        insert(Attendance)
        .values(
            event_id=registration.event_id,
            registration_id=registration.id,
            session_id=session_id,
            account_id=by.id if by else None,
            checked_in_at=now,
        )
        .on_conflict_do_nothing()
        .returning(Attendance.id)
    )
    if inserted is not None:
        return ScanResult.CHECKED_IN, now
    existing = _attendance(registration.id, session_id)
    if existing is None:  # pragma: no cover - the row we collided with was deleted meanwhile
        raise RuntimeError("attendance conflict without a row")
    return ScanResult.ALREADY_CHECKED_IN, existing.checked_in_at


def _judge(
    token: str,
    event: Event | None,
    session_id: int | None,
    keys: BadgeKeys,
    by: Account | None,
    now: datetime,
) -> CheckinOutcome:
    try:
        claim = read_token(token, keys)
    except InvalidBadgeToken:
        return CheckinOutcome(ScanResult.INVALID, reason="malformed")
    registration = db.session.get(Registration, claim.registration_id)
    if registration is None or registration.event_id != claim.event_id:
        return CheckinOutcome(ScanResult.INVALID, reason="unknown")
    if registration.badge_serial != claim.serial:
        return CheckinOutcome(ScanResult.INVALID, registration, reason="revoked")
    if event is not None and registration.event_id != event.id:
        return CheckinOutcome(ScanResult.WRONG_EVENT, registration, badge_event=registration.event)
    if registration.status is not RegistrationStatus.CONFIRMED:
        return CheckinOutcome(ScanResult.NOT_CONFIRMED, registration)
    result, first = _admit(registration, session_id, by, now)
    return CheckinOutcome(result, registration, first_checked_in_at=first)


def check_in(
    token: str,
    *,
    keys: BadgeKeys,
    by: Account | None,
    event: Event | None = None,
    session_id: int | None = None,
    location: str | None = None,
    now: datetime | None = None,
) -> CheckinOutcome:
    """Scan one badge at `event`'s door (or at session `session_id`) and record the scan.

    With no `event`, the badge's own event is the door (single-event scanner devices).
    Raises NotFound if `session_id` is not a session of that event.
    """
    now = now or utcnow()
    if session_id is not None:
        session = db.session.get(AgendaSession, session_id)
        if session is None or (event is not None and session.event_id != event.id):
            raise NotFound("no such session at this event", session_id=session_id)
        event = event or session.event
    outcome = _judge(token, event, session_id, keys, by, now)
    registration = outcome.registration
    db.session.add(
        Scan(
            event_id=event.id if event else (registration.event_id if registration else None),
            registration_id=registration.id if registration else None,
            session_id=session_id,
            account_id=by.id if by else None,
            result=outcome.result,
            location=(location or "").strip()[:120] or None,
            scanned_at=now,
        )
    )
    db.session.commit()
    return outcome


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
    """Checked in / confirmed for `event`, by category and per session (three queries)."""
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
