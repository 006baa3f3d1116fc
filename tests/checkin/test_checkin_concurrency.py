"""Simultaneous scans of one badge on PostgreSQL, with real threads and connections."""

import threading
from collections import Counter
from datetime import datetime

import pytest

from eventapp.models import Scan, ScanResult, SessionSignup, db
from eventapp.models.checkin import Attendance
from eventapp.services.checkin import check_in
from eventapp.services.checkin.badges import BadgeKeys, badge_token
from tests.factories import make_event, make_registration, make_session

KEYS = BadgeKeys.from_secrets("test-secret-key")
SCANNERS = 4
ROUNDS = 8


@pytest.mark.postgres
def test_simultaneous_scans_admit_once_and_say_already_to_the_rest(app):
    with app.app_context():
        event = make_event()
        slug = event.slug
        tokens = [badge_token(make_registration(event), KEYS) for _ in range(ROUNDS)]
    results: list[ScanResult] = []
    first_times: dict[str, set[datetime]] = {token: set() for token in tokens}
    errors: list[BaseException] = []
    lock = threading.Lock()

    def scan(token: str, barrier: threading.Barrier) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                outcome = check_in(token, keys=KEYS, staff_id=None, event_slug=slug)
                with lock:
                    results.append(outcome.result)
                    first_times[token].add(outcome.first_checked_in_at)
            except BaseException as error:
                errors.append(error)
            finally:
                db.session.remove()

    for token in tokens:
        barrier = threading.Barrier(SCANNERS)
        threads = [threading.Thread(target=scan, args=(token, barrier)) for _ in range(SCANNERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert Counter(results) == {
        ScanResult.CHECKED_IN: ROUNDS,
        ScanResult.ALREADY_CHECKED_IN: ROUNDS * (SCANNERS - 1),
    }
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Attendance.id))) == ROUNDS
        assert db.session.scalar(db.select(db.func.count(Scan.id))) == ROUNDS * SCANNERS
        admitted_at = set(db.session.scalars(db.select(Attendance.checked_in_at)))
    # Every scanner of a badge, the losers of the race too, shows the winner's time.
    assert all(len(times) == 1 for times in first_times.values())
    assert set().union(*first_times.values()) == admitted_at


@pytest.mark.postgres
def test_simultaneous_scans_at_a_session_with_seats_stay_within_its_capacity(app):
    with app.app_context():
        event = make_event()
        session = make_session(event, capacity=3)
        registrations = [make_registration(event) for _ in range(SCANNERS * 2)]
        for registration in registrations[: session.capacity]:
            db.session.add(SessionSignup(registration=registration, session=session))
        db.session.commit()
        session_id, capacity = session.id, session.capacity
        tokens = [badge_token(r, KEYS) for r in registrations]
    results: list[ScanResult] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(tokens))

    def scan(token: str) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                outcome = check_in(token, keys=KEYS, staff_id=None, session_id=session_id)
                results.append(outcome.result)
            except BaseException as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=scan, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert Counter(results) == {
        ScanResult.CHECKED_IN: capacity,
        ScanResult.NOT_ADMITTED: len(tokens) - capacity,
    }
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Attendance.id))) == capacity
