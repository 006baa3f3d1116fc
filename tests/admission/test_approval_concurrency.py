"""Approvals racing registrations never overbook (#17): threads with their own
PostgreSQL connections approve pending registrations (overlapping batches) while others
register for the same event; every seat is taken through the one rule, under its lock."""

import pytest

from eventapp.models import AdmissionMode, Event, Registration, db
from eventapp.models import RegistrationStatus as Status
from eventapp.services import admission
from eventapp.services.registration import register
from tests.factories import make_event, make_registration, make_registration_data
from tests.registration.test_registration_concurrency import POOL, count, run_together

pytestmark = pytest.mark.postgres


def _count(event_id: int, status: Status) -> int:
    return count(Registration, Registration.event_id == event_id, Registration.status == status)


def test_approvals_racing_registrations_and_each_other_never_overbook(make_app):
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=POOL)
    with app.app_context():
        event = make_event(capacity=10, admission_mode=AdmissionMode.APPROVAL)
        for _ in range(4):
            make_registration(event)  # four seats taken already
        pending = [
            register(event, make_registration_data(f"pending{i}@example.org")).registration_id
            for i in range(20)
        ]
        event_id = event.id

    def work(i: int) -> None:
        event = db.session.get(Event, event_id)
        if i < 20:
            # Two organizers approving overlapping batches at once.
            batch = pending[i % 10 :: 10]
            admission.approve(event, batch)
        else:
            register(event, make_registration_data(f"late{i}@example.org"))

    errors = run_together(app, 30, work)

    assert errors == []
    with app.app_context():
        confirmed = _count(event_id, Status.CONFIRMED)
        waitlisted = _count(event_id, Status.WAITLISTED)
        still_pending = _count(event_id, Status.PENDING)
        assert confirmed == 10
        assert waitlisted == 14
        assert still_pending == 10  # the late registrations wait for approval


def test_approvals_racing_open_registrations_when_the_event_opens_up(make_app):
    """An event switched from approval to open: old pending ones are approved while new
    registrations confirm directly; the capacity still holds."""
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=POOL)
    with app.app_context():
        event = make_event(capacity=12, admission_mode=AdmissionMode.APPROVAL)
        pending = [
            register(event, make_registration_data(f"p{i}@example.org")).registration_id
            for i in range(15)
        ]
        event.admission_mode = AdmissionMode.OPEN
        db.session.commit()
        event_id = event.id

    def work(i: int) -> None:
        event = db.session.get(Event, event_id)
        if i < 15:
            admission.approve(event, [pending[i]])
        else:
            register(event, make_registration_data(f"open{i}@example.org"))

    errors = run_together(app, 30, work)

    assert errors == []
    with app.app_context():
        confirmed = _count(event_id, Status.CONFIRMED)
        waitlisted = _count(event_id, Status.WAITLISTED)
        assert confirmed == 12
        assert waitlisted == 18


def test_press_quota_holds_under_racing_registrations_and_approvals(make_app):
    from eventapp.models import Category

    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=POOL)
    with app.app_context():
        event = make_event(capacity=30, admission_mode=AdmissionMode.APPROVAL)
        admission.set_quotas(event, {Category.PRESS: 5})
        pending = [
            register(
                event, make_registration_data(f"press{i}@example.org", category=Category.PRESS)
            ).registration_id
            for i in range(10)
        ]
        event.admission_mode = AdmissionMode.OPEN
        db.session.commit()
        event_id = event.id

    def work(i: int) -> None:
        event = db.session.get(Event, event_id)
        if i < 10:
            admission.approve(event, [pending[i]])
        else:
            register(event, make_registration_data(f"late{i}@example.org", category=Category.PRESS))

    errors = run_together(app, 30, work)

    assert errors == []
    with app.app_context():
        assert _count(event_id, Status.CONFIRMED) == 5
        assert _count(event_id, Status.WAITLISTED) == 25
