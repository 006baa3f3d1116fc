"""Slots free for both, placing at a free table, and what the database refuses."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from eventapp.errors import NotFound, PartneringRefused
from eventapp.models import Meeting, MeetingPerson, db
from eventapp.services.partnering import meetings, requests
from tests.factories import make_session, make_signup
from tests.partnering.support import participant, partnering_event, session


def _accepted(event, a, b) -> Meeting:
    request = requests.send_request(a, b.id)
    requests.respond(b, request.id, accept=True)
    return db.session.scalar(db.select(Meeting).where(Meeting.request_id == request.id))


def test_a_session_is_cut_into_slots_of_meeting_plus_break(ctx):
    event = partnering_event()
    made = session(event, tables=3)
    # 75 minutes of 20 + 5: three meetings.
    assert [s.index for s in made.slots] == [0, 1, 2]
    assert made.slots[1].starts_at - made.slots[0].starts_at == timedelta(minutes=25)
    assert [t.name for t in made.tables] == ["1", "2", "3"]


def test_free_slots_leave_out_seats_held_unavailability_and_other_meetings(ctx):
    event = partnering_event()
    made = session(event)
    a, b = participant(event, "Example A"), participant(event, "Example B", "KR")
    c = participant(event, "Example C", "KR")
    first, second, third = made.slots
    talk = make_session(event, starts_at=first.starts_at, ends_at=first.ends_at, capacity=10)
    make_signup(a.registration, talk)
    meetings.set_unavailable(b, [second.id])
    meeting = _accepted(event, a, b)
    assert [s.id for s in meetings.free_slots(meeting)] == [third.id]
    other = _accepted(event, c, a)
    meetings.place(meeting, third.id)
    assert meeting.slot_id == third.id
    assert meeting.table_id == made.tables[0].id
    # a holds a seat at the first slot and meets b at the third.
    assert [s.id for s in meetings.free_slots(other)] == [second.id]
    with pytest.raises(PartneringRefused) as refused:
        meetings.place(other, third.id)
    assert refused.value.code == "slot_not_free"


def test_the_second_table_is_taken_then_the_slot_is_full(ctx):
    event = partnering_event()
    made = session(event, tables=2)
    people = [participant(event, f"Example {n}", "KR" if n % 2 else "US") for n in range(6)]
    pairs = [_accepted(event, people[i], people[i + 1]) for i in (0, 2, 4)]
    slot = made.slots[0]
    meetings.place(pairs[0], slot.id)
    meetings.place(pairs[1], slot.id)
    assert {pairs[0].table_id, pairs[1].table_id} == {t.id for t in made.tables}
    with pytest.raises(PartneringRefused) as refused:
        meetings.place(pairs[2], slot.id)
    assert refused.value.code == "no_table"
    assert db.session.get(Meeting, pairs[2].id).slot_id is None


def test_moving_a_meeting_bumps_its_sequence_and_cancel_frees_the_table(ctx):
    event = partnering_event()
    made = session(event)
    a, b = participant(event, "Example A"), participant(event, "Example B", "KR")
    meeting = _accepted(event, a, b)
    meetings.place(meeting, made.slots[0].id)
    assert meeting.sequence == 0
    meetings.place(meeting, made.slots[1].id)
    assert meeting.sequence == 1
    meetings.cancel(meeting)
    assert meeting.slot_id is None
    assert meeting.sequence == 2
    assert all(p.slot_id is None for p in meeting.people)


def test_the_database_refuses_double_booking_by_itself(ctx):
    event = partnering_event()
    made = session(event)
    a, b = participant(event, "Example A"), participant(event, "Example B", "KR")
    c, d = participant(event, "Example C", "KR"), participant(event, "Example D")
    slot, table = made.slots[0], made.tables[0]
    first = _accepted(event, a, b)
    meetings.place(first, slot.id)
    second = _accepted(event, c, d)
    second.slot_id, second.table_id = slot.id, table.id  # same table, same slot
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    third = _accepted(event, a, d)
    db.session.add(MeetingPerson(meeting_id=third.id, participant_id=a.id, slot_id=slot.id))
    with pytest.raises(IntegrityError):  # a in two meetings of one slot
        db.session.flush()
    db.session.rollback()


def test_a_forged_meeting_id_is_not_found(ctx):
    event = partnering_event()
    a, b = participant(event, "Example A"), participant(event, "Example B", "KR")
    c = participant(event, "Example C", "KR")
    meeting = _accepted(event, a, b)
    assert meetings.meeting_for(a, meeting.id) is meeting
    with pytest.raises(NotFound):
        meetings.meeting_for(c, meeting.id)


def test_unknown_unavailable_slots_are_refused(ctx):
    event = partnering_event()
    a = participant(event, "Example A")
    with pytest.raises(PartneringRefused) as refused:
        meetings.set_unavailable(a, [999999])
    assert refused.value.code == "unknown_slot"
