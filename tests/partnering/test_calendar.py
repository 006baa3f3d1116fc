"""A placed meeting in both people's calendars and inboxes: REQUEST, a move, CANCEL."""

from email import message_from_string
from email.policy import default

import icalendar

from eventapp.models import Meeting, db
from eventapp.services.mail import outbox
from eventapp.services.partnering import meetings, requests
from tests.factories import make_room
from tests.partnering.support import participant, partnering_event, session


def _invitations(registration) -> list[icalendar.Calendar]:
    found = []
    for message in outbox.messages_for(registration):
        if message.kind != "partnering_meeting":
            continue
        parsed = message_from_string(message.raw, policy=default)
        for part in parsed.walk():
            if part.get_content_type() == "text/calendar":
                found.append(icalendar.Calendar.from_ical(part.get_content()))
    return found


def _vevent(calendar: icalendar.Calendar):
    return next(c for c in calendar.walk("VEVENT"))


def _placed(app):
    event = partnering_event()
    room = make_room(event, name="Hall B", name_ko="B홀")
    made = session(event, room_id=room.id)
    a = participant(event, "Example Launch", "US")
    b = participant(event, "Example Sat", "KR", locale="ko")
    request = requests.send_request(a, b.id)
    requests.respond(b, request.id, accept=True)
    meeting = db.session.scalar(db.select(Meeting))
    meetings.place(meeting, made.slots[0].id)
    return event, made, a, b, meeting


def test_placing_sends_a_request_to_both_with_both_attendees_and_the_table(ctx, client):
    _event, made, a, b, meeting = _placed(ctx)
    for person, other in ((a, b), (b, a)):
        [calendar] = _invitations(person.registration)
        assert calendar["METHOD"] == "REQUEST"
        vevent = _vevent(calendar)
        attendees = {str(x).removeprefix("mailto:").lower() for x in vevent.get("ATTENDEE")}
        assert attendees == {a.registration.email, b.registration.email}
        assert str(vevent["UID"]) == meeting.uid
        assert int(vevent["SEQUENCE"]) == 0
        assert vevent.decoded("DTSTART") == made.slots[0].starts_at
        assert other.organization.name in str(vevent["SUMMARY"])
    assert str(_vevent(_invitations(a.registration)[0])["LOCATION"]) == "Table 1, Hall B"
    assert str(_vevent(_invitations(b.registration)[0])["LOCATION"]) == "테이블 1, B홀"


def test_a_move_raises_sequence_and_cancel_sends_cancel(ctx):
    _event, made, a, b, meeting = _placed(ctx)
    meetings.place(meeting, made.slots[1].id)
    moved = _vevent(_invitations(a.registration)[-1])
    assert int(moved["SEQUENCE"]) == 1
    assert moved.decoded("DTSTART") == made.slots[1].starts_at
    meetings.cancel(meeting)
    for person in (a, b):
        last = _invitations(person.registration)[-1]
        assert last["METHOD"] == "CANCEL"
        assert int(_vevent(last)["SEQUENCE"]) == 2
        assert str(_vevent(last)["STATUS"]) == "CANCELLED"


def test_the_meeting_is_in_both_personal_feeds(ctx, client):
    _event, _made, a, b, meeting = _placed(ctx)
    for person in (a, b):
        response = client.get(f"/me/{person.registration.manage_token}/agenda.ics")
        assert response.status_code == 200
        calendar = icalendar.Calendar.from_ical(response.data)
        uids = {str(v["UID"]) for v in calendar.walk("VEVENT")}
        assert meeting.uid in uids
    etag = client.get(f"/me/{a.registration.manage_token}/agenda.ics").headers["ETag"]
    meetings.cancel(meeting)
    response = client.get(f"/me/{a.registration.manage_token}/agenda.ics")
    assert response.headers["ETag"] != etag
    uids = {str(v["UID"]) for v in icalendar.Calendar.from_ical(response.data).walk("VEVENT")}
    assert meeting.uid not in uids
