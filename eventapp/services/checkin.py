"""Check-in at the door: verify a badge, record the scan, admit each person once.

"Once" is enforced by the database (a unique row in `attendances` per registration and
door or session), so two staff scanning the same badge at the same moment get one
`checked_in` and one `already_checked_in`, on any number of app processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

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
class Attendee:
    """Whose badge it is, copied before the commit so the answer needs no further query."""

    registration_id: int
    event_id: int
    event_slug: str
    name: str
    name_alt: str | None
    organization: str | None
    country: str | None
    category: Category
    status: RegistrationStatus

    @classmethod
    def of(cls, registration: Registration) -> Attendee:
        return cls(
            registration_id=registration.id,
            event_id=registration.event_id,
            event_slug=registration.event.slug,
            name=registration.name,
            name_alt=registration.name_alt,
            organization=registration.organization_name,
            country=registration.country,
            category=registration.category,
            status=registration.status,
        )


@dataclass(frozen=True, slots=True)
class BadgeEvent:
    """For `wrong_event`: the event the badge belongs to, so staff can send people there."""

    slug: str
    title: str
    title_ko: str | None


@dataclass(frozen=True, slots=True)
class CheckinOutcome:
    """The answer shown at the door."""

    result: ScanResult
    attendee: Attendee | None = None
    #: Why an `invalid` badge is refused: "malformed", "revoked" (re-issued) or "unknown".
    reason: str | None = None
    first_checked_in_at: datetime | None = None
    badge_event: BadgeEvent | None = None


def _place(session_id: int | None) -> Any:
    if session_id is None:
        return Attendance.session_id.is_(None)
    return Attendance.session_id == session_id


def _registration_and_first_time(
    registration_id: int, session_id: int | None
) -> tuple[Registration | None, datetime | None]:
    """The registration with its event, and when it was first checked in here: one query."""
    row = db.session.execute(
        db.select(Registration, Attendance.checked_in_at)
        .options(joinedload(Registration.event))
        .outerjoin(
            Attendance,
            and_(Attendance.registration_id == Registration.id, _place(session_id)),
        )
        .where(Registration.id == registration_id)
    ).first()
    return (None, None) if row is None else (row[0], row[1])


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
    first = db.session.scalar(
        db.select(Attendance.checked_in_at).where(
            Attendance.registration_id == registration.id, _place(session_id)
        )
    )
    if first is None:  # pragma: no cover - the row we collided with was deleted meanwhile
        raise RuntimeError("attendance conflict without a row")
    return ScanResult.ALREADY_CHECKED_IN, first


def _judge(
    token: str,
    event_slug: str | None,
    session_id: int | None,
    keys: BadgeKeys,
    by: Account | None,
    now: datetime,
) -> CheckinOutcome:
    try:
        claim = read_token(token, keys)
    except InvalidBadgeToken:
        return CheckinOutcome(ScanResult.INVALID, reason="malformed")
    registration, first = _registration_and_first_time(claim.registration_id, session_id)
    if registration is None or registration.event_id != claim.event_id:
        return CheckinOutcome(ScanResult.INVALID, reason="unknown")
    if registration.badge_serial != claim.serial:
        return CheckinOutcome(ScanResult.INVALID, Attendee.of(registration), reason="revoked")
    if event_slug is not None and registration.event.slug != event_slug:
        event = registration.event
        return CheckinOutcome(
            ScanResult.WRONG_EVENT,
            Attendee.of(registration),
            badge_event=BadgeEvent(event.slug, event.title, event.title_ko),
        )
    if registration.status is not RegistrationStatus.CONFIRMED:
        return CheckinOutcome(ScanResult.NOT_CONFIRMED, Attendee.of(registration))
    if first is not None:
        return CheckinOutcome(
            ScanResult.ALREADY_CHECKED_IN, Attendee.of(registration), first_checked_in_at=first
        )
    result, first = _admit(registration, session_id, by, now)
    return CheckinOutcome(result, Attendee.of(registration), first_checked_in_at=first)


def check_in(
    token: str,
    *,
    keys: BadgeKeys,
    by: Account | None,
    event_slug: str | None = None,
    session_id: int | None = None,
    location: str | None = None,
    now: datetime | None = None,
) -> CheckinOutcome:
    """Scan one badge at the door of event `event_slug` (or at a session); record the scan.

    With neither an event nor a session, the badge's own event is the door (a scanner
    device serving one event). Raises NotFound for an unknown event, or a session that
    is not part of the event. The happy path costs one read and two inserts.
    """
    now = now or utcnow()
    if session_id is not None:
        session = db.session.get(
            AgendaSession, session_id, options=[joinedload(AgendaSession.event)]
        )
        if session is None or (event_slug is not None and session.event.slug != event_slug):
            raise NotFound("no such session at this event", session_id=session_id)
        event_slug = session.event.slug
    outcome = _judge(token, event_slug, session_id, keys, by, now)
    attendee = outcome.attendee
    if event_slug is None:
        event_id = attendee.event_id if attendee else None
    elif attendee is not None and attendee.event_slug == event_slug:
        event_id = attendee.event_id
    elif (event_id := db.session.scalar(db.select(Event.id).filter_by(slug=event_slug))) is None:
        raise NotFound("no such event", event=event_slug)
    db.session.add(
        Scan(
            event_id=event_id,
            registration_id=attendee.registration_id if attendee else None,
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
