"""The registrant's data rights on their own page: download everything stored about them,
and erase it (PIPA and GDPR). The seat an erased person held goes to the waiting list."""

from __future__ import annotations

from datetime import datetime

from eventapp.models import Account, OutboxMessage, Registration, db, utcnow
from eventapp.services import locks, signups, waitlist
from eventapp.services.accounts import record
from eventapp.services.outbox import messages_for
from eventapp.services.registration import PersonDetails, transaction
from eventapp.services.waitlist import waitlist_position


def export_data(registration: Registration) -> dict:
    """Everything stored about the registrant, for the "download my data" button."""

    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    columns = [name for name in ("email", *PersonDetails.__slots__, "locale") if name != "category"]
    return {
        "event": {"slug": registration.event.slug, "title": registration.event.title},
        **{name: getattr(registration, name) for name in columns},
        "category": registration.category.value,
        "status": registration.status.value,
        "waitlist_position": waitlist_position(registration),
        "registered_at": iso(registration.created_at),
        "consented_at": iso(registration.consented_at),
        "confirmed_at": iso(registration.confirmed_at),
        "waitlisted_at": iso(registration.waitlisted_at),
        "cancelled_at": iso(registration.cancelled_at),
        "sessions": [
            {"id": s.session_id, "title": s.session.title, "status": s.status.value}
            for s in signups.shown_signups(registration)
        ],
        "emails": [
            {"kind": m.kind, "subject": m.subject, "queued_at": iso(m.created_at)}
            for m in messages_for(registration)
        ],
    }


def delete_registration(
    registration: Registration, *, by: Account | None = None, now: datetime | None = None
) -> None:
    """Erase the registrant and the emails written to them; their seat goes to the list."""
    now = now or utcnow()
    with transaction():
        event = locks.lock_event(registration.event)
        signups.release_all(registration, now=now)
        # The emails are erased with the person (the database would only unlink them); scans,
        # attendance and sign-ups go by the foreign keys' ON DELETE CASCADE.
        db.session.execute(
            db.delete(OutboxMessage).where(OutboxMessage.registration_id == registration.id)
        )
        db.session.delete(registration)
        db.session.flush()
        waitlist.promote_waiting(event, now)
        record(by, "registration.delete", None, {"event": event.slug})
