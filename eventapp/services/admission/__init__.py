"""Admission (#17): who may register. Approval-required events keep new registrations
`pending` (no seat, no badge, no invitation) until an organizer approves or declines them.

Approving takes a seat or a waiting-list place through `registration.seat_or_queue`, the
one rule that keeps seats from being overbooked, under the event's lock
(`services/locks.py`), so approvals racing registrations never overbook. Each decision
is emailed through the outbox and audited; each public function commits once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select

from eventapp.errors import InvalidInput
from eventapp.models import Account, Category, CategoryQuota, Event, Registration, db, utcnow
from eventapp.models import RegistrationStatus as Status
from eventapp.services import locks, mail
from eventapp.services.accounts import record
from eventapp.services.calendar import invitations
from eventapp.services.registration import seat_or_queue, signups, waitlist
from eventapp.services.registration.waitlist import waitlist_position
from eventapp.services.units import transaction

#: Longest organizer message accepted with a decision.
MAX_NOTE_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class Decisions:
    """What a batch of approvals or refusals did, by registration id."""

    confirmed: list[int] = field(default_factory=list)
    waitlisted: list[int] = field(default_factory=list)
    declined: list[int] = field(default_factory=list)
    #: Not pending any more (decided meanwhile, cancelled) or not in this event: left alone.
    skipped: list[int] = field(default_factory=list)


def pending_statement(event: Event) -> Select[tuple[Registration]]:
    """The event's pending registrations, oldest first."""
    return (
        db.select(Registration)
        .where(Registration.event_id == event.id, Registration.status == Status.PENDING)
        .order_by(Registration.created_at, Registration.id)
    )


def approve(
    event: Event,
    registration_ids: Sequence[int],
    *,
    note: str | None = None,
    by: Account | None = None,
    now: datetime | None = None,
) -> Decisions:
    """Approve these pending registrations, in the order given: each takes a free seat
    (the email "approved" with the event's invitation) or the end of the waiting list
    (the waiting-list email); the sessions chosen on the form are then signed up for
    under the usual rule. Anything not pending in this event is skipped."""
    now = now or utcnow()
    note = _clean(note)
    decisions = Decisions()
    with transaction():
        locked = locks.lock_event(event)
        for registration in _pending(locked, registration_ids, decisions):
            seat_or_queue(locked, registration, now)
            # The sessions chosen on the form: a seat or that session's waiting list.
            signups.apply_held(registration, now=now)
            if registration.status is Status.CONFIRMED:
                calendar = invitations.confirmation_calendar(registration, now=now)
                mail.send_approved(registration, note=note, calendar=calendar, now=now)
                decisions.confirmed.append(registration.id)
            else:
                db.session.flush()
                position = waitlist_position(registration)
                mail.send_waitlisted(registration, position=position, now=now)
                decisions.waitlisted.append(registration.id)
            record(by, "registration.approve", registration, {"status": registration.status})
    return decisions


def decline(
    event: Event,
    registration_ids: Sequence[int],
    *,
    note: str | None = None,
    by: Account | None = None,
    now: datetime | None = None,
) -> Decisions:
    """Decline these pending registrations; each is told by email (with `note`)."""
    now = now or utcnow()
    note = _clean(note)
    decisions = Decisions()
    with transaction():
        locked = locks.lock_event(event)
        for registration in _pending(locked, registration_ids, decisions):
            registration.status = Status.DECLINED
            registration.updated_at = now
            signups.drop_held(registration)
            mail.send_declined(registration, note=note, now=now)
            decisions.declined.append(registration.id)
            record(by, "registration.decline", registration)
    return decisions


def _pending(
    event: Event, registration_ids: Sequence[int], decisions: Decisions
) -> list[Registration]:
    """The pending registrations among these ids, read under the event's lock."""
    wanted = list(dict.fromkeys(int(i) for i in registration_ids))
    if not wanted:
        return []
    found = {
        r.id: r
        for r in db.session.scalars(
            db.select(Registration)
            .where(Registration.id.in_(wanted), Registration.event_id == event.id)
            .execution_options(populate_existing=True)
        )
    }
    chosen = []
    for registration_id in wanted:
        registration = found.get(registration_id)
        if registration is None or registration.status is not Status.PENDING:
            decisions.skipped.append(registration_id)
        else:
            chosen.append(registration)
    return chosen


def _clean(note: str | None) -> str | None:
    note = (note or "").strip()
    return note[:MAX_NOTE_LENGTH] or None


def quotas(event: Event) -> dict[Category, int]:
    """The event's per-category quotas."""
    return {
        quota.category: quota.seats
        for quota in db.session.scalars(
            db.select(CategoryQuota).where(CategoryQuota.event_id == event.id)
        )
    }


def set_quotas(
    event: Event,
    wanted: Mapping[Category, int | None],
    *,
    by: Account | None = None,
    now: datetime | None = None,
) -> dict[Category, int]:
    """Set (a number) or remove (None) categories' quotas; a quota raised or removed gives
    the freed seats to the waiting list at once (the usual rule, under the event's lock).
    Raises InvalidInput for a negative quota."""
    now = now or utcnow()
    for category, seats in wanted.items():
        if seats is not None and seats < 0:
            raise InvalidInput("a quota cannot be negative", field=f"quota_{category.value}")
    with transaction():
        locked = locks.lock_event(event)
        current = {
            quota.category: quota
            for quota in db.session.scalars(
                db.select(CategoryQuota).where(CategoryQuota.event_id == locked.id)
            )
        }
        changed: dict[str, int | None] = {}
        for category, seats in wanted.items():
            quota = current.get(category)
            if seats is None:
                if quota is not None:
                    db.session.delete(quota)
                    changed[category.value] = None
            elif quota is None:
                db.session.add(CategoryQuota(event_id=locked.id, category=category, seats=seats))
                changed[category.value] = seats
            elif quota.seats != seats:
                quota.seats = seats
                changed[category.value] = seats
        if changed:
            db.session.flush()
            waitlist.promote_waiting(locked, now)
            record(by, "event.quotas", locked, changed)
    return quotas(event)
