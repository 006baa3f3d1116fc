"""Writing a checked seed document: create what is missing; keep, or with `reset` restore, the rest.

Rows are found again by stable identities: organizations, speakers and venues by `key`, events
by `slug`, sessions by `uid` and rooms by `guid` (both derived from the event slug and the key
in the file), tracks by that key, else rooms and tracks by name within their event. An
existing row keeps its values, so organizers' edits survive a re-seed; `reset` makes it match
the file. The caller commits.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy.orm import InstrumentedAttribute

from eventapp.models import (
    AgendaSession,
    Event,
    EventHost,
    Organization,
    Room,
    SessionSpeaker,
    Speaker,
    Track,
    Venue,
    db,
)
from eventapp.names import default_order
from eventapp.services.calendar import EVENT_SEQUENCE_FIELDS, SESSION_SEQUENCE_FIELDS
from eventapp.services.seeding.checks import Document, Table
from eventapp.services.setup.venues import PLACE_FIELDS, events_at

#: Never change: session UIDs (iCalendar UID, frab guid) and room guids derive from it, and
#: calendar clients match updates to the entries they hold by UID.
SEED_NAMESPACE = uuid.UUID("a4c998d4-39eb-4e76-beb0-23d25ee6242c")

_EVENT_FIELDS = ("acronym", "title", "title_ko", "summary", "summary_ko", "timezone", "starts_at",
                 "ends_at", "registration_opens_at", "registration_closes_at", "capacity",
                 "show_seats_left", "contact_email", "privacy_controller", "privacy_controller_ko",
                 "retention_days", "is_published")  # fmt: skip
_SESSION_FIELDS = ("title", "title_ko", "subtitle", "subtitle_ko", "description",
                   "description_ko", "kind", "status", "language", "starts_at", "ends_at",
                   "capacity", "is_published")  # fmt: skip

Row = TypeVar("Row")


def session_uid(event_slug: str, session_key: str) -> str:
    """The stable UID of the session `session_key` of event `event_slug`."""
    return str(uuid.uuid5(SEED_NAMESPACE, f"{event_slug}/{session_key}"))


def room_guid(event_slug: str, room_key: str) -> str:
    """The stable guid of the room `room_key` of event `event_slug` (frab room guid)."""
    return str(uuid.uuid5(SEED_NAMESPACE, f"{event_slug}/rooms/{room_key}"))


@dataclass
class SeedSummary:
    """What a load did, per kind of row ("events", "sessions", "speakers"…)."""

    source: str
    #: How many events and sessions the file describes.
    events: int = 0
    sessions: int = 0
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    #: Rows left unchanged although they differ from the file (edited since; reset restores).
    kept: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class _Links:
    """Link rows from a parent to targets, with a role, in order: event hosts, session speakers."""

    collection: str
    target: str
    model: type
    wanted: Sequence[tuple[Any, StrEnum]]

    def differ(self, parent: Any) -> bool:
        have = {getattr(link, self.target): (link.role, link.position) for link in self._of(parent)}
        return have != {target: (role, i) for i, (target, role) in enumerate(self.wanted)}

    def write(self, parent: Any) -> None:
        links = self._of(parent)
        stale = {getattr(link, self.target): link for link in links}
        for position, (target, role) in enumerate(self.wanted):
            link = stale.pop(target, None)
            if link is None:
                links.append(self.model(**{self.target: target}, role=role, position=position))
            else:
                link.role, link.position = role, position
        for link in stale.values():
            links.remove(link)  # delete-orphan: the row goes

    def _of(self, parent: Any) -> list[Any]:
        return getattr(parent, self.collection)


class _Writer:
    def __init__(self, summary: SeedSummary, *, reset: bool) -> None:
        self.summary = summary
        self.reset = reset

    def put(
        self, kind: str, row: Row | None, model: type[Row], values: dict[str, Any],
        links: _Links | None = None,
    ) -> Row:  # fmt: skip
        """Create the row, or count an existing one and, with `reset`, make it match `values`."""
        if row is None:
            row = model(**values)
            db.session.add(row)
            if links is not None:
                links.write(row)
            self.summary.created[kind] += 1
            return row
        changed = {name for name, value in values.items() if getattr(row, name) != value}
        if links is not None and links.differ(row):
            changed.add(links.collection)
        if not changed:
            self.summary.unchanged[kind] += 1
        elif not self.reset:
            self.summary.unchanged[kind] += 1
            self.summary.kept[kind] += 1
        else:
            for name in changed & values.keys():
                setattr(row, name, values[name])
            if links is not None:
                links.write(row)
            if isinstance(row, AgendaSession) and changed & SESSION_SEQUENCE_FIELDS:
                row.revision += 1
            if isinstance(row, Event) and changed & EVENT_SEQUENCE_FIELDS:
                row.revision += 1
            if isinstance(row, Venue) and changed & PLACE_FIELDS:
                # Its name and address are its events' LOCATION: they moved.
                for event in events_at(row):
                    event.revision += 1
            self.summary.updated[kind] += 1
        return row

    def keyed(
        self, kind: str, model: type[Row], column: InstrumentedAttribute[str], tables: list[Table]
    ) -> dict[str, Row]:
        """Put each table as a row of `model` found by `column` (its key); return them by key."""
        existing = _existing(model, column, [table[column.key] for table in tables])
        return {
            table[column.key]: self.put(kind, existing.get(table[column.key]), model, table)
            for table in tables
        }


def write(document: Document, *, reset: bool, summary: SeedSummary) -> None:
    """Add the document's rows to the session (flushing as needed); the caller commits."""
    writer = _Writer(summary, reset=reset)
    venues = writer.keyed("venues", Venue, Venue.key, document.venues)
    organizations = writer.keyed(
        "organizations", Organization, Organization.key, document.organizations
    )
    speaker_tables = [
        table
        | {
            "organization": organizations.get(table["organization"]),
            "name_order": table["name_order"] or default_order(table["name_alt"], table["country"]),
        }
        for table in document.speakers
    ]
    speakers = writer.keyed("speakers", Speaker, Speaker.key, speaker_tables)
    existing = _existing(Event, Event.slug, [table["slug"] for table in document.events])
    for position, table in enumerate(document.events):
        slug = table["slug"]
        values = {name: table[name] for name in _EVENT_FIELDS} | {
            "position": position if table["position"] is None else table["position"],
            "venue": venues.get(table["venue"]),
        }
        hosts = [(organizations[host["organization"]], host["role"]) for host in table["hosts"]]
        event = existing.get(slug)
        if event is None:
            values["slug"] = slug
        links = _Links("hosts", "organization", EventHost, hosts)
        event = writer.put("events", event, Event, values, links)
        _write_agenda(writer, event, table, speakers)


def _write_agenda(
    writer: _Writer, event: Event, table: Table, speakers: dict[str, Speaker]
) -> None:
    slug = table["slug"]
    # A room is found by the guid seeding gave it, else (say, it was added by hand) by name.
    by_guid = {row.guid: row for row in event.rooms}
    claimed = {room["key"]: by_guid.get(room_guid(slug, room["key"])) for room in table["rooms"]}
    free = [row for row in event.rooms if row not in claimed.values()]
    rooms: dict[str, Room] = {}
    for position, room in enumerate(table["rooms"]):
        guid = room_guid(slug, room["key"])
        found = claimed[room["key"]] or _first(free, name=room["name"])
        if found in free:
            free.remove(found)
        values = {"name": room["name"], "name_ko": room["name_ko"], "capacity": room["capacity"],
                  "position": position}  # fmt: skip
        if found is None:
            values |= {"event": event, "guid": guid}
        rooms[room["key"]] = writer.put("rooms", found, Room, values)
    # A track is found by its key from the file, else (made by hand, or seeded before
    # tracks kept their key) by name among the tracks no other key of the file claims.
    by_key = {row.key: row for row in event.tracks if row.key}
    by_track = {track["key"]: by_key.get(track["key"]) for track in table["tracks"]}
    unclaimed = [row for row in event.tracks if row not in by_track.values()]
    tracks: dict[str, Track] = {}
    for position, track in enumerate(table["tracks"]):
        known = by_track[track["key"]] or _first(unclaimed, name=track["name"])
        if known in unclaimed:
            unclaimed.remove(known)
        values = {"name": track["name"], "name_ko": track["name_ko"], "color": track["color"],
                  "position": position}  # fmt: skip
        if known is None:
            values |= {"event": event, "key": track["key"]}
        else:
            known.key = track["key"]  # its identity from now on, not an edit to keep or undo
        tracks[track["key"]] = writer.put("tracks", known, Track, values)
    uids = {session["key"]: session_uid(slug, session["key"]) for session in table["sessions"]}
    existing = _existing(AgendaSession, AgendaSession.uid, list(uids.values()))
    for session in table["sessions"]:
        values = {name: session[name] for name in _SESSION_FIELDS} | {
            "room": rooms.get(session["room"]),
            "track": tracks.get(session["track"]),
        }
        found = existing.get(uids[session["key"]])
        if found is None:
            values |= {"event": event, "uid": uids[session["key"]]}
        wanted = [(speakers[link["speaker"]], link["role"]) for link in session["speakers"]]
        links = _Links("speaker_links", "speaker", SessionSpeaker, wanted)
        writer.put("sessions", found, AgendaSession, values, links)


def _existing(model: type[Row], column: InstrumentedAttribute[str], keys: list[str]) -> dict:
    """Rows of `model` whose `column` is one of `keys`, by that value (one query)."""
    if not keys:
        return {}
    rows = db.session.scalars(db.select(model).where(column.in_(keys))).all()
    return {getattr(row, column.key): row for row in rows}


def _first(rows: Iterable[Row], **match: Any) -> Row | None:
    return next((row for row in rows if all(getattr(row, k) == v for k, v in match.items())), None)
