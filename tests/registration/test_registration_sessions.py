"""Session seats: sign-ups, the per-session waiting list, and the self-service data rights."""

import json
from datetime import timedelta

import pytest

from eventapp.errors import InvalidInput, RegistrationCancelled
from eventapp.models import (
    AuditEntry,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    Scan,
    ScanResult,
    SessionSignup,
    SessionStatus,
    db,
)
from eventapp.models.checkin import Attendance
from eventapp.services.agenda import scheduling
from eventapp.services.agenda.sessions import delete_session
from eventapp.services.registration import register
from eventapp.services.registration.changes import (
    cancel_registration,
    choose_sessions,
    fill_session_seats,
)
from eventapp.services.registration.personal_data import delete_registration, export_data
from eventapp.services.registration.signups import session_position
from eventapp.services.setup import events
from tests.factories import (
    SEOUL_MORNING,
    make_account,
    make_event,
    make_registration_data,
    make_session,
)

NOW = SEOUL_MORNING - timedelta(days=10)
Status = RegistrationStatus


def _statuses(session):
    rows = db.session.scalars(
        db.select(SessionSignup).where(SessionSignup.session_id == session.id)
    ).all()
    return sorted(row.status.value for row in rows)


def test_register_with_sessions_seats_until_full_then_waitlists(ctx):
    event = make_event()
    panel = make_session(event, capacity=1)

    first = register(event, make_registration_data(session_ids=[panel.id]), now=NOW)
    second = register(event, make_registration_data(session_ids=[panel.id]), now=NOW)

    assert first.registration.signups[0].status is Status.CONFIRMED
    (waiting,) = second.registration.signups
    assert waiting.status is Status.WAITLISTED
    assert session_position(waiting) == 1


def test_register_refuses_sessions_without_capacity_or_of_another_event(ctx):
    event = make_event()
    open_talk = make_session(event, capacity=None)
    elsewhere = make_session(make_event(), capacity=10)

    for session_id in (open_talk.id, elsewhere.id):
        with pytest.raises(InvalidInput):
            register(event, make_registration_data(session_ids=[session_id]), now=NOW)

    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_choose_sessions_releases_seat_to_first_confirmed_waiter(ctx):
    event = make_event()
    panel, workshop = make_session(event, capacity=1), make_session(event, capacity=5)
    first = register(event, make_registration_data(session_ids=[panel.id]), now=NOW).registration
    second = register(event, make_registration_data(session_ids=[panel.id]), now=NOW)

    choose_sessions(first, [workshop.id], now=NOW)

    assert [s.session_id for s in first.signups] == [workshop.id]
    assert second.registration.signups[0].status is Status.CONFIRMED
    mails = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.kind == "session_promoted")
    ).all()
    assert [m.to_address for m in mails] == [second.registration.email]


def test_a_released_seat_fills_every_free_seat_in_order_and_no_more(ctx):
    # The capacity was raised by hand since: one release fills all the seats now free.
    event = make_event()
    panel, workshop = make_session(event, capacity=1), make_session(event, capacity=5)
    first = register(event, make_registration_data(session_ids=[panel.id]), now=NOW).registration
    waiters = [
        register(event, make_registration_data(session_ids=[panel.id]), now=NOW).registration
        for _ in range(4)
    ]
    panel.capacity = 3
    db.session.commit()

    choose_sessions(first, [workshop.id], now=NOW)

    statuses = [w.signups[0].status for w in waiters]
    assert statuses == [Status.CONFIRMED] * 3 + [Status.WAITLISTED]
    mails = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.kind == "session_promoted")
        .order_by(OutboxMessage.id)
    ).all()
    assert [m.to_address for m in mails] == [w.email for w in waiters[:3]]


def test_waitlisted_attendee_waits_for_session_until_promoted_to_the_event(ctx):
    event = make_event(capacity=1)
    panel = make_session(event, capacity=10)
    first = register(event, make_registration_data(), now=NOW).registration
    second = register(event, make_registration_data(session_ids=[panel.id]), now=NOW)
    assert second.registration.signups[0].status is Status.WAITLISTED

    cancel_registration(first, now=NOW)

    assert second.registration.status is Status.CONFIRMED
    assert second.registration.signups[0].status is Status.CONFIRMED


def test_cancel_frees_session_seats(ctx):
    event = make_event()
    panel = make_session(event, capacity=1)
    first = register(event, make_registration_data(session_ids=[panel.id]), now=NOW).registration
    register(event, make_registration_data(session_ids=[panel.id]), now=NOW)

    cancel_registration(first, now=NOW)

    assert _statuses(panel) == ["confirmed"]
    assert first.signups == []


def test_choose_sessions_on_cancelled_registration_is_refused(ctx):
    event = make_event()
    panel = make_session(event, capacity=3)
    registration = register(event, make_registration_data(), now=NOW).registration
    cancel_registration(registration, now=NOW)

    with pytest.raises(RegistrationCancelled):
        choose_sessions(registration, [panel.id], now=NOW)


def test_export_data_is_json_with_details_sessions_and_emails(ctx):
    event = make_event()
    panel = make_session(event, capacity=3, title="Panel 1")
    data = make_registration_data("a@example.org", given_name="민지🚀", session_ids=[panel.id])
    registration = register(event, data, now=NOW).registration

    exported = json.loads(json.dumps(export_data(registration), ensure_ascii=False))

    assert exported["email"] == "a@example.org"
    assert exported["given_name"] == "민지🚀"
    assert exported["status"] == "confirmed"
    assert exported["category"] == "industry"
    assert exported["sessions"] == [{"id": panel.id, "title": "Panel 1", "status": "confirmed"}]
    # The seat's own calendar invitation (one UID per iTIP message) travels beside it.
    assert sorted(m["kind"] for m in exported["emails"]) == ["confirmation", "invitation"]
    assert exported["event"]["slug"] == event.slug


def test_delete_registration_erases_row_signups_mail_and_promotes(ctx):
    event = make_event(capacity=1)
    panel = make_session(event, capacity=1)
    data = make_registration_data(session_ids=[panel.id])
    registration = register(event, data, now=NOW).registration
    db.session.add(Scan(event_id=event.id, registration=registration, result=ScanResult.CHECKED_IN))
    db.session.add(Attendance(event_id=event.id, registration=registration))
    db.session.commit()
    waiting = register(event, make_registration_data(), now=NOW).registration
    registration_id = registration.id

    delete_registration(registration, now=NOW)

    assert db.session.get(Registration, registration_id) is None
    # The attendance row goes with it (the database cascades, SQLite included): left behind,
    # a reused id would make the next registrant's first scan say "already checked in".
    for model in (OutboxMessage, Scan, Attendance, SessionSignup):
        remaining = db.select(db.func.count()).select_from(model)
        if model is not SessionSignup:
            remaining = remaining.where(model.registration_id == registration_id)
        assert db.session.scalar(remaining) == 0
    assert waiting.status is Status.CONFIRMED


def test_deleting_a_cancelled_session_takes_its_sign_ups_and_the_me_page_still_opens(app, client):
    with app.app_context():
        event = make_event()
        panel = make_session(event, capacity=5)
        registration = register(
            event, make_registration_data(session_ids=[panel.id]), now=NOW
        ).registration
        token = registration.manage_token
        panel.status = SessionStatus.CANCELLED
        db.session.commit()
        delete_session(panel, by=None)
        remaining = db.session.scalar(db.select(db.func.count(SessionSignup.id)))

    assert remaining == 0
    assert client.get(f"/me/{token}").status_code == 200
    assert client.get(f"/me/{token}/data.json").status_code == 200


def _full_panel_with_waiters(waiting: int):
    event = make_event()
    panel = make_session(event, capacity=1)
    register(event, make_registration_data(session_ids=[panel.id]), now=NOW)
    waiters = [
        register(event, make_registration_data(session_ids=[panel.id]), now=NOW).registration
        for _ in range(waiting)
    ]
    return panel, waiters


def test_raising_a_session_capacity_seats_its_waiting_list_in_order(ctx):
    panel, waiters = _full_panel_with_waiters(3)

    scheduling.change_session(panel, by=None, now=NOW, capacity=3)

    statuses = [w.signups[0].status for w in waiters]
    assert statuses == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    mails = db.session.scalars(
        db.select(OutboxMessage.to_address)
        .where(OutboxMessage.kind == "session_promoted")
        .order_by(OutboxMessage.id)
    ).all()
    assert mails == [w.email for w in waiters[:2]]


def test_fill_session_seats_seats_the_waiting_list_and_is_audited(ctx):
    panel, waiters = _full_panel_with_waiters(2)
    panel.capacity = 2  # raised behind the service's back: only filling helps
    db.session.commit()
    organizer = make_account()

    promoted = fill_session_seats(panel, by=organizer, now=NOW)

    assert [p.registration for p in promoted] == waiters[:1]
    assert [w.signups[0].status for w in waiters] == [Status.CONFIRMED, Status.WAITLISTED]
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "session.fill_seats")
    ).one()
    assert (entry.account_id, entry.target, entry.details) == (
        organizer.id,
        f"agenda_sessions:{panel.id}",
        {"promoted": 1},
    )


def test_raising_the_event_capacity_promotes_its_waiting_list(ctx):
    event = make_event(capacity=1)
    register(event, make_registration_data(), now=NOW)
    waiting = [register(event, make_registration_data(), now=NOW).registration for _ in range(3)]
    data = events.EventData(
        **{
            name: getattr(event, name)
            for name in events.EventData.__dataclass_fields__
            if name != "capacity"
        },
        capacity=3,
    )

    events.update_event(event, data, by=None, now=NOW)

    assert [w.status for w in waiting] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    promoted = db.session.scalars(
        db.select(OutboxMessage.to_address).where(OutboxMessage.kind == "promoted")
    ).all()
    assert sorted(promoted) == sorted(w.email for w in waiting[:2])
