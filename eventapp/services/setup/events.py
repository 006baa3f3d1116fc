"""Events, their rooms and tracks: create, change, delete. Each public service commits once."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from zoneinfo import available_timezones

from sqlalchemy import func, update

from eventapp.errors import DomainError, DuplicateName, InvalidInput
from eventapp.models import (
    Account,
    AdmissionMode,
    AgendaSession,
    Event,
    Registration,
    RegistrationStatus,
    Room,
    Track,
    Venue,
    db,
    utcnow,
)
from eventapp.services.accounts import record, teams
from eventapp.services.agenda import mark_agendas_changed
from eventapp.services.calendar import EVENT_SEQUENCE_FIELDS
from eventapp.services.calendar.invitations import queue_event_update
from eventapp.services.locks import lock_event
from eventapp.services.registration import waitlist
from eventapp.services.setup.keys import KEY_RULE, apply_changes, commit_unique, is_key

COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
#: The longest retention an organizer can promise in the privacy notice (ten years).
MAX_RETENTION_DAYS = 3650
#: Event fields whose change moves the event in attendees' calendars: its revision (the
#: SEQUENCE of its own VEVENT) goes up and confirmed registrants get an update.


@dataclass(frozen=True, slots=True)
class EventData:
    """What an organizer can set on an event. Datetimes are aware."""

    slug: str
    acronym: str
    title: str
    title_ko: str | None
    summary: str | None
    summary_ko: str | None
    timezone: str
    starts_at: datetime
    ends_at: datetime
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    capacity: int | None = None
    show_seats_left: bool = False
    admission_mode: AdmissionMode = AdmissionMode.OPEN
    contact_email: str | None = None
    privacy_controller: str | None = None
    privacy_controller_ko: str | None = None
    retention_days: int | None = None
    is_published: bool = False
    venue_id: int | None = None


@dataclass(frozen=True, slots=True)
class RoomData:
    name: str
    name_ko: str | None = None
    capacity: int | None = None
    position: int = 0


@dataclass(frozen=True, slots=True)
class TrackData:
    name: str
    name_ko: str | None = None
    color: str | None = None
    position: int = 0


def venues() -> list[Venue]:
    """Every venue, by name (for the event form)."""
    return list(db.session.scalars(db.select(Venue).order_by(Venue.name)))


def events_statement() -> Any:
    """Every event, soonest first (published or not)."""
    return db.select(Event).order_by(Event.starts_at, Event.position, Event.id)


def _check_event(data: EventData, *, event_id: int | None) -> None:
    if not is_key(data.slug):
        raise InvalidInput(f"use {KEY_RULE}", field="slug")
    if data.timezone not in available_timezones():
        raise InvalidInput(f"unknown time zone {data.timezone!r}", field="timezone")
    if data.ends_at <= data.starts_at:
        raise InvalidInput("the event must end after it starts", field="ends_at")
    opens, closes = data.registration_opens_at, data.registration_closes_at
    if opens and closes and closes <= opens:
        raise InvalidInput("registration must close after it opens", field="registration_closes_at")
    if data.capacity is not None and data.capacity < 0:
        raise InvalidInput("capacity cannot be negative", field="capacity")
    if data.retention_days is not None and not 0 <= data.retention_days <= MAX_RETENTION_DAYS:
        raise InvalidInput(
            f"keep the data between 0 and {MAX_RETENTION_DAYS} days", field="retention_days"
        )
    if data.venue_id is not None and not _lock_venue(data.venue_id):
        raise InvalidInput("choose an existing venue", field="venue_id")
    taken = db.session.scalar(
        db.select(Event.id).where(Event.slug == data.slug, Event.id != (event_id or 0))
    )
    if taken is not None:
        raise DuplicateName(f"another event already uses {data.slug!r}", field="slug")


def _lock_venue(venue_id: int) -> bool:
    """Whether the venue exists, holding it until the commit (a share lock on its key, as
    the event's foreign key takes): `venues.delete_venue`, which locks the row first,
    then either sees this event or is seen to have deleted the venue."""
    found = db.session.execute(
        db.select(Venue.id).where(Venue.id == venue_id).with_for_update(key_share=True, read=True)
    )
    return found.first() is not None


def create_event(data: EventData, *, by: Account | None) -> Event:
    """Create an event. Raises InvalidInput or DuplicateName (slug)."""
    _check_event(data, event_id=None)
    event = Event(**asdict(data))
    db.session.add(event)
    db.session.flush()
    record(by, "event.create", event, {"slug": data.slug})
    teams.join_new_event(event, by=by)
    commit_unique("slug", "that name is already taken")
    return event


def update_event(
    event: Event, data: EventData, *, by: Account | None, now: datetime | None = None
) -> Event:
    """Change an event's fields. Raises InvalidInput or DuplicateName (slug).

    A change of time, zone or venue raises the event's revision and, for a published
    event, queues its updated invitation to every confirmed registrant, in the same
    transaction (as `scheduling.change_session` does for a session).
    """
    _check_event(data, event_id=event.id)
    try:
        # Lock the row and read its current state: two organizers moving one event at once
        # get consecutive revisions, never one SEQUENCE for two different contents. Only
        # the event's row: PostgreSQL cannot lock the venue loaded with it by an outer join.
        lock_event(event)
        changed = apply_changes(event, asdict(data))
        if "venue_id" in changed:
            # A venue loaded already is not replaced by the new key: load it again.
            db.session.expire(event, ["venue"])
        if changed:
            record(by, "event.update", event, changed)
        if EVENT_SEQUENCE_FIELDS & changed.keys():
            announce_change(event, now=now)
        if "capacity" in changed:  # a capacity raised promotes the waiting list at once
            waitlist.promote_waiting(event, now or utcnow())
    except Exception:
        db.session.rollback()  # nothing half-done, and the row lock is released
        raise
    commit_unique("slug", "that name is already taken")
    return event


def announce_change(event: Event, *, now: datetime | None = None) -> None:
    """The event's time, zone or place changed (its row locked by the caller): raise its
    revision and, when it is published, queue its updated invitation to every confirmed
    registrant, in the caller's transaction."""
    event.revision += 1
    if event.is_published:
        for registration in confirmed_registrations(event):
            queue_event_update(registration, now=now)


def confirmed_registrations(event: Event) -> Sequence[Registration]:
    """Confirmed registrations of the event (their calendars hold its invitation)."""
    return db.session.scalars(
        db.select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .order_by(Registration.id)
    ).all()


@dataclass(frozen=True, slots=True)
class EventFootprint:
    """What deleting an event would take with it (shown on the confirmation page)."""

    sessions: int
    registrations: int


def event_footprint(event: Event) -> EventFootprint:
    """Count what hangs off the event."""
    sessions = db.session.scalar(
        db.select(func.count(AgendaSession.id)).where(AgendaSession.event_id == event.id)
    )
    registrations = db.session.scalar(
        db.select(func.count(Registration.id)).where(Registration.event_id == event.id)
    )
    return EventFootprint(sessions=sessions or 0, registrations=registrations or 0)


def delete_event(event: Event, *, by: Account | None) -> None:
    """Delete an event with its agenda, rooms, tracks, registrations and scans."""
    # Registrations, their sign-ups, scans and attendance go by ON DELETE CASCADE.
    record(by, "event.delete", event, {"slug": event.slug, "title": event.title})
    db.session.delete(event)
    db.session.commit()


def _check_unique_name(model: Any, event: Event, name: str, own_id: int | None) -> None:
    if not name.strip():
        raise InvalidInput("a name is required", field="name")
    clash = db.session.scalar(
        db.select(model.id).where(
            model.event_id == event.id, model.name == name, model.id != (own_id or 0)
        )
    )
    if clash is not None:
        raise DuplicateName(f"this event already has {name!r}", field="name")


def _check_room(data: RoomData) -> None:
    if data.capacity is not None and data.capacity < 0:
        raise InvalidInput("capacity cannot be negative", field="capacity")


def create_room(event: Event, data: RoomData, *, by: Account | None) -> Room:
    """Add a room to an event. Raises InvalidInput or DuplicateName."""
    _check_room(data)
    _check_unique_name(Room, event, data.name, None)
    room = Room(event=event, **asdict(data))
    db.session.add(room)
    db.session.flush()
    record(by, "room.create", room, {"event": event.slug, "name": data.name})
    commit_unique("name", "that name is already taken")
    return room


def update_room(room: Room, data: RoomData, *, by: Account | None) -> Room:
    """Rename or resize a room. Raises InvalidInput or DuplicateName."""
    _check_room(data)
    _check_unique_name(Room, room.event, data.name, room.id)
    changed = apply_changes(room, asdict(data))
    if changed:
        record(by, "room.update", room, changed)
        mark_agendas_changed([room.event_id])
    commit_unique("name", "that name is already taken")
    return room


def delete_room(room: Room, *, by: Account | None) -> None:
    """Delete an unused room. Raises DomainError while sessions are scheduled in it.

    Moving those sessions is a change of place that attendees must hear about, so it goes
    through the agenda editor, one session at a time.
    """
    used = db.session.scalar(
        db.select(func.count(AgendaSession.id)).where(AgendaSession.room_id == room.id)
    )
    if used:
        raise DomainError(f"{used} session(s) still take place in this room; move them first")
    record(by, "room.delete", room, {"name": room.name})
    db.session.delete(room)
    db.session.commit()


def _check_track(data: TrackData) -> None:
    if data.color and not COLOR_PATTERN.match(data.color):
        raise InvalidInput("write the colour as #rrggbb", field="color")


def create_track(event: Event, data: TrackData, *, by: Account | None) -> Track:
    """Add a track to an event. Raises InvalidInput or DuplicateName."""
    _check_track(data)
    _check_unique_name(Track, event, data.name, None)
    track = Track(event=event, **asdict(data))
    db.session.add(track)
    db.session.flush()
    record(by, "track.create", track, {"event": event.slug, "name": data.name})
    commit_unique("name", "that name is already taken")
    return track


def update_track(track: Track, data: TrackData, *, by: Account | None) -> Track:
    """Rename or recolour a track. Raises InvalidInput or DuplicateName."""
    _check_track(data)
    _check_unique_name(Track, track.event, data.name, track.id)
    changed = apply_changes(track, asdict(data))
    if changed:
        record(by, "track.update", track, changed)
        mark_agendas_changed([track.event_id])
    commit_unique("name", "that name is already taken")
    return track


def delete_track(track: Track, *, by: Account | None) -> None:
    """Delete a track; its sessions stay, without a track (no invitation update: the track
    is only a category; the feeds change)."""
    db.session.execute(
        update(AgendaSession).where(AgendaSession.track_id == track.id).values(track_id=None)
    )
    mark_agendas_changed([track.event_id])
    record(by, "track.delete", track, {"name": track.name})
    db.session.delete(track)
    db.session.commit()
