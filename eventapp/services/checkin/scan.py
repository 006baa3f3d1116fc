"""Scanning a badge: read it, judge it (`rules.judge`), admit once, record the scan.

On PostgreSQL a scan is a single statement (`postgres.py`: check the staff account, read
the badge, admit, record), which applies the same rules in SQL; on SQLite the steps are
separate statements in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from eventapp.errors import InvalidBadgeToken, NotAllowed, NotFound
from eventapp.models import (
    Account,
    AgendaSession,
    Event,
    Registration,
    RegistrationStatus,
    Scan,
    ScanResult,
    SessionSignup,
    SessionStatus,
    db,
    utcnow,
)
from eventapp.models.checkin import Attendance
from eventapp.services.checkin import postgres
from eventapp.services.checkin.badges import BadgeClaim, BadgeKeys, read_token
from eventapp.services.checkin.rules import (
    CHECKIN_ROLES,
    SESSION_REFUSALS,
    Badge,
    CheckinOutcome,
    judge,
)


def _place(session_id: int | None) -> Any:
    if session_id is None:
        return Attendance.session_id.is_(None)
    return Attendance.session_id == session_id


def _first_checked_in_at(registration_id: int, session_id: int | None) -> datetime:
    first = db.session.scalar(
        db.select(Attendance.checked_in_at).where(
            Attendance.registration_id == registration_id, _place(session_id)
        )
    )
    if first is None:  # pragma: no cover - the row we collided with was deleted meanwhile
        raise RuntimeError("attendance conflict without a row")
    return first


def _session_door(
    session_id: int, event_slug: str | None, registration_id: int | None
) -> tuple[str, str | None]:
    """The slug of the session's event, and why the session does not admit the registration
    (None: it does). A session admits while published and not cancelled; one with a
    capacity admits only those who hold a seat in it, so it never holds more than its seats.
    Raises NotFound unless the session is at `event_slug`.
    """
    seat = (
        db.select(SessionSignup.id)
        .where(
            SessionSignup.session_id == AgendaSession.id,
            SessionSignup.registration_id == registration_id,
            SessionSignup.status == RegistrationStatus.CONFIRMED,
        )
        .exists()
    )
    row = db.session.execute(
        db.select(
            Event.slug,
            AgendaSession.status,
            AgendaSession.is_published,
            AgendaSession.capacity.is_(None) | seat,
        )
        .join(AgendaSession, AgendaSession.event_id == Event.id)
        .where(AgendaSession.id == session_id)
    ).first()
    if row is None or (event_slug is not None and row[0] != event_slug):
        raise NotFound("no such session at this event", session_id=session_id)
    slug, status, is_published, has_place = row
    refusals = (status is SessionStatus.CANCELLED, not is_published, not has_place)
    return slug, next(
        (r for r, refused in zip(SESSION_REFUSALS, refusals, strict=True) if refused), None
    )


def check_in(
    token: str,
    *,
    keys: BadgeKeys,
    staff_id: int | None,
    event_slug: str | None = None,
    session_id: int | None = None,
    location: str | None = None,
    now: datetime | None = None,
    durable: bool = True,
) -> CheckinOutcome:
    """Scan one badge at the door of event `event_slug` (or at a session); record the scan.

    `staff_id` is the scanning account, None for a scanner device (API token). The account
    must be active with a role that may check people in: it is checked here, with the scan,
    so a deactivated account is refused at once. With neither an event nor a session, the
    badge's own event is the door (a scanner device serving one event).
    Raises NotAllowed (account refused) or NotFound (an unknown event, or a session that
    is not part of the event); nothing is recorded then. On PostgreSQL a door scan is one
    statement and the commit; `durable=False` lets that commit return before the disk
    write (setting CHECKIN_DURABLE_COMMIT, see `postgres.scan_badge`).
    """
    try:
        claim: BadgeClaim | None = read_token(token, keys)
    except InvalidBadgeToken:
        claim = None
    return _check_in_claim(
        claim,
        staff_id=staff_id,
        event_slug=event_slug,
        session_id=session_id,
        location=location,
        now=now,
        durable=durable,
    )


def check_in_by_hand(
    registration: Registration,
    *,
    staff_id: int | None,
    event_slug: str | None = None,
    session_id: int | None = None,
    location: str | None = None,
    now: datetime | None = None,
) -> CheckinOutcome:
    """Check in someone found by name (a forgotten badge) or from their registrant page: the
    rules, the account check and the record of a scan of their current badge (`check_in`)."""
    claim = BadgeClaim(registration.event_id, registration.id, registration.badge_serial)
    return _check_in_claim(
        claim,
        staff_id=staff_id,
        event_slug=event_slug,
        session_id=session_id,
        location=location,
        now=now,
    )


def _check_in_claim(
    claim: BadgeClaim | None,
    *,
    staff_id: int | None,
    event_slug: str | None,
    session_id: int | None,
    location: str | None,
    now: datetime | None,
    durable: bool = True,
) -> CheckinOutcome:
    now = now or utcnow()
    refusal = None
    if session_id is not None:
        registration_id = claim.registration_id if claim else None
        event_slug, refusal = _session_door(session_id, event_slug, registration_id)
    scan = _ScanPlace(event_slug, session_id, staff_id, location, now, durable, refusal)
    if db.session.get_bind().dialect.name == "postgresql":
        outcome = _check_in_in_one_statement(claim, scan)
    else:
        outcome = _check_in_step_by_step(claim, scan)
    db.session.commit()
    return outcome


@dataclass(frozen=True, slots=True)
class _ScanPlace:
    """Where, when and by whom a badge is scanned (the scan row's other columns)."""

    event_slug: str | None
    session_id: int | None
    account_id: int | None
    location: str | None
    now: datetime
    durable: bool = True
    #: Why the session scanned at does not admit the badge's holder (see `_session_door`).
    session_refusal: str | None = None

    @property
    def location_text(self) -> str | None:
        return (self.location or "").strip()[:120] or None


def _check_in_in_one_statement(claim: BadgeClaim | None, scan: _ScanPlace) -> CheckinOutcome:
    row = postgres.scan_badge(
        claim.registration_id if claim else None,
        claim.event_id if claim else None,
        claim.serial if claim else None,
        event_slug=scan.event_slug,
        session_id=scan.session_id,
        account_id=scan.account_id,
        roles=[role.value for role in CHECKIN_ROLES],
        location=scan.location_text,
        now=scan.now,
        durable=scan.durable,
        session_refusal=scan.session_refusal,
    )
    if not row["staff_allowed"]:  # nothing was written
        raise NotAllowed("this account may not check people in", account_id=scan.account_id)
    if scan.event_slug is not None and not row["door_found"]:  # nothing was written
        raise NotFound("no such event", event=scan.event_slug)
    badge = Badge.of(row) if row["id"] is not None else None
    outcome = judge(claim, badge, scan.event_slug, scan.now, scan.session_refusal)
    if outcome.result is ScanResult.CHECKED_IN and row["admitted_at"] is None:
        # Someone admitted this person after our statement's snapshot was taken: their
        # row is visible to a new statement.
        first = _first_checked_in_at(row["id"], scan.session_id)
        outcome = replace(outcome, result=ScanResult.ALREADY_CHECKED_IN, first_checked_in_at=first)
    if outcome.result.value != row["recorded_result"]:  # the SQL and `judge` must agree
        raise RuntimeError(f"check-in statement said {row['recorded_result']}, rules {outcome}")
    return outcome


def _read_badge(claim: BadgeClaim, session_id: int | None) -> Badge | None:
    row = db.session.execute(
        db.select(
            Registration.id,
            Registration.event_id,
            Registration.badge_serial,
            Registration.status,
            Registration.given_name,
            Registration.family_name,
            Registration.name_order,
            Registration.name_alt,
            Registration.organization_name,
            Registration.country,
            Registration.category,
            Event.slug,
            Event.title,
            Event.title_ko,
            Attendance.checked_in_at.label("first_checked_in_at"),
        )
        .join(Event, Event.id == Registration.event_id)
        .outerjoin(
            Attendance,
            and_(Attendance.registration_id == Registration.id, _place(session_id)),
        )
        .where(Registration.id == claim.registration_id, Registration.event_id == claim.event_id)
    ).first()
    return None if row is None else Badge.of(row._mapping)


def _check_in_step_by_step(claim: BadgeClaim | None, scan: _ScanPlace) -> CheckinOutcome:
    """SQLite's path: the same work as the PostgreSQL statement, one step at a time."""
    if scan.account_id is not None:
        allowed = db.session.scalar(
            db.select(Account.id).where(
                Account.id == scan.account_id,
                Account.is_active_account,
                Account.role.in_(CHECKIN_ROLES),
            )
        )
        if allowed is None:
            raise NotAllowed("this account may not check people in", account_id=scan.account_id)
    badge = _read_badge(claim, scan.session_id) if claim else None
    outcome = judge(claim, badge, scan.event_slug, scan.now, scan.session_refusal)
    if outcome.result is ScanResult.CHECKED_IN:
        outcome = _admit(outcome, scan)
    _record(outcome, scan)
    return outcome


def _admit(outcome: CheckinOutcome, scan: _ScanPlace) -> CheckinOutcome:
    # INSERT … ON CONFLICT DO NOTHING: the unique indexes decide who is first (SQLite
    # serializes writers anyway; this keeps the rule where PostgreSQL's statement has it).
    attendee = outcome.attendee
    assert attendee is not None  # noqa: S101 - `judge` admits only a known attendee
    inserted = db.session.scalar(
        sqlite_insert(Attendance)
        .values(
            event_id=attendee.event_id,
            registration_id=attendee.registration_id,
            session_id=scan.session_id,
            account_id=scan.account_id,
            checked_in_at=scan.now,
        )
        .on_conflict_do_nothing()
        .returning(Attendance.id)
    )
    if inserted is not None:
        return outcome
    first = _first_checked_in_at(attendee.registration_id, scan.session_id)
    return replace(outcome, result=ScanResult.ALREADY_CHECKED_IN, first_checked_in_at=first)


def _record(outcome: CheckinOutcome, scan: _ScanPlace) -> None:
    """Add the scan row. Raises NotFound when the door's event does not exist."""
    attendee = outcome.attendee
    if scan.event_slug is None:
        event_id = attendee.event_id if attendee else None
    elif attendee is not None and attendee.event_slug == scan.event_slug:
        event_id = attendee.event_id
    else:
        event_id = db.session.scalar(db.select(Event.id).where(Event.slug == scan.event_slug))
        if event_id is None:
            raise NotFound("no such event", event=scan.event_slug)
    db.session.add(
        Scan(
            event_id=event_id,
            registration_id=attendee.registration_id if attendee else None,
            session_id=scan.session_id,
            account_id=scan.account_id,
            result=outcome.result,
            location=scan.location_text,
            scanned_at=scan.now,
        )
    )
