"""Venues: list, create, change, delete.

A venue's name and address are the LOCATION of its events' calendar entries, so changing
them is moving those events: each one's revision goes up and, when it is published, its
confirmed registrants are sent the updated invitation (`events.announce_change`), in the
same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import Select, func

from eventapp.errors import InvalidInput, VenueInUse
from eventapp.models import Account, Event, Venue, db
from eventapp.services.accounts import record
from eventapp.services.setup.events import announce_change
from eventapp.services.setup.keys import commit_unique, create_keyed, keyed_changes


@dataclass(frozen=True, slots=True)
class VenueData:
    name: str
    key: str = ""
    name_ko: str | None = None
    address: str | None = None
    address_ko: str | None = None
    city: str | None = None
    #: ISO 3166-1 alpha-2 code.
    country: str | None = None


#: Everything but the key shows where the events are: changing it moves them.
PLACE_FIELDS = frozenset(f.name for f in fields(VenueData)) - {"key"}


def venues_statement() -> Select:
    """Venues by name."""
    return db.select(Venue).order_by(func.lower(Venue.name), Venue.id)


def event_counts(venue_ids: Sequence[int]) -> dict[int, int]:
    """How many events each of these venues holds (absent: none)."""
    rows = db.session.execute(
        db.select(Event.venue_id, func.count(Event.id))
        .where(Event.venue_id.in_(venue_ids))
        .group_by(Event.venue_id)
    )
    return {venue_id: count for venue_id, count in rows}


def events_at(venue: Venue) -> Sequence[Event]:
    """The events held at the venue, by start."""
    return db.session.scalars(
        db.select(Event).where(Event.venue_id == venue.id).order_by(Event.starts_at, Event.id)
    ).all()


def create_venue(data: VenueData, *, by: Account | None) -> Venue:
    """Add a venue. Raises InvalidInput or DuplicateName (key)."""
    _check(data)
    return create_keyed(Venue, data, name=data.name, action="venue.create", by=by)


def update_venue(
    venue: Venue, data: VenueData, *, by: Account | None, now: datetime | None = None
) -> Venue:
    """Change a venue. A new name or address moves its events (see the module's text).
    Raises InvalidInput or DuplicateName (key)."""
    _check(data)
    try:
        # The venue's row, then its events' rows in id order (as every service locking
        # events does), so an organizer moving one of them at the same time waits and
        # revisions stay in order. Venue before event, as `events.update_event` takes them.
        db.session.refresh(venue, with_for_update=True)
        held = db.session.scalars(
            db.select(Event)
            .where(Event.venue_id == venue.id)
            .order_by(Event.id)
            .with_for_update(of=Event)
        ).all()
        changed = keyed_changes(venue, data)
        if changed:
            record(by, "venue.update", venue, changed)
        if PLACE_FIELDS & changed.keys():
            for event in held:
                announce_change(event, now=now)
    except Exception:
        db.session.rollback()
        raise
    commit_unique()
    return venue


def delete_venue(venue: Venue, *, by: Account | None) -> None:
    """Delete a venue no event is held at. Raises VenueInUse naming those events.

    The venue's row is locked before the events are looked up: an event being given this
    venue at the same moment (`events.update_event` locks the venue to check it exists)
    either commits first and is found here, or waits and then finds the venue gone.
    Without the lock that event would lose its venue (the key is SET NULL on delete).
    """
    try:
        db.session.refresh(venue, with_for_update=True)
        held = events_at(venue)
        if held:
            raise VenueInUse(
                "events are held there: give them another venue first",
                events=[event.slug for event in held],
            )
        record(by, "venue.delete", venue, {"key": venue.key})
        db.session.delete(venue)
    except Exception:
        db.session.rollback()  # the lock is released
        raise
    db.session.commit()


def _check(data: VenueData) -> None:
    if not data.name.strip():
        raise InvalidInput("a name is required", field="name")
    if data.country is not None and not (len(data.country) == 2 and data.country.isalpha()):
        raise InvalidInput("choose a country from the list", field="country")
