"""The one lock order: the event first, then its sessions."""

import pytest

from eventapp.models import db
from eventapp.services import locks
from tests.factories import make_event, make_session


def test_lock_sessions_without_the_event_lock_is_refused(ctx):
    session = make_session(make_event())

    with pytest.raises(RuntimeError, match="lock the event"):
        locks.lock_sessions(session.event_id, [session.id])


def test_lock_event_then_its_sessions_is_allowed(ctx):
    session = make_session(event := make_event())

    locked = locks.lock_event(event, [session.id])
    locks.lock_sessions(event.id, [session.id])  # more sessions later in the same unit

    assert locked is event


def test_event_lock_of_a_committed_transaction_does_not_count(ctx):
    session = make_session(event := make_event())
    locks.lock_event(event)
    db.session.commit()

    with pytest.raises(RuntimeError):
        locks.lock_sessions(event.id, [session.id])
