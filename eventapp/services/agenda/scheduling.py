"""Organizers' changes to sessions: the one place a session's time, room or status changes.

A change of time, room or status raises the session's revision (the iCalendar SEQUENCE)
and queues an updated invitation (METHOD:REQUEST, or CANCEL when the session is
cancelled) to every attendee who holds the session in their calendar, in the same
transaction as the change and its audit entry. Clients ignore an update whose SEQUENCE
is not higher than the one they hold (RFC 5546 §2.1.4), hence the bump.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventapp.errors import InvalidInput
from eventapp.models import (
    Account,
    AgendaSession,
    Registration,
    RegistrationStatus,
    Room,
    SessionSignup,
    SessionStatus,
    Track,
    db,
    utcnow,
)
from eventapp.services.accounts import record
from eventapp.services.calendar import SESSION_SEQUENCE_FIELDS
from eventapp.services.calendar.invitations import Before, queue_session_invitation
from eventapp.services.locks import lock_event
from eventapp.services.registration import signups

#: Everything an organizer may change through `change_session`.
EDITABLE_FIELDS = SESSION_SEQUENCE_FIELDS | {
    "title",
    "title_ko",
    "subtitle",
    "subtitle_ko",
    "description",
    "description_ko",
    "kind",
    "language",
    "track",
    "capacity",
    "is_published",
}


@dataclass(frozen=True, slots=True)
class SessionChange:
    """What `change_session` did: the fields that changed and how many emails it queued."""

    session: AgendaSession
    changed: tuple[str, ...]
    revised: bool
    notified: int


def change_session(
    session: AgendaSession, *, by: Account | None, now: datetime | None = None, **changes: Any
) -> SessionChange:
    """Apply an organizer's change to one session and commit it with its updates.

    `changes` are attribute values (`starts_at=…`, `room=Room|None`, `status=…`).
    Raises InvalidInput for an unknown field, a naive time or an end before the start.
    """
    try:
        result = apply_session_change(session, by=by, now=now, **changes)
        db.session.commit()
    except Exception:
        db.session.rollback()  # nothing half-done, and the row lock is released
        raise
    return result


def apply_session_change(
    session: AgendaSession, *, by: Account | None, now: datetime | None = None, **changes: Any
) -> SessionChange:
    """`change_session` without the commit, for callers that commit several changes at once
    (the importer applies a whole file in one transaction)."""
    now = now or utcnow()
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))}", field=min(unknown))
    # Lock the rows and read the session's current state: two organizers changing one
    # session at once get consecutive revisions, never the same SEQUENCE for different
    # contents. The event first: the change writes the event row too, and attendees'
    # seat changes lock the event before its sessions.
    lock_event(session.event, [session.id])
    db.session.refresh(session)
    _check(session, changes)
    diff = {
        name: (getattr(session, name), value)
        for name, value in changes.items()
        if getattr(session, name) != value
    }
    if not diff:
        return SessionChange(session=session, changed=(), revised=False, notified=0)
    before = Before(session.starts_at, session.ends_at, session.room)
    for name, (_old, new) in diff.items():
        setattr(session, name, new)
    revised = bool(SESSION_SEQUENCE_FIELDS & diff.keys())
    if revised:
        session.revision += 1
    session.updated_at = now
    # The event's `updated_at` is the feeds' ETag source for anything on its agenda.
    session.event.updated_at = now
    db.session.flush()
    if "capacity" in diff:  # a capacity raised seats the waiting list at once
        signups.promote_waiting(session.id, now=now)
    record(by, "session.update", session, {k: [_plain(o), _plain(n)] for k, (o, n) in diff.items()})
    notified = 0
    in_calendars = session.is_published or "is_published" in diff
    if revised and in_calendars and session.event.is_published:
        gone = session.is_cancelled or not session.is_published
        method = "CANCEL" if gone else "REQUEST"
        for registration in affected_registrations(session):
            queue_session_invitation(
                registration, session, method=method, now=now, kind="update", before=before
            )
            notified += 1
    return SessionChange(
        session=session, changed=tuple(sorted(diff)), revised=revised, notified=notified
    )


def _check(session: AgendaSession, changes: dict[str, Any]) -> None:
    for name in ("starts_at", "ends_at"):
        value = changes.get(name)
        if name in changes and (not isinstance(value, datetime) or value.tzinfo is None):
            raise InvalidInput(f"{name} needs a time zone", field=name)
    starts_at = changes.get("starts_at", session.starts_at)
    ends_at = changes.get("ends_at", session.ends_at)
    if ends_at <= starts_at:
        raise InvalidInput("a session must end after it starts", field="ends_at")
    if "status" in changes:
        changes["status"] = SessionStatus(changes["status"])
    for name, model in (("room", Room), ("track", Track)):
        value = changes.get(name)
        if value is not None and (
            not isinstance(value, model) or value.event_id != session.event_id
        ):
            raise InvalidInput(f"{name} must belong to the session's event", field=name)


def _plain(value: Any) -> Any:
    """A JSON-safe form of a changed value for the audit log."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Room | Track):
        return value.name
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def people_told(session: AgendaSession) -> int:
    """How many people a cancellation or a restoration of the session would write to
    (shown on the confirmation page before it is done)."""
    if not (session.is_published and session.event.is_published):
        return 0
    return len(affected_registrations(session))


def affected_registrations(session: AgendaSession) -> Sequence[Registration]:
    """Confirmed registrations holding a confirmed seat in the session (their calendars
    received its invitation)."""
    return db.session.scalars(
        db.select(Registration)
        .join(SessionSignup, SessionSignup.registration_id == Registration.id)
        .where(
            SessionSignup.session_id == session.id,
            SessionSignup.status == RegistrationStatus.CONFIRMED,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .order_by(Registration.id)
    ).all()
