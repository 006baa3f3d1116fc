from datetime import UTC, datetime, timedelta

from eventapp.models import SessionStatus
from eventapp.services.agenda.conflicts import (
    ConflictKind,
    Slot,
    agenda_conflicts,
    find_conflicts,
    is_outside_event,
    slot_of,
)
from tests.factories import link_speaker, make_event, make_room, make_session, make_speaker

#: 8 November 2023, 09:00 to 18:00 in Seoul (UTC+9).
NINE = datetime(2023, 11, 8, 0, 0, tzinfo=UTC)


def _slot(start, minutes=60, room=None, speakers=(), session=None):
    return Slot(
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        room_id=room.id if room else None,
        speaker_ids=[s.id for s in speakers],
        session_id=session.id if session else None,
    )


def test_two_sessions_in_one_room_at_once_conflict(ctx):
    event = make_event(starts_at=NINE)
    room = make_room(event)
    booked = make_session(event, room=room, starts_at=NINE, ends_at=NINE + timedelta(hours=1))

    found = find_conflicts(event, _slot(NINE + timedelta(minutes=30), room=room))

    assert [(c.kind, c.other.id) for c in found] == [(ConflictKind.ROOM, booked.id)]


def test_back_to_back_sessions_in_one_room_do_not_conflict(ctx):
    event = make_event(starts_at=NINE)
    room = make_room(event)
    make_session(event, room=room, starts_at=NINE, ends_at=NINE + timedelta(hours=1))

    assert find_conflicts(event, _slot(NINE + timedelta(hours=1), room=room)) == []


def test_other_rooms_do_not_conflict(ctx):
    event = make_event(starts_at=NINE)
    make_session(event, room=make_room(event), starts_at=NINE, ends_at=NINE + timedelta(hours=1))

    assert find_conflicts(event, _slot(NINE, room=make_room(event))) == []


def test_a_speaker_in_two_places_at_once_conflicts(ctx):
    event = make_event(starts_at=NINE)
    speaker = make_speaker()
    panel = make_session(event, room=make_room(event), starts_at=NINE + timedelta(minutes=30))
    link_speaker(panel, speaker)

    found = find_conflicts(event, _slot(NINE, room=make_room(event), speakers=[speaker]))

    assert [(c.kind, c.other.id, c.speaker.id) for c in found] == [
        (ConflictKind.SPEAKER, panel.id, speaker.id)
    ]


def test_a_speaker_booked_at_another_event_at_that_time_conflicts(ctx):
    forum, symposium = make_event(starts_at=NINE), make_event(starts_at=NINE)
    speaker = make_speaker()
    link_speaker(make_session(forum, starts_at=NINE), speaker)

    found = find_conflicts(symposium, _slot(NINE, speakers=[speaker]))

    assert [c.kind for c in found] == [ConflictKind.SPEAKER]


def test_cancelled_sessions_never_conflict(ctx):
    event = make_event(starts_at=NINE)
    room = make_room(event)
    speaker = make_speaker()
    cancelled = make_session(event, room=room, starts_at=NINE, status=SessionStatus.CANCELLED)
    link_speaker(cancelled, speaker)

    assert find_conflicts(event, _slot(NINE, room=room, speakers=[speaker])) == []


def test_a_session_never_conflicts_with_itself(ctx):
    event = make_event(starts_at=NINE)
    room = make_room(event)
    speaker = make_speaker()
    session = make_session(event, room=room, starts_at=NINE)
    link_speaker(session, speaker)

    assert find_conflicts(event, slot_of(session)) == []


def test_outside_the_event_days_is_judged_in_the_event_zone(ctx):
    event = make_event(starts_at=NINE, ends_at=NINE + timedelta(hours=9))
    # 00:30 on 9 November in Seoul is still 8 November in UTC.
    after_midnight_seoul = datetime(2023, 11, 8, 15, 30, tzinfo=UTC)
    evening_seoul = datetime(2023, 11, 8, 11, 0, tzinfo=UTC)  # 20:00 in Seoul, same day

    found = find_conflicts(event, _slot(after_midnight_seoul))

    assert [c.kind for c in found] == [ConflictKind.OUTSIDE_EVENT]
    assert not is_outside_event(event, evening_seoul, evening_seoul + timedelta(hours=1))
    assert is_outside_event(event, NINE - timedelta(days=1), NINE - timedelta(days=1, hours=-1))


def test_agenda_conflicts_flags_both_sides_of_a_clash(ctx):
    event = make_event(starts_at=NINE)
    room = make_room(event)
    first = make_session(event, room=room, starts_at=NINE)
    second = make_session(event, room=room, starts_at=NINE + timedelta(minutes=15))
    alone = make_session(event, room=make_room(event), starts_at=NINE)

    found = agenda_conflicts(event)

    assert sorted(found) == sorted([first.id, second.id])
    assert alone.id not in found
    assert found[first.id][0].other.id == second.id


def test_agenda_conflicts_are_what_find_conflicts_finds_for_each_session(ctx):
    event, elsewhere = make_event(starts_at=NINE), make_event(starts_at=NINE)
    hall, side = make_room(event), make_room(event)
    shared, busy = make_speaker(), make_speaker()
    at = [NINE + timedelta(minutes=30 * n) for n in range(6)]
    opening = make_session(event, room=hall, starts_at=at[0], ends_at=at[2])
    clash = make_session(event, room=hall, starts_at=at[1], ends_at=at[3])
    panel = make_session(event, room=side, starts_at=at[1], ends_at=at[2])
    cancelled = make_session(event, room=hall, starts_at=at[0], ends_at=at[4])
    cancelled.status = SessionStatus.CANCELLED
    late = make_session(event, room=side, starts_at=NINE + timedelta(days=3))
    abroad = make_session(elsewhere, starts_at=at[1], ends_at=at[2])
    for session in (opening, panel, abroad, cancelled):
        link_speaker(session, shared)
    link_speaker(clash, busy)
    link_speaker(late, busy)

    expected = {}
    for session in (opening, clash, panel, late):
        found = find_conflicts(event, slot_of(session))
        if found:
            expected[session.id] = [(c.kind, c.other and c.other.id, c.speaker) for c in found]
    actual = {
        session_id: [(c.kind, c.other and c.other.id, c.speaker) for c in found]
        for session_id, found in agenda_conflicts(event).items()
    }

    assert actual == expected
    assert set(actual) == {opening.id, clash.id, panel.id, late.id}
