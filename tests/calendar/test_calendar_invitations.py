"""Invitation parts (iTIP) and the invitation emails queued for one attendee."""

from __future__ import annotations

import email
from email.policy import default

import icalendar

from eventapp.models import OutboxMessage, db
from eventapp.services import calendar
from eventapp.services.calendar import invitations
from tests.factories import make_event, make_registration, make_session


def test_invitation_request_for_event_in_registrant_language(ctx):
    event = make_event(contact_email="forum@example.org")
    registration = make_registration(event, locale="ko", given_name="Jane", family_name="Doe")

    part = invitations.confirmation_calendar(registration)

    parsed = icalendar.Calendar.from_ical(part.ics)
    [vevent] = parsed.walk("VEVENT")
    assert (part.method, str(parsed["method"])) == ("REQUEST", "REQUEST")
    assert str(vevent["uid"]) == calendar.event_uid(event)
    assert str(vevent["summary"]) == event.title_ko
    assert str(vevent["organizer"]) == "mailto:forum@example.org"
    assert str(vevent["attendee"]) == f"mailto:{registration.email}"
    assert vevent["attendee"].params["CN"] == "Jane Doe"


def test_invitation_organizer_falls_back_to_default_sender(ctx):
    event = make_event(contact_email=None)
    registration = make_registration(event)

    part = invitations.cancellation_calendar(registration)

    [vevent] = icalendar.Calendar.from_ical(part.ics).walk("VEVENT")
    assert str(vevent["organizer"]) == "mailto:events@example.org"
    assert (part.method, str(vevent["status"])) == ("CANCEL", "CANCELLED")


def test_queue_session_invitation_writes_an_imip_email(ctx):
    event = make_event(contact_email="forum@example.org")
    session = make_session(event, title="Workshop", title_ko="워크숍", revision=4)
    registration = make_registration(event, locale="ko")

    invitations.queue_session_invitation(registration, session)
    db.session.commit()

    [message] = db.session.scalars(db.select(OutboxMessage)).all()
    parsed = email.message_from_string(message.raw, policy=default)
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    [attachment] = [p for p in parsed.walk() if p.get_filename() == "invite.ics"]
    vevent = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
    assert (message.kind, message.to_address) == ("invitation", registration.email)
    assert part.get_param("method") == "REQUEST"
    assert attachment.get_content() == part.get_content().encode()
    assert (str(vevent["uid"]), vevent.decoded("sequence")) == (session.uid, 4)
    assert message.subject.endswith("워크숍")
    assert parsed["Reply-To"] == "forum@example.org"
