"""A small partnering world for the scheduler workflow tests: one session, people from
two countries, accepted meetings; and readers of the iMIP messages each person got."""

from __future__ import annotations

from email import message_from_string
from email.policy import default

import icalendar

from eventapp.models import Meeting, db
from eventapp.services.mail import outbox
from eventapp.services.partnering import requests
from tests.partnering.support import participant, partnering_event, session


def world(tables: int = 2, pairs: int = 2):
    """An event, its session (3 slots), 2 * `pairs` people and `pairs` accepted meetings."""
    event = partnering_event()
    made = session(event, tables=tables)
    people, meetings = [], []
    for i in range(pairs):
        a = participant(event, f"Example US {i}", "US", given_name=f"Ann{i}", family_name="Lee")
        b = participant(event, f"Example KR {i}", "KR", given_name=f"Min{i}", family_name="Kim")
        request = requests.send_request(a, b.id)
        requests.respond(b, request.id, accept=True)
        people += [a, b]
        meetings.append(
            db.session.scalar(db.select(Meeting).where(Meeting.request_id == request.id))
        )
    return event, made, people, meetings


def invitations(registration) -> list[tuple[str, int, str]]:
    """(METHOD, SEQUENCE, UID) of every meeting message the person was sent, oldest first."""
    found = []
    for message in outbox.messages_for(registration):
        if message.kind != "partnering_meeting":
            continue
        for part in message_from_string(message.raw, policy=default).walk():
            if part.get_content_type() == "text/calendar":
                calendar = icalendar.Calendar.from_ical(part.get_content())
                vevent = next(iter(calendar.walk("VEVENT")))
                found.append((str(calendar["METHOD"]), int(vevent["SEQUENCE"]), str(vevent["UID"])))
    return found
