"""Invitations along the registration flow: the event on confirmation, one message per seat,
CANCEL when a seat or the registration goes, the invitation on promotion."""

from __future__ import annotations

import email
from datetime import timedelta
from email.policy import default

import icalendar

from eventapp.models import OutboxMessage, RegistrationStatus, db
from eventapp.services.calendar import event_uid
from eventapp.services.registration import register
from eventapp.services.registration.changes import cancel_registration, choose_sessions
from eventapp.services.registration.registrants import promote_registrant
from tests.factories import SEOUL_MORNING, make_event, make_registration_data, make_session

NOW = SEOUL_MORNING - timedelta(days=7)


def sent() -> list[tuple[str, str | None, str | None]]:
    """(kind, iTIP method, UID) of every queued message, oldest first."""
    result = []
    for message in db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)):
        parsed = email.message_from_string(message.raw, policy=default)
        parts = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
        if not parts:
            result.append((message.kind, None, None))
            continue
        calendar = icalendar.Calendar.from_ical(parts[0].get_content())
        [vevent] = calendar.walk("VEVENT")
        assert parts[0].get_param("method") == str(calendar["method"])
        result.append((message.kind, str(calendar["method"]), str(vevent["uid"])))
    return result


def clear_outbox() -> None:
    db.session.execute(db.delete(OutboxMessage))
    db.session.commit()


def test_confirmation_invites_to_the_event_and_each_seat(ctx):
    event = make_event()
    panel = make_session(event, capacity=5)

    register(event, make_registration_data(session_ids=[panel.id]), now=NOW)

    assert sorted(sent()) == [
        ("confirmation", "REQUEST", event_uid(event)),
        ("invitation", "REQUEST", panel.uid),
    ]


def test_cancellation_cancels_the_event_and_the_seats(ctx):
    event = make_event()
    panel = make_session(event, capacity=5)
    registration = register(
        event, make_registration_data(session_ids=[panel.id]), now=NOW
    ).registration
    clear_outbox()

    cancel_registration(registration, now=NOW)

    assert sorted(sent()) == [
        ("cancelled", "CANCEL", event_uid(event)),
        ("invitation", "CANCEL", panel.uid),
    ]


def test_waiting_list_gets_no_invitation_and_no_cancel(ctx):
    event = make_event(capacity=0)
    registration = register(event, make_registration_data(), now=NOW).registration

    cancel_registration(registration, now=NOW)

    assert sent() == [("waitlisted", None, None), ("cancelled", None, None)]


def test_giving_up_a_seat_cancels_it_and_the_next_in_line_is_invited(ctx):
    event = make_event()
    panel = make_session(event, capacity=1)
    first = register(event, make_registration_data(session_ids=[panel.id]), now=NOW)
    register(event, make_registration_data(session_ids=[panel.id]), now=NOW)  # waits
    clear_outbox()

    choose_sessions(first.registration, [], now=NOW)

    assert sent() == [
        ("invitation", "CANCEL", panel.uid),
        ("session_promoted", "REQUEST", panel.uid),
    ]


def test_promotion_from_the_waiting_list_carries_the_event_invitation(ctx):
    event = make_event(capacity=1)
    first = register(event, make_registration_data(), now=NOW).registration
    register(event, make_registration_data(), now=NOW)  # on the waiting list
    clear_outbox()

    cancel_registration(first, now=NOW)

    assert sorted(sent()) == [
        ("cancelled", "CANCEL", event_uid(event)),
        ("promoted", "REQUEST", event_uid(event)),
    ]


def test_a_session_title_with_a_line_break_still_gets_its_invitation(ctx):
    event = make_event()
    panel = make_session(event, capacity=5, title="Panel\r\nA", title_ko="패널\nA")

    register(event, make_registration_data(session_ids=[panel.id]), now=NOW)

    [message] = db.session.scalars(db.select(OutboxMessage).filter_by(kind="invitation")).all()
    parsed = email.message_from_string(message.raw, policy=default)
    assert parsed.defects == []
    assert parsed["Subject"].endswith("Panel A")
    assert sorted(sent()) == [
        ("confirmation", "REQUEST", event_uid(event)),
        ("invitation", "REQUEST", panel.uid),
    ]


def test_organizer_promotion_seats_waiting_sessions_and_sends_the_invitation(ctx):
    event = make_event(capacity=1)
    panel = make_session(event, capacity=5)
    register(event, make_registration_data(), now=NOW)
    waiting = register(event, make_registration_data(session_ids=[panel.id]), now=NOW)
    clear_outbox()

    promote_registrant(waiting.registration, by=None, now=NOW)

    assert [s.status for s in waiting.registration.signups] == [RegistrationStatus.CONFIRMED]
    assert sorted(sent()) == [
        ("invitation", "REQUEST", panel.uid),
        ("promoted", "REQUEST", event_uid(event)),
    ]
