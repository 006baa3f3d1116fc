"""Every CANCEL goes out with a SEQUENCE above the last message the attendee got for that
UID (RFC 5546 §2.1.4: clients ignore one that is not higher), whoever cancels; and a new
REQUEST after the attendee's own CANCEL is higher again. Read back from the queued emails."""

from __future__ import annotations

import email
from datetime import timedelta
from email.policy import default

import icalendar

from eventapp.models import OutboxMessage, SessionStatus, db
from eventapp.services.agenda import scheduling, sessions
from eventapp.services.calendar import event_uid
from eventapp.services.registration import register, register_again
from eventapp.services.registration.changes import cancel_registration, choose_sessions
from eventapp.services.setup.events import announce_change
from tests.factories import SEOUL_MORNING, make_event, make_registration_data, make_session

NOW = SEOUL_MORNING - timedelta(days=7)


def itip(uid: str) -> list[tuple[str, int]]:
    """(METHOD, SEQUENCE) of every queued message about `uid`, oldest first."""
    result = []
    for message in db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)):
        parsed = email.message_from_string(message.raw, policy=default)
        for part in parsed.walk():
            if part.get_content_type() == "text/calendar":
                calendar = icalendar.Calendar.from_ical(part.get_content())
                [vevent] = calendar.walk("VEVENT")
                if str(vevent["uid"]) == uid:
                    result.append((str(calendar["method"]), int(vevent["sequence"])))
    return result


def test_an_attendee_cancelling_sends_a_cancel_above_the_request(ctx):
    event = make_event()
    registration = register(event, make_registration_data(), now=NOW).registration

    cancel_registration(registration, now=NOW)

    assert itip(event_uid(event)) == [("REQUEST", 0), ("CANCEL", 1)]


def test_a_cancel_after_an_update_is_above_the_update(ctx):
    event = make_event()
    registration = register(event, make_registration_data(), now=NOW).registration
    announce_change(event, now=NOW)  # the organizer moved the event: REQUEST 1
    db.session.commit()

    cancel_registration(registration, now=NOW)

    assert itip(event_uid(event)) == [("REQUEST", 0), ("REQUEST", 1), ("CANCEL", 2)]


def test_giving_up_a_seat_and_taking_it_again_keeps_climbing(ctx):
    event = make_event()
    panel = make_session(event, capacity=5)
    registration = register(
        event, make_registration_data(session_ids=[panel.id]), now=NOW
    ).registration

    choose_sessions(registration, [], now=NOW)
    choose_sessions(registration, [panel.id], now=NOW)
    scheduling.change_session(panel, by=None, now=NOW, ends_at=panel.ends_at + timedelta(hours=1))
    choose_sessions(registration, [], now=NOW)

    assert itip(panel.uid) == [
        ("REQUEST", 0),
        ("CANCEL", 1),
        ("REQUEST", 2),
        ("REQUEST", 3),  # the organizer's update, above what the attendee holds
        ("CANCEL", 4),
    ]


def test_a_cancelled_registration_cancels_its_seats_above_their_requests(ctx):
    event = make_event()
    panel = make_session(event, capacity=5)
    registration = register(
        event, make_registration_data(session_ids=[panel.id]), now=NOW
    ).registration

    cancel_registration(registration, now=NOW)

    assert itip(panel.uid) == [("REQUEST", 0), ("CANCEL", 1)]


def test_the_organizer_cancelling_a_session_sends_its_new_revision(ctx):
    event = make_event()
    panel = make_session(event, capacity=5)
    register(event, make_registration_data(session_ids=[panel.id]), now=NOW)

    sessions.set_status(panel, SessionStatus.CANCELLED, by=None, now=NOW)
    sessions.set_status(panel, SessionStatus.CONFIRMED, by=None, now=NOW)

    assert itip(panel.uid) == [("REQUEST", 0), ("CANCEL", 1), ("REQUEST", 2)]


def test_registering_again_from_the_link_sends_a_request_above_the_cancel(ctx):
    event = make_event()
    registration = register(event, make_registration_data(), now=NOW).registration
    cancel_registration(registration, now=NOW)

    register_again(registration, now=NOW)

    assert itip(event_uid(event)) == [("REQUEST", 0), ("CANCEL", 1), ("REQUEST", 2)]
