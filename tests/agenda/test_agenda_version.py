"""The agenda's version (the feeds' ETag and Last-Modified) follows every edit that shows
in the agenda, not only edits of the event and its sessions."""

from datetime import timedelta

import pytest

from eventapp.models import Event, Organization, Room, Speaker, Track, db
from eventapp.services.agenda import agenda_version
from eventapp.services.setup.events import (
    RoomData,
    TrackData,
    delete_track,
    update_room,
    update_track,
)
from eventapp.services.setup.speakers import (
    OrganizationData,
    SpeakerData,
    delete_organization,
    delete_speaker,
    update_organization,
    update_speaker,
)
from tests.factories import (
    link_speaker,
    make_event,
    make_organization,
    make_room,
    make_session,
    make_speaker,
    make_track,
)


@pytest.fixture
def agenda(ctx):
    event = make_event()
    organization = make_organization()
    speaker = make_speaker(organization_id=organization.id)
    room, track = make_room(event), make_track(event)
    link_speaker(make_session(event, room=room, track=track), speaker)
    # An earlier moment, so that a change in the same clock tick still shows.
    event.updated_at -= timedelta(minutes=1)
    db.session.commit()
    return event.id, organization.id, speaker.id, room.id, track.id


def _version(event_id: int):
    db.session.expire_all()
    return agenda_version(db.session.get(Event, event_id))


def _room(ids):
    return db.session.get(Room, ids[3])


def _track(ids):
    return db.session.get(Track, ids[4])


def _speaker(ids):
    return db.session.get(Speaker, ids[2])


def _organization(ids):
    return db.session.get(Organization, ids[1])


EDITS = {
    "rename room": lambda ids: update_room(_room(ids), RoomData("Grand Hall"), by=None),
    "rename track": lambda ids: update_track(_track(ids), TrackData("Launch"), by=None),
    "delete track": lambda ids: delete_track(_track(ids), by=None),
    "rename speaker": lambda ids: update_speaker(_speaker(ids), SpeakerData("Jiwoo"), by=None),
    "delete speaker": lambda ids: delete_speaker(_speaker(ids), by=None, photos_dir=None),
    "rename organization": lambda ids: update_organization(
        _organization(ids), OrganizationData("Korea AeroSpace Administration"), by=None
    ),
    "delete organization": lambda ids: delete_organization(_organization(ids), by=None),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_edit_that_shows_in_the_agenda_gives_a_new_version(agenda, edit):
    before = _version(agenda[0])

    EDITS[edit](agenda)

    after = _version(agenda[0])
    assert after.etag != before.etag
    assert after.last_modified > before.last_modified


def test_an_edit_elsewhere_leaves_the_version_alone(agenda):
    other = make_event()
    before = _version(agenda[0])

    update_room(make_room(other), RoomData("Elsewhere"), by=None)

    assert _version(agenda[0]).etag == before.etag
