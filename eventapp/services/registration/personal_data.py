"""The registrant's data rights on their own page: download everything stored about them,
and erase it (PIPA and GDPR). The seat an erased person held goes to the waiting list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from eventapp.models import Account, Event, OutboxMessage, Registration, db, utcnow
from eventapp.services import locks
from eventapp.services.accounts import record
from eventapp.services.mail.outbox import messages_for
from eventapp.services.questions.answers import answer_text, answers_of
from eventapp.services.registration import PersonDetails, signups, waitlist
from eventapp.services.registration.waitlist import waitlist_position
from eventapp.services.units import transaction


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
        "answers": [
            {"question": answer.question.label, "answer": answer_text(answer.question, answer)}
            for answer in answers_of(registration).values()
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


def erase_on(event: Event) -> datetime | None:
    """When the event's registrations are deleted, as its privacy notice promises; None when
    the organizers set no retention period."""
    if event.retention_days is None:
        return None
    return event.ends_at + timedelta(days=event.retention_days)


def expired_events(now: datetime | None = None) -> Sequence[Event]:
    """Events whose retention period is over and that still hold registrations."""
    now = now or utcnow()
    holding = db.select(Registration.id).where(Registration.event_id == Event.id).exists()
    candidates = db.session.scalars(
        db.select(Event).where(Event.retention_days.is_not(None), holding).order_by(Event.id)
    ).all()
    return [event for event in candidates if (erase_on(event) or now) < now]


def erase_expired(event: Event, *, by: Account | None = None, now: datetime | None = None) -> int:
    """Delete every registration of an event whose retention period is over, with the
    emails written to them; returns how many. Nobody is promoted: the event is over.
    Raises ValueError when the period is not over (or none is set)."""
    now = now or utcnow()
    ends = erase_on(event)
    if ends is None or ends >= now:
        raise ValueError(f"the retention period of {event.slug} is not over")
    with transaction():
        locks.lock_event(event)
        ids = db.select(Registration.id).where(Registration.event_id == event.id)
        db.session.execute(db.delete(OutboxMessage).where(OutboxMessage.registration_id.in_(ids)))
        count = db.session.scalar(db.select(db.func.count()).select_from(ids.subquery())) or 0
        db.session.execute(db.delete(Registration).where(Registration.event_id == event.id))
        record(by, "event.retention_erase", event, {"registrations": count})
    return count
