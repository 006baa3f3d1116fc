"""The one lock order: the event's row first, then its sessions' rows in id order.

Every unit of work that changes seats (registering, choosing sessions, cancelling,
promoting) or changes a session together with its event (an organizer's edit) takes its
row locks through here, so two transactions never wait on each other in opposite orders:
no deadlock between an organizer and an attendee. `SELECT … FOR UPDATE` takes effect on
PostgreSQL; SQLite serialises writers anyway. Locks last until the caller's commit.
"""

from __future__ import annotations

from collections.abc import Collection

from eventapp.models import AgendaSession, Event, db

#: Key in `db.session.info`: (transaction, event id) of the event lock held.
_HELD = "eventapp.event_lock"


def lock_event(event: Event, session_ids: Collection[int] = ()) -> Event:
    """Lock the event row (read afresh), then these sessions' rows; every seat change and
    every session change of the event waits here."""
    locked = db.session.scalars(
        db.select(Event)
        .where(Event.id == event.id)
        .with_for_update(of=Event)  # the event's row only, whatever is loaded with it
        .execution_options(populate_existing=True)
    ).one()
    held_event_lock(locked.id)
    lock_sessions(locked.id, session_ids)
    return locked


def held_event_lock(event_id: int) -> None:
    """Note that this transaction holds the event's lock (taken by a statement of its own,
    as registering does to find the email in the same round trip)."""
    db.session.info[_HELD] = (db.session().get_transaction(), event_id)


def lock_sessions(event_id: int, session_ids: Collection[int]) -> None:
    """Lock these sessions' rows in id order, the event's lock already held.

    Raises RuntimeError when it is not: locking a session first is the deadlock.
    """
    if not session_ids:
        return
    held = db.session.info.get(_HELD)
    if held is None or held[0] is not db.session().get_transaction() or held[1] != event_id:
        raise RuntimeError("lock the event (locks.lock_event) before its sessions")
    db.session.execute(
        db.select(AgendaSession.id)
        .where(AgendaSession.id.in_(sorted(session_ids)))
        .order_by(AgendaSession.id)
        .with_for_update()
    ).all()
