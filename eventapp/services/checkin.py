"""Check-in at the door: verify a badge, record the scan, admit each person once.

"Once" is enforced by the database (a unique row in `attendances` per registration and
door or session), so two staff scanning the same badge at the same moment get one
`checked_in` and one `already_checked_in`, on any number of app processes.

The rules are `_judge`, a pure function of one row. On PostgreSQL a scan is a single
statement (`services/checkin_postgres.py`: check the staff account, read the badge, admit,
record), which applies the same rules in SQL; on SQLite the steps are separate statements
in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from eventapp.errors import InvalidBadgeToken, NotAllowed, NotFound
from eventapp.models import (
    Account,
    AgendaSession,
    Category,
    Event,
    Registration,
    RegistrationStatus,
    Role,
    Scan,
    ScanResult,
    SessionSignup,
    SessionStatus,
    db,
    utcnow,
)
from eventapp.models.checkin import Attendance
from eventapp.names import display_name
from eventapp.services import checkin_postgres
from eventapp.services.badges import BadgeClaim, BadgeKeys, read_token

#: Roles that may check people in (today every role: admin ⊇ organizer ⊇ check-in).
CHECKIN_ROLES = tuple(role for role in Role if role.includes(Role.CHECKIN))


@dataclass(frozen=True, slots=True)
class Attendee:
    """Whose badge it is, read with the scan so the answer needs no further query."""

    registration_id: int
    event_id: int
    event_slug: str
    name: str
    name_alt: str | None
    organization: str | None
    country: str | None
    category: Category
    status: RegistrationStatus


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
    #: Why an `invalid` badge is refused: "malformed", "revoked" (re-issued) or "unknown";
    #: why a session does not admit (`not_admitted`): one of `SESSION_REFUSALS`.
    reason: str | None = None
    first_checked_in_at: datetime | None = None
    badge_event: BadgeEvent | None = None


@dataclass(frozen=True, slots=True)
class _Badge:
    """The registration a badge names, as the rules need it: one row, no ORM objects."""

    attendee: Attendee
    serial: int
    event: BadgeEvent
    #: When this registration was first checked in at this door or session, if it was.
    first_checked_in_at: datetime | None

    @classmethod
    def of(cls, row: Mapping[Any, Any]) -> _Badge:
        """From either path's read: the registration's columns, its event's, the first time."""
        return cls(
            attendee=Attendee(
                registration_id=row["id"],
                event_id=row["event_id"],
                event_slug=row["slug"],
                name=display_name(row["given_name"], row["family_name"]),
                name_alt=row["name_alt"],
                organization=row["organization_name"],
                country=row["country"],
                category=Category(row["category"]),
                status=RegistrationStatus(row["status"]),
            ),
            serial=row["badge_serial"],
            event=BadgeEvent(row["slug"], row["title"], row["title_ko"]),
            first_checked_in_at=row["first_checked_in_at"],
        )


def _judge(
    claim: BadgeClaim | None,
    badge: _Badge | None,
    event_slug: str | None,
    now: datetime,
    session_refusal: str | None = None,
) -> CheckinOutcome:
    """What a scan at door `event_slug` means (the check-in rules). `claim` is what the token
    says (None: it does not verify), `badge` the registration it names, if there is one,
    `session_refusal` why the session scanned at does not admit this person (`_session_door`).

    `checked_in` means "admit now": the caller still has to win the attendance insert.
    """
    if claim is None:
        return CheckinOutcome(ScanResult.INVALID, reason="malformed")
    if badge is None:
        return CheckinOutcome(ScanResult.INVALID, reason="unknown")
    attendee = badge.attendee
    if badge.serial != claim.serial:
        return CheckinOutcome(ScanResult.INVALID, attendee, reason="revoked")
    if event_slug is not None and badge.event.slug != event_slug:
        return CheckinOutcome(ScanResult.WRONG_EVENT, attendee, badge_event=badge.event)
    if attendee.status is not RegistrationStatus.CONFIRMED:
        return CheckinOutcome(ScanResult.NOT_CONFIRMED, attendee)
    if session_refusal is not None:
        return CheckinOutcome(ScanResult.NOT_ADMITTED, attendee, reason=session_refusal)
    if badge.first_checked_in_at is not None:
        return CheckinOutcome(
            ScanResult.ALREADY_CHECKED_IN, attendee, first_checked_in_at=badge.first_checked_in_at
        )
    return CheckinOutcome(ScanResult.CHECKED_IN, attendee, first_checked_in_at=now)


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


#: Why a session's door refuses someone confirmed for the event, most telling first.
SESSION_REFUSALS = ("session_cancelled", "session_unpublished", "no_seat")


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
    write (setting CHECKIN_DURABLE_COMMIT, see `checkin_postgres.scan_badge`).
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
    row = checkin_postgres.scan_badge(
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
    badge = _Badge.of(row) if row["id"] is not None else None
    outcome = _judge(claim, badge, scan.event_slug, scan.now, scan.session_refusal)
    if outcome.result is ScanResult.CHECKED_IN and row["admitted_at"] is None:
        # Someone admitted this person after our statement's snapshot was taken: their
        # row is visible to a new statement.
        first = _first_checked_in_at(row["id"], scan.session_id)
        outcome = replace(outcome, result=ScanResult.ALREADY_CHECKED_IN, first_checked_in_at=first)
    if outcome.result.value != row["recorded_result"]:  # the SQL and `_judge` must agree
        raise RuntimeError(f"check-in statement said {row['recorded_result']}, rules {outcome}")
    return outcome


def _read_badge(claim: BadgeClaim, session_id: int | None) -> _Badge | None:
    row = db.session.execute(
        db.select(
            Registration.id,
            Registration.event_id,
            Registration.badge_serial,
            Registration.status,
            Registration.given_name,
            Registration.family_name,
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
    return None if row is None else _Badge.of(row._mapping)


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
    outcome = _judge(claim, badge, scan.event_slug, scan.now, scan.session_refusal)
    if outcome.result is ScanResult.CHECKED_IN:
        outcome = _admit(outcome, scan)
    _record(outcome, scan)
    return outcome


def _admit(outcome: CheckinOutcome, scan: _ScanPlace) -> CheckinOutcome:
    # INSERT … ON CONFLICT DO NOTHING: the unique indexes decide who is first (SQLite
    # serializes writers anyway; this keeps the rule where PostgreSQL's statement has it).
    attendee = outcome.attendee
    assert attendee is not None  # noqa: S101 - `_judge` admits only a known attendee
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
