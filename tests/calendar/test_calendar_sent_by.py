"""Every invitation (REQUEST and CANCEL) names who sends it on the organizer's behalf.

With the usual deployment our mail comes from the platform's address (MAIL_DEFAULT_SENDER)
while the event's organizer is its contact address; an ORGANIZER that did not send the
invitation is suspect to Gmail and Outlook unless SENT-BY says who did (RFC 5545
§3.2.18). Each email is read back with two parsers, icalendar and vobject.
"""

from __future__ import annotations

import email
from datetime import timedelta
from email.policy import default

import icalendar
import vobject

from eventapp.models import OutboxMessage, SessionStatus, db
from eventapp.services.agenda.scheduling import change_session
from eventapp.services.registration import register
from eventapp.services.registration.changes import cancel_registration
from eventapp.services.setup import events
from tests.factories import (
    SEOUL_MORNING,
    make_account,
    make_event,
    make_registration_data,
    make_session,
)
from tests.setup.test_event_revision import data_of

NOW = SEOUL_MORNING - timedelta(days=7)
ORGANIZER = "symposium@example.org"
SENDER = "events@example.org"  # MAIL_DEFAULT_SENDER of the test apps


def invitations_sent() -> list[tuple[str, str, email.message.EmailMessage]]:
    """(kind, iTIP method, email) of every queued message that carries a calendar."""
    result = []
    for message in db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)):
        parsed = email.message_from_string(message.raw, policy=default)
        parts = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
        if parts:
            result.append((message.kind, parts[0].get_param("method"), parsed))
    return result


def organizers(mail: email.message.EmailMessage) -> list[tuple[str, str, str]]:
    """(value, SENT-BY, CN) of every ORGANIZER, as icalendar and then vobject read them."""
    [part] = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    text = part.get_content()
    seen = []
    for vevent in icalendar.Calendar.from_ical(text).walk("VEVENT"):
        organizer = vevent["organizer"]
        seen.append((str(organizer), organizer.params["SENT-BY"], organizer.params["CN"]))
    for vevent in vobject.readOne(text).vevent_list:
        organizer = vevent.organizer
        seen.append((organizer.value, organizer.params["SENT-BY"][0], organizer.params["CN"][0]))
    return seen


def test_every_invitation_says_it_is_sent_by_the_platform_for_the_organizer(ctx):
    event = make_event(contact_email=ORGANIZER, title="ROK-U.S. Space Forum")
    panel = make_session(event, capacity=5)
    talk = make_session(event, capacity=5)
    outcome = register(event, make_registration_data(session_ids=[panel.id, talk.id]), now=NOW)
    change_session(
        panel,
        by=None,
        now=NOW,
        starts_at=panel.starts_at + timedelta(minutes=30),
        ends_at=panel.ends_at + timedelta(minutes=30),
    )
    change_session(talk, by=None, now=NOW, status=SessionStatus.CANCELLED)
    moved = data_of(
        event,
        starts_at=event.starts_at + timedelta(days=1),
        ends_at=event.ends_at + timedelta(days=1),
    )
    events.update_event(event, moved, by=make_account(), now=NOW)
    cancel_registration(outcome.registration, now=NOW)

    sent = invitations_sent()

    assert sorted({(kind, method) for kind, method, _ in sent}) == [
        ("cancelled", "CANCEL"),
        ("confirmation", "REQUEST"),
        ("invitation", "CANCEL"),
        ("invitation", "REQUEST"),
        ("update", "CANCEL"),
        ("update", "REQUEST"),
    ]
    for _, _, mail in sent:
        expected = (f"mailto:{ORGANIZER}", f"mailto:{SENDER}", "ROK-U.S. Space Forum")
        seen = organizers(mail)
        assert len(seen) >= 2  # one VEVENT at least, read by both parsers
        assert seen == [expected] * len(seen)
        assert mail["From"].addresses[0].addr_spec == SENDER
        assert mail["Reply-To"] == ORGANIZER


def test_no_sent_by_when_the_organizer_sends_it_themselves(ctx):
    event = make_event(contact_email=SENDER.upper())
    register(event, make_registration_data(), now=NOW)

    [(_, _, mail)] = invitations_sent()

    [part] = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    [vevent] = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")
    assert "SENT-BY" not in vevent["organizer"].params
    assert str(vevent["organizer"]) == f"mailto:{SENDER.upper()}"
