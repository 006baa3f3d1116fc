"""Session choices made on an approval event's form (#17): kept while the registration
is pending (no seat, no waiting-list place), applied on approval under the usual rule
(a seat, or that session's waiting list), dropped on decline."""

from eventapp.models import AdmissionMode, Registration, SessionSignup, db
from eventapp.models import RegistrationStatus as Status
from eventapp.services import admission
from eventapp.services import registration as registrations
from eventapp.services.registration import signups
from tests.factories import make_event, make_registration_data, make_session


def _signups(registration_id):
    return {
        s.session_id: s.status
        for s in db.session.scalars(
            db.select(SessionSignup).where(SessionSignup.registration_id == registration_id)
        )
    }


def test_choices_wait_with_the_pending_registration_and_hold_no_seat(ctx):
    event = make_event(capacity=10, admission_mode=AdmissionMode.APPROVAL)
    panel = make_session(event, capacity=1, is_published=True)
    outcome = registrations.register(event, make_registration_data(session_ids=[panel.id]))
    assert outcome.status is Status.PENDING
    assert _signups(outcome.registration_id) == {panel.id: Status.PENDING}
    assert signups.seats_taken([panel.id]).get(panel.id, 0) == 0


def test_approval_applies_the_choices_seat_then_waiting_list(ctx):
    event = make_event(capacity=10, admission_mode=AdmissionMode.APPROVAL)
    panel = make_session(event, capacity=1, is_published=True)
    open_talk = make_session(event, capacity=5, is_published=True)
    first, second = (
        registrations.register(
            event, make_registration_data(session_ids=[panel.id, open_talk.id])
        ).registration_id
        for _ in range(2)
    )

    admission.approve(event, [first, second])

    assert _signups(first) == {panel.id: Status.CONFIRMED, open_talk.id: Status.CONFIRMED}
    assert _signups(second) == {panel.id: Status.WAITLISTED, open_talk.id: Status.CONFIRMED}


def test_a_session_cancelled_meanwhile_is_left_out_on_approval(ctx):
    event = make_event(capacity=10, admission_mode=AdmissionMode.APPROVAL)
    panel = make_session(event, capacity=3, is_published=True)
    gone = make_session(event, capacity=3, is_published=True)
    pending = registrations.register(
        event, make_registration_data(session_ids=[panel.id, gone.id])
    ).registration_id
    gone.is_published = False
    db.session.commit()

    admission.approve(event, [pending])

    assert _signups(pending) == {panel.id: Status.CONFIRMED}


def test_decline_drops_the_choices(ctx):
    event = make_event(capacity=10, admission_mode=AdmissionMode.APPROVAL)
    panel = make_session(event, capacity=1, is_published=True)
    pending = registrations.register(
        event, make_registration_data(session_ids=[panel.id])
    ).registration_id
    admission.decline(event, [pending])
    assert _signups(pending) == {}


def test_approved_onto_the_event_waiting_list_the_choices_wait_too(ctx):
    event = make_event(capacity=1, admission_mode=AdmissionMode.APPROVAL)
    panel = make_session(event, capacity=5, is_published=True)
    ids = [
        registrations.register(
            event, make_registration_data(session_ids=[panel.id])
        ).registration_id
        for _ in range(2)
    ]
    admission.approve(event, ids)
    assert _signups(ids[0]) == {panel.id: Status.CONFIRMED}
    assert _signups(ids[1]) == {panel.id: Status.WAITLISTED}
    assert db.session.get(Registration, ids[1]).status is Status.WAITLISTED
