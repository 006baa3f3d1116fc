"""Venues: the back office creates, changes and deletes them; a new name or address moves
the events held there (revision up, updated invitations to their confirmed registrants)."""

from __future__ import annotations

import email
import threading
from datetime import UTC, datetime
from email.policy import default

import icalendar
import pytest

from eventapp.errors import DuplicateName, InvalidInput, VenueInUse
from eventapp.models import AuditEntry, Event, OutboxMessage, RegistrationStatus, Venue, db
from eventapp.services.setup import events, venues
from eventapp.services.setup.venues import VenueData
from tests.factories import make_event, make_registration, make_venue
from tests.setup.test_event_revision import data_of as data_of_event

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


def _run_in_thread(app, action) -> tuple[threading.Thread, threading.Event, dict]:
    """Run `action()` in its own app context and thread; its result or error in the dict."""
    done, outcome = threading.Event(), {}

    def work() -> None:
        with app.app_context():
            try:
                outcome["result"] = action()
            except Exception as error:  # handed to the test
                outcome["error"] = error
            finally:
                db.session.remove()
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    return worker, done, outcome


@pytest.mark.postgres
def test_deleting_waits_for_an_event_being_given_the_venue_and_then_refuses(app):
    with app.app_context():
        event = make_event()
        venue_id, event_id, slug = make_venue().id, event.id, event.slug
    with app.app_context(), db.engine.connect() as connection:
        table = Event.__table__
        # An organizer's transaction gives the event this venue and has not committed yet.
        connection.execute(table.update().where(table.c.id == event_id).values(venue_id=venue_id))
        worker, done, outcome = _run_in_thread(
            app, lambda: venues.delete_venue(db.session.get(Venue, venue_id), by=None)
        )
        assert not done.wait(0.5)  # the delete waits for that transaction
        connection.commit()
    worker.join(10)

    assert isinstance(outcome.get("error"), VenueInUse), outcome
    assert outcome["error"].details["events"] == [slug]
    with app.app_context():
        assert db.session.get(Event, event_id).venue_id == venue_id
        assert db.session.get(Venue, venue_id) is not None


@pytest.mark.postgres
def test_an_event_given_a_venue_being_deleted_is_told_the_venue_is_gone(app):
    with app.app_context():
        venue_id = make_venue().id
        event = make_event()
        event_id, data = event.id, data_of_event(event, venue_id=venue_id)
    with app.app_context(), db.engine.connect() as connection:
        table = Venue.__table__
        # Another organizer's transaction is deleting the venue and has not committed yet.
        connection.execute(db.select(table.c.id).where(table.c.id == venue_id).with_for_update())
        connection.execute(table.delete().where(table.c.id == venue_id))
        worker, done, outcome = _run_in_thread(
            app, lambda: events.update_event(db.session.get(Event, event_id), data, by=None)
        )
        assert not done.wait(0.5)  # the event's change waits for the delete
        connection.commit()
    worker.join(10)

    error = outcome.get("error")
    assert isinstance(error, InvalidInput), outcome
    assert error.details["field"] == "venue_id"
    with app.app_context():
        assert db.session.get(Event, event_id).venue_id is None


@pytest.mark.postgres
def test_moving_a_venue_and_an_event_there_at_once_do_not_deadlock(app):
    with app.app_context():
        venue = make_venue()
        event = make_event(venue=venue)
        venue_id, event_id, data = venue.id, event.id, data_of(venue, address="1 New Road")
    with app.app_context(), db.engine.connect() as connection:
        # An organizer changing the event has checked its venue (`events.update_event`
        # holds a key share on it) and is about to lock the event's row.
        table = Venue.__table__
        connection.execute(
            db.select(table.c.id)
            .where(table.c.id == venue_id)
            .with_for_update(key_share=True, read=True)
        )
        worker, done, outcome = _run_in_thread(
            app, lambda: venues.update_venue(db.session.get(Venue, venue_id), data, by=None)
        )
        assert not done.wait(0.5)  # the venue's change waits, holding no event's row
        events_table = Event.__table__
        connection.execute(db.text("SET LOCAL lock_timeout = '3s'"))
        connection.execute(
            db.select(events_table.c.id).where(events_table.c.id == event_id).with_for_update()
        )
        connection.commit()
    worker.join(10)

    assert "error" not in outcome, outcome
    with app.app_context():
        assert db.session.get(Event, event_id).revision == 1
