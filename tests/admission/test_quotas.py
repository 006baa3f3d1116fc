"""Per-category quotas (#17) on top of the capacity, through the one seat rule."""

import pytest

from eventapp.errors import InvalidInput
from eventapp.models import AdmissionMode, Category, Registration, db
from eventapp.models import RegistrationStatus as Status
from eventapp.services import admission
from eventapp.services import registration as registrations
from eventapp.services.registration import changes
from tests.factories import make_event, make_registration_data


def _outcome(event, category: Category):
    return registrations.register(event, make_registration_data(category=category))


def _register(event, category: Category) -> Status:
    return _outcome(event, category).status


def test_a_category_at_its_quota_waits_while_others_still_get_seats(ctx):
    event = make_event(capacity=5)
    admission.set_quotas(event, {Category.PRESS: 2})

    assert [_register(event, Category.PRESS) for _ in range(3)] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
    ]
    assert _register(event, Category.GOVERNMENT) is Status.CONFIRMED
    assert admission.quotas(event) == {Category.PRESS: 2}


def test_raising_a_quota_seats_the_waiting_category(ctx):
    event = make_event(capacity=5)
    admission.set_quotas(event, {Category.PRESS: 1})
    _register(event, Category.PRESS)
    assert _register(event, Category.PRESS) is Status.WAITLISTED

    admission.set_quotas(event, {Category.PRESS: None})

    waiting = db.session.scalar(
        db.select(db.func.count())
        .select_from(Registration)
        .where(Registration.status == Status.WAITLISTED)
    )
    assert waiting == 0
    assert admission.quotas(event) == {}


def test_a_freed_seat_skips_the_waiting_category_at_its_quota(ctx):
    event = make_event(capacity=2)
    admission.set_quotas(event, {Category.PRESS: 1})
    first = _outcome(event, Category.PRESS)
    _register(event, Category.GOVERNMENT)
    press_waiting = _outcome(event, Category.PRESS)
    other_waiting = registrations.register(
        event, make_registration_data(category=Category.ACADEMIA)
    )
    assert press_waiting.status is Status.WAITLISTED

    # The press seat frees: the waiting press person is first in line and within quota.
    changes.cancel_registration(db.session.get(Registration, first.registration_id))
    assert db.session.get(Registration, press_waiting.registration_id).status is Status.CONFIRMED
    assert db.session.get(Registration, other_waiting.registration_id).status is (Status.WAITLISTED)


def test_approval_respects_the_quota(ctx):
    event = make_event(capacity=10, admission_mode=AdmissionMode.APPROVAL)
    admission.set_quotas(event, {Category.PRESS: 1})
    ids = [
        registrations.register(
            event, make_registration_data(category=Category.PRESS)
        ).registration_id
        for _ in range(2)
    ]
    decisions = admission.approve(event, ids)
    assert decisions.confirmed == ids[:1]
    assert decisions.waitlisted == ids[1:]


def test_a_negative_quota_is_refused(ctx):
    event = make_event()
    with pytest.raises(InvalidInput):
        admission.set_quotas(event, {Category.PRESS: -1})
