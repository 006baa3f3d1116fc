"""No overbooking under real concurrency: many threads, each with its own app context,
session and PostgreSQL connection, racing through the real services."""

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from eventapp.models import AgendaSession, Event, OutboxMessage, Registration, SessionSignup, db
from eventapp.models import RegistrationStatus as Status
from eventapp.services.agenda import scheduling
from eventapp.services.registration import register, register_again, resend_link
from eventapp.services.registration.changes import cancel_registration, choose_sessions
from tests.factories import make_event, make_registration, make_registration_data, make_session

pytestmark = pytest.mark.postgres

THREADS = 52
#: Up to 30 connections at once (the machine's PostgreSQL is shared); the other threads
#: queue for a connection, so the database sees a steady crowd of simultaneous transactions.
HOUR = timedelta(hours=1)
POOL = {"pool_size": 10, "max_overflow": 20, "pool_timeout": 120, "pool_pre_ping": True}


def run_together(app, count: int, work: Callable[[int], None]) -> list[BaseException]:
    """Run `work(i)` in `count` threads released at the same moment; return their errors."""
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        with app.app_context():
            start.wait()
            try:
                work(i)
            except BaseException as error:  # collected and asserted on by the test
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return errors


def register_from_threads(app, threads: int, event_id: int, email: str) -> list[str]:
    """`threads` registrations of `email` at once: "registered" or the error's class name."""
    outcomes: list[str] = []

    def work(i: int) -> None:
        try:
            register(db.session.get(Event, event_id), make_registration_data(email))
            outcomes.append("registered")
        except Exception as error:
            outcomes.append(type(error).__name__)

    assert run_together(app, threads, work) == []
    return outcomes


def count(model, *conditions) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*conditions))


def test_fifty_two_registrations_for_ten_last_seats_confirm_exactly_ten(make_app):
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=POOL)
    with app.app_context():
        event = make_event(capacity=40)
        for _ in range(30):
            make_registration(event)
        event_id = event.id

    def work(i: int) -> None:
        register(db.session.get(Event, event_id), make_registration_data(f"p{i}@example.org"))

    errors = run_together(app, THREADS, work)

    assert errors == []
    with app.app_context():
        confirmed = count(Registration, Registration.status == Status.CONFIRMED)
        waitlisted = db.session.scalars(
            db.select(Registration).where(Registration.status == Status.WAITLISTED)
        ).all()
        assert confirmed == 40
        assert len(waitlisted) == THREADS - 10
        assert count(OutboxMessage, OutboxMessage.kind == "confirmation") == 10
        assert count(OutboxMessage, OutboxMessage.kind == "waitlisted") == THREADS - 10


def test_same_email_racing_creates_one_registration(make_app):
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=POOL)
    with app.app_context():
        event_id = make_event(capacity=5).id

    outcomes = register_from_threads(app, 20, event_id, "same@example.org")

    assert sorted(outcomes) == ["AlreadyRegistered"] * 19 + ["registered"]
    with app.app_context():
        assert count(Registration) == 1


def test_cancelled_email_registering_again_from_many_threads_changes_nothing(make_app):
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=POOL)
    with app.app_context():
        event = make_event(capacity=1)
        old = make_registration(event, email="back@example.org", status=Status.CANCELLED)
        event_id, old_id = event.id, old.id

    outcomes = register_from_threads(app, 20, event_id, "back@example.org")

    assert outcomes == ["AlreadyRegistered"] * 20
    with app.app_context():
        (registration,) = db.session.scalars(db.select(Registration)).all()
        assert (registration.id, registration.status) == (old_id, Status.CANCELLED)
        assert count(OutboxMessage) == 0


def test_register_again_from_many_threads_takes_the_registration_up_once(make_app):
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=POOL)
    with app.app_context():
        event = make_event(capacity=1)
        old_id = make_registration(event, status=Status.CANCELLED).id

    def work(i: int) -> None:
        register_again(db.session.get(Registration, old_id))

    assert run_together(app, 20, work) == []
    with app.app_context():
        assert db.session.get(Registration, old_id).status is Status.CONFIRMED
        assert count(OutboxMessage, OutboxMessage.kind == "confirmation") == 1


def test_cancellations_racing_new_registrations_keep_counts_exact(make_app):
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=POOL)
    with app.app_context():
        event = make_event(capacity=20)
        confirmed = [make_registration(event).id for _ in range(20)]
        for i in range(20):
            register(event, make_registration_data(f"w{i}@example.org"))
        event_id = event.id

    def work(i: int) -> None:
        if i % 2:
            cancel_registration(db.session.get(Registration, confirmed[i // 2]))
        else:
            register(db.session.get(Event, event_id), make_registration_data(f"n{i}@example.org"))

    assert run_together(app, 40, work) == []
    with app.app_context():
        assert count(Registration, Registration.status == Status.CONFIRMED) == 20
        assert count(Registration, Registration.status == Status.CANCELLED) == 20
        assert count(Registration, Registration.status == Status.WAITLISTED) == 20
        assert count(OutboxMessage, OutboxMessage.kind == "promoted") == 20
        # nobody jumped the queue: the promoted are exactly the 20 first waiting
        promoted = db.session.scalars(
            db.select(Registration.email).where(
                Registration.status == Status.CONFIRMED, Registration.email.like("w%")
            )
        ).all()
        assert sorted(promoted) == sorted(f"w{i}@example.org" for i in range(20))


def test_session_seats_under_concurrency_confirm_exactly_capacity(make_app):
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=POOL)
    with app.app_context():
        event = make_event(capacity=None)
        panel = make_session(event, capacity=5)
        chosen_later = [make_registration(event).id for _ in range(THREADS // 2)]
        event_id, panel_id = event.id, panel.id

    def work(i: int) -> None:
        if i % 2:
            choose_sessions(db.session.get(Registration, chosen_later[i // 2]), [panel_id])
        else:
            data = make_registration_data(f"s{i}@example.org", session_ids=[panel_id])
            register(db.session.get(Event, event_id), data)

    assert run_together(app, THREADS, work) == []
    with app.app_context():
        signups = db.session.scalars(
            db.select(SessionSignup.status).where(SessionSignup.session_id == panel_id)
        ).all()
        assert len(signups) == THREADS
        assert signups.count(Status.CONFIRMED) == 5
        assert signups.count(Status.WAITLISTED) == THREADS - 5


def test_session_change_racing_registrations_and_cancellations_never_deadlocks(
    make_app, monkeypatch
):
    """The organizer holds the session while attendees queue on the event: with one lock
    order (event, then sessions) nobody gets DeadlockDetected and nobody's change is lost."""
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=POOL)
    with app.app_context():
        event = make_event(capacity=None, is_published=True)
        panel = make_session(event, capacity=30)
        seated = [make_registration(event) for _ in range(10)]
        for registration in seated:
            choose_sessions(registration, [panel.id])
        seated_ids = [r.id for r in seated]
        choosers = [make_registration(event).id for _ in range(10)]
        event_id, panel_id = event.id, panel.id
        moved = {"starts_at": panel.starts_at + HOUR, "ends_at": panel.ends_at + HOUR}
    slow_check = scheduling._check

    def organizer_pauses_holding_the_session(session, changes):
        slow_check(session, changes)
        time.sleep(1.5)  # longer than PostgreSQL's deadlock_timeout (1 s)

    monkeypatch.setattr(scheduling, "_check", organizer_pauses_holding_the_session)

    def work(i: int) -> None:
        if i == 0:
            session = db.session.get(AgendaSession, panel_id)
            scheduling.change_session(session, by=None, **moved)
            return
        time.sleep(0.3)  # the organizer holds the session's lock by now
        if i <= 10:
            cancel_registration(db.session.get(Registration, seated_ids[i - 1]))
        elif i <= 20:
            choose_sessions(db.session.get(Registration, choosers[i - 11]), [panel_id])
        else:
            data = make_registration_data(f"r{i}@example.org", session_ids=[panel_id])
            register(db.session.get(Event, event_id), data)

    errors = run_together(app, 31, work)

    assert errors == []
    with app.app_context():
        assert db.session.get(AgendaSession, panel_id).starts_at == moved["starts_at"]
        assert count(Registration, Registration.status == Status.CANCELLED) == 10
        seats = db.session.scalars(
            db.select(SessionSignup.status).where(SessionSignup.session_id == panel_id)
        ).all()
        assert seats == [Status.CONFIRMED] * 20


def test_resend_link_from_many_threads_at_once_sends_one_email(make_app):
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=POOL)
    with app.app_context():
        event = make_event()
        make_registration(event, email="twice@example.org")
        event_id = event.id

    def work(i: int) -> None:
        assert resend_link(db.session.get(Event, event_id), "twice@example.org")

    assert run_together(app, 20, work) == []
    with app.app_context():
        assert count(OutboxMessage, OutboxMessage.kind == "manage_link") == 1
