from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from eventapp.errors import DomainError, DuplicateName, InvalidInput
from eventapp.models import AgendaSession, AuditEntry, Event, Registration, Track, db
from eventapp.services.setup import events
from tests.factories import (
    make_account,
    make_event,
    make_registration,
    make_room,
    make_session,
    make_track,
)

START = datetime(2023, 11, 8, 0, 0, tzinfo=UTC)


def _data(**overrides):
    values = {
        "slug": "space-forum-2023",
        "acronym": "rokus-space-forum-2023",
        "title": "ROK-U.S. Space Forum",
        "title_ko": "한미 우주포럼",
        "summary": None,
        "summary_ko": None,
        "timezone": "Asia/Seoul",
        "starts_at": START,
        "ends_at": START + timedelta(hours=9),
    }
    return events.EventData(**(values | overrides))


def test_create_event_stores_it_and_audits_who_did_it(ctx):
    organizer = make_account()

    event = events.create_event(_data(), by=organizer)

    stored = db.session.get(Event, event.id)
    assert stored.title_ko == "한미 우주포럼"
    assert stored.starts_at == START
    entry = db.session.scalars(db.select(AuditEntry)).one()
    assert (entry.action, entry.account_id, entry.target) == (
        "event.create",
        organizer.id,
        f"events:{event.id}",
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slug": "Space Forum!"}, "slug"),
        ({"slug": "-leading"}, "slug"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"ends_at": START}, "ends_at"),
        ({"ends_at": START - timedelta(hours=1)}, "ends_at"),
        ({"capacity": -1}, "capacity"),
        (
            {"registration_opens_at": START, "registration_closes_at": START - timedelta(days=1)},
            "registration_closes_at",
        ),
    ],
)
def test_create_event_refuses_invalid_input_naming_the_field(ctx, overrides, field):
    with pytest.raises(InvalidInput) as caught:
        events.create_event(_data(**overrides), by=None)

    assert caught.value.details["field"] == field
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0


def test_create_event_refuses_a_slug_in_use(ctx):
    make_event(slug="space-forum-2023")

    with pytest.raises(DuplicateName) as caught:
        events.create_event(_data(), by=None)

    assert caught.value.details["field"] == "slug"


def test_update_event_records_only_changed_fields(ctx):
    event = events.create_event(_data(), by=None)

    events.update_event(event, replace(_data(), title="Space Forum", capacity=200), by=None)

    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "event.update")
    ).one()
    assert entry.details == {"title": "Space Forum", "capacity": 200}
    assert db.session.get(Event, event.id).capacity == 200


def test_update_event_may_keep_its_own_slug(ctx):
    event = events.create_event(_data(), by=None)

    events.update_event(event, _data(title="Renamed"), by=None)

    assert event.title == "Renamed"


def test_delete_event_takes_agenda_and_registrations_with_it(ctx):
    event = make_event()
    make_session(event, room=make_room(event))
    make_registration(event)
    other = make_event()
    make_registration(other)

    events.delete_event(event, by=None)

    assert db.session.get(Event, event.id) is None
    assert db.session.scalar(db.select(db.func.count(AgendaSession.id))) == 0
    remaining = db.session.scalars(db.select(Registration.event_id)).all()
    assert remaining == [other.id]


def test_room_names_are_unique_within_an_event_only(ctx):
    first, second = make_event(), make_event()
    events.create_room(first, events.RoomData(name="Grand Ballroom"), by=None)

    events.create_room(second, events.RoomData(name="Grand Ballroom"), by=None)
    with pytest.raises(DuplicateName):
        events.create_room(first, events.RoomData(name="Grand Ballroom"), by=None)


def test_delete_room_refuses_while_sessions_use_it(ctx):
    event = make_event()
    room = make_room(event)
    make_session(event, room=room)

    with pytest.raises(DomainError):
        events.delete_room(room, by=None)

    assert room in db.session


def test_delete_track_keeps_its_sessions_without_a_track(ctx):
    event = make_event()
    track = make_track(event)
    session = make_session(event, track=track)

    events.delete_track(track, by=None)

    db.session.expire_all()
    assert db.session.get(AgendaSession, session.id).track_id is None
    assert db.session.get(Track, track.id) is None


def test_track_colour_must_be_hex(ctx):
    event = make_event()

    with pytest.raises(InvalidInput) as caught:
        events.create_track(event, events.TrackData(name="Policy", color="red"), by=None)

    assert caught.value.details["field"] == "color"
