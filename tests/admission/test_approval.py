"""Approval-required events (#17): pending registrations hold no seat until an organizer
approves (seat or waiting list, through the one seat rule) or declines; emails parsed back."""

from email import message_from_string, policy

import icalendar
import pytest

from eventapp.errors import BadgeUnavailable, RegistrationCancelled
from eventapp.models import AdmissionMode, AuditEntry, OutboxMessage, Registration, db
from eventapp.models import RegistrationStatus as Status
from eventapp.services import admission
from eventapp.services import registration as registrations
from eventapp.services.checkin import badges
from eventapp.services.registration import changes
from tests.factories import make_event, make_registration, make_registration_data


def _emails(registration_id: int) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            db.select(OutboxMessage)
            .where(OutboxMessage.registration_id == registration_id)
            .order_by(OutboxMessage.id)
        )
    )


def _parse(message: OutboxMessage):
    return message_from_string(message.raw, policy=policy.default)


def _text(parsed) -> str:
    return parsed.get_body(preferencelist=("plain",)).get_content()


def _calendars(parsed) -> list:
    return [
        icalendar.Calendar.from_ical(part.get_content())
        for part in parsed.walk()
        if part.get_content_type() == "text/calendar"
    ]


def test_open_event_still_confirms_at_once(ctx):
    event = make_event(capacity=5)
    outcome = registrations.register(event, make_registration_data())
    assert outcome.status is Status.CONFIRMED


def test_approval_event_keeps_registration_pending_without_seat_or_invitation(ctx):
    event = make_event(capacity=1, admission_mode=AdmissionMode.APPROVAL)
    outcome = registrations.register(event, make_registration_data("a@example.org"))
    assert outcome.status is Status.PENDING
    registration = db.session.get(Registration, outcome.registration_id)
    assert registration.status is Status.PENDING
    [message] = _emails(registration.id)
    assert message.kind == "pending"
    parsed = _parse(message)
    assert "awaiting approval" in parsed["Subject"]
    assert "no seat is held" in _text(parsed)
    assert _calendars(parsed) == []
    # A pending registration takes no seat: an open event's next registration would.
    second = registrations.register(event, make_registration_data("b@example.org"))
    assert second.status is Status.PENDING
    with pytest.raises(BadgeUnavailable):
        badges.badge_data(registration, None)  # type: ignore[arg-type]


def test_approving_takes_a_seat_then_the_waiting_list(ctx):
    event = make_event(capacity=1, admission_mode=AdmissionMode.APPROVAL)
    first = registrations.register(event, make_registration_data("a@example.org"))
    second = registrations.register(event, make_registration_data("b@example.org"))

    decisions = admission.approve(
        event, [first.registration_id, second.registration_id], note="Welcome, minister."
    )

    assert decisions.confirmed == [first.registration_id]
    assert decisions.waitlisted == [second.registration_id]
    assert db.session.get(Registration, first.registration_id).status is Status.CONFIRMED
    assert db.session.get(Registration, second.registration_id).status is Status.WAITLISTED
    approved = _emails(first.registration_id)[-1]
    assert approved.kind == "approved"
    parsed = _parse(approved)
    assert "Registration approved" in parsed["Subject"]
    assert "Welcome, minister." in _text(parsed)
    [calendar] = _calendars(parsed)
    assert calendar["METHOD"] == "REQUEST"
    assert _emails(second.registration_id)[-1].kind == "waitlisted"
    actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert actions.count("registration.approve") == 2


def test_declining_tells_the_person_with_the_message(ctx):
    event = make_event(admission_mode=AdmissionMode.APPROVAL)
    outcome = registrations.register(event, make_registration_data("a@example.org", locale="ko"))

    decisions = admission.decline(event, [outcome.registration_id], note="정원이 찼습니다.")

    assert decisions.declined == [outcome.registration_id]
    registration = db.session.get(Registration, outcome.registration_id)
    assert registration.status is Status.DECLINED
    message = _emails(registration.id)[-1]
    assert message.kind == "declined"
    parsed = _parse(message)
    assert "정원이 찼습니다." in _text(parsed)
    assert _calendars(parsed) == []


def test_only_pending_registrations_of_the_event_are_decided(ctx):
    event = make_event(admission_mode=AdmissionMode.APPROVAL)
    other = make_event(admission_mode=AdmissionMode.APPROVAL)
    confirmed = make_registration(event)
    elsewhere = registrations.register(other, make_registration_data())
    pending = registrations.register(event, make_registration_data())

    decisions = admission.approve(event, [confirmed.id, elsewhere.registration_id, 999999])
    assert decisions.confirmed == []
    assert sorted(decisions.skipped) == sorted([confirmed.id, elsewhere.registration_id, 999999])
    assert db.session.get(Registration, elsewhere.registration_id).status is Status.PENDING

    admission.decline(event, [pending.registration_id])
    again = admission.approve(event, [pending.registration_id])
    assert again.skipped == [pending.registration_id]
    assert db.session.get(Registration, pending.registration_id).status is Status.DECLINED


def test_pending_registration_cannot_choose_sessions(ctx):
    event = make_event(admission_mode=AdmissionMode.APPROVAL)
    outcome = registrations.register(event, make_registration_data())
    registration = db.session.get(Registration, outcome.registration_id)
    with pytest.raises(RegistrationCancelled):
        changes.choose_sessions(registration, [])


def test_cancelled_registration_taken_up_again_waits_for_approval_again(ctx):
    event = make_event(admission_mode=AdmissionMode.APPROVAL)
    outcome = registrations.register(event, make_registration_data())
    registration = db.session.get(Registration, outcome.registration_id)
    changes.cancel_registration(registration)
    again = registrations.register_again(registration)
    assert again.status is Status.PENDING
    assert _emails(registration.id)[-1].kind == "pending"
