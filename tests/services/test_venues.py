"""Venues: the back office creates, changes and deletes them; a new name or address moves
the events held there (revision up, updated invitations to their confirmed registrants)."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email.policy import default

import icalendar
import pytest

from eventapp.errors import DuplicateName, InvalidInput, VenueInUse
from eventapp.models import AuditEntry, OutboxMessage, RegistrationStatus, Venue, db
from eventapp.services import venues
from eventapp.services.venues import VenueData
from tests.factories import make_event, make_registration, make_venue

NOW = datetime(2023, 11, 2, 8, 0, tzinfo=UTC)


def data_of(venue: Venue, **changes: object) -> VenueData:
    values = {name: getattr(venue, name) for name in VenueData.__slots__} | changes
    return VenueData(**values)


def updates() -> list[tuple[str, icalendar.Event]]:
    """(recipient, VEVENT) of every queued message with a calendar, in order."""
    found = []
    for message in db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)):
        parsed = email.message_from_string(message.raw, policy=default)
        for part in parsed.walk():
            if part.get_content_type() == "text/calendar":
                calendar = icalendar.Calendar.from_ical(part.get_content())
                found.append((message.to_address, calendar.walk("VEVENT")[0]))
    return found


def test_a_new_venue_gets_a_key_from_its_name_and_is_audited(ctx):
    venue = venues.create_venue(
        VenueData(name="COEX Convention Center", name_ko="코엑스", city="Seoul", country="KR"),
        by=None,
    )
    assert venue.key.startswith("coex-convention-center-")
    assert venue.name_ko == "코엑스"
    assert db.session.scalar(db.select(AuditEntry.action).order_by(AuditEntry.id.desc())) == (
        "venue.create"
    )


def test_a_taken_key_or_an_empty_name_is_refused_and_nothing_is_written(ctx):
    make_venue(key="coex")
    with pytest.raises(DuplicateName):
        venues.create_venue(VenueData(name="COEX", key="coex"), by=None)
    with pytest.raises(InvalidInput):
        venues.create_venue(VenueData(name="  "), by=None)
    with pytest.raises(InvalidInput):
        venues.create_venue(VenueData(name="Somewhere", country="Korea"), by=None)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Venue.id))) == 1


def test_a_new_address_moves_the_events_held_there(ctx):
    venue = make_venue(name="Conrad Seoul", address="10 Gukjegeumyung-ro")
    published = make_event(venue=venue, is_published=True)
    draft = make_event(venue=venue, is_published=False)
    elsewhere = make_event(venue=make_venue(), is_published=True)
    confirmed = make_registration(published)
    make_registration(published, status=RegistrationStatus.WAITLISTED)
    make_registration(elsewhere)

    venues.update_venue(venue, data_of(venue, address="30 Eulji-ro, Jung-gu"), by=None, now=NOW)

    assert (published.revision, draft.revision, elsewhere.revision) == (1, 1, 0)
    [(to, vevent)] = updates()  # the confirmed registrant of the published event only
    assert to == confirmed.email
    assert str(vevent["location"]) == "Conrad Seoul, 30 Eulji-ro, Jung-gu"
    assert vevent.decoded("sequence") == 1


def test_a_new_key_alone_moves_nothing(ctx):
    venue = make_venue(key="conrad")
    event = make_event(venue=venue, is_published=True)
    make_registration(event)

    venues.update_venue(venue, data_of(venue, key="conrad-seoul"), by=None, now=NOW)

    assert venue.key == "conrad-seoul"
    assert event.revision == 0
    assert updates() == []


def test_a_venue_in_use_is_not_deleted_and_says_where_it_is_used(ctx):
    venue = make_venue()
    event = make_event(venue=venue)

    with pytest.raises(VenueInUse) as refused:
        venues.delete_venue(venue, by=None)

    db.session.rollback()
    assert refused.value.details["events"] == [event.slug]
    assert db.session.get(Venue, venue.id) is not None


def test_an_unused_venue_is_deleted(ctx):
    venue_id = make_venue().id

    venues.delete_venue(db.session.get(Venue, venue_id), by=None)

    assert db.session.get(Venue, venue_id) is None
    assert venues.event_counts([venue_id]) == {}
