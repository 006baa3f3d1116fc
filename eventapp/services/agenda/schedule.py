"""Schedule exports: the event's public agenda mapped to the frab/c3voc builders' dataclasses.

Only published sessions of a published event appear; cancelled sessions are left out,
because neither frab XML nor the schedule JSON has a status field (apps drop a session
that disappears from a newer version). Guids are stable: the session's iCalendar `uid`,
the room's `guid`, and for speakers a UUIDv5 of their seed key.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from functools import cache
from importlib import metadata
from typing import Any

from sqlalchemy import Row

from eventapp.builders.frab import (
    ScheduleEvent,
    SchedulePerson,
    ScheduleRoom,
    ScheduleSession,
    build_frab_xml,
    build_schedule_json,
)
from eventapp.languages import LANGUAGES, in_language, name_in
from eventapp.links import public_url
from eventapp.models import (
    AgendaSession,
    Event,
    Room,
    SessionSpeaker,
    SessionStatus,
    Speaker,
    db,
)
from eventapp.names import display_name
from eventapp.services.agenda import AgendaVersion, agenda_statement, agenda_version

#: Namespace of the speakers' schedule guids (uuid5 of "speaker:<key>"); never change it.
PERSON_NAMESPACE = uuid.UUID("6f0c3b8e-2d1a-4c55-9a3e-7b1f0e5d2c90")
#: Languages an export can be written in; the first is the default.


def frab_acronym(acronym: str, fallback: str) -> str:
    """An acronym the c3voc schema accepts: lowercase ASCII letters, digits and underscores.

    The JSON schema's pattern `^[a-z0-9_-][a-z0-9_]{3,}…` allows no hyphen after the first
    character, so "rokus-space-forum-2023" becomes "rokus_space_forum_2023".
    """
    text = re.sub(r"[^a-z0-9]+", "_", acronym.lower()).strip("_")
    if not text:
        text = re.sub(r"[^a-z0-9]+", "_", fallback.lower()).strip("_") or "event"
    return text.ljust(4, "_")


def session_slug(acronym: str, session_id: int) -> str:
    """The session's slug in schedule exports: `<acronym>-<id>-session`, ASCII and stable.

    The c3voc XSD asks for `[a-z0-9_]{4,}-[a-z0-9\\-_]{4,}` (and its older form
    `<acronym>-<id 1 to 6 digits>-<4 or more>`), unique in a schedule; conference apps and
    recording pipelines key files on it, so it is made of what never changes (not the
    title, which organizers edit and which may be Hangul only). Lowercase, starting with a
    letter.
    """
    slug = f"{acronym}-{session_id}-session"
    return slug if slug[0].isalpha() else f"s{slug}"


def person_guid(speaker_key: str) -> str:
    """A speaker's stable guid: derived from the seed key, never from the private email."""
    return str(uuid.uuid5(PERSON_NAMESPACE, f"speaker:{speaker_key}"))


def export_version(event: Event, language: str = "en") -> AgendaVersion:
    """The agenda's version, distinct per export language (the ETag of the export)."""
    version = agenda_version(event)
    if language == LANGUAGES[0]:
        return version
    return replace(version, etag=f"{version.etag}-{language}")


def schedule_for(
    event: Event, *, language: str = "en", version: AgendaVersion | None = None
) -> ScheduleEvent:
    """The event's public schedule as builder input, with content in `language`.

    Korean (`ko`) uses the `_ko` fields where filled and speakers' Hangul names.
    """
    version = version or export_version(event, language)
    acronym = frab_acronym(event.acronym, event.slug)
    rooms = {room.id: _room(room, language) for room in event.rooms}
    tracks = {track.id: in_language(track, "name", language) for track in event.tracks}
    fallback_room = _fallback_room(event, language)
    persons = _persons_by_session(event, language)

    def session(row: Row[Any]) -> ScheduleSession:
        abstract, description = split_description(in_language(row, "description", language))
        return ScheduleSession(
            id=row.id,
            guid=row.uid,
            slug=session_slug(acronym, row.id),
            url=public_url("public.session", slug=event.slug, session_id=row.id),
            title=in_language(row, "title", language),
            subtitle=in_language(row, "subtitle", language),
            track=tracks.get(row.track_id, ""),
            type=row.kind.value,
            language=row.language,
            abstract=abstract,
            description=description,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            room=rooms.get(row.room_id, fallback_room),
            persons=persons.get(row.id, ()),
        )

    sessions = tuple(session(row) for row in _session_rows(event))
    used = {s.room.guid for s in sessions}
    listed = [room for room in rooms.values() if room.guid in used]
    if fallback_room.guid in used:
        listed.append(fallback_room)
    zone = event.zone
    return ScheduleEvent(
        acronym=acronym,
        title=in_language(event, "title", language),
        timezone=event.timezone,
        base_url=public_url("public.index"),
        url=public_url("public.event", slug=event.slug),
        version=f"{version.last_modified:%Y-%m-%d %H:%M} UTC ({version.etag[:8]})",
        starts_on=event.starts_at.astimezone(zone).date(),
        ends_on=(event.ends_at - timedelta(microseconds=1)).astimezone(zone).date(),
        sessions=sessions,
        rooms=tuple(listed),
        generator_version=_package_version(),
    )


def build_xml(event: Event, *, language: str = "en", version: AgendaVersion | None = None) -> bytes:
    """The frab schedule XML of the event's public agenda."""
    return build_frab_xml(schedule_for(event, language=language, version=version))


def build_json(
    event: Event, *, language: str = "en", version: AgendaVersion | None = None
) -> bytes:
    """The c3voc schedule JSON of the event's public agenda."""
    return build_schedule_json(schedule_for(event, language=language, version=version))


def split_description(text: str) -> tuple[str, str]:
    """(abstract, description): the first paragraph, and the paragraphs after it.

    Schedule apps show the abstract and then the description; splitting instead of
    repeating keeps a one-paragraph text from appearing twice.
    """
    first, _, rest = text.strip().partition("\n\n")
    return first.strip(), rest.strip()


#: What an export reads of a session. Plain rows, not ORM objects: for 1,000 sessions this
#: loads about six times faster, and the export needs no identity map.
_SESSION_COLUMNS = (
    AgendaSession.id,
    AgendaSession.uid,
    AgendaSession.title,
    AgendaSession.title_ko,
    AgendaSession.subtitle,
    AgendaSession.subtitle_ko,
    AgendaSession.description,
    AgendaSession.description_ko,
    AgendaSession.kind,
    AgendaSession.language,
    AgendaSession.room_id,
    AgendaSession.track_id,
    AgendaSession.starts_at,
    AgendaSession.ends_at,
)


def _session_rows(event: Event) -> Sequence[Any]:  # a Row of the columns below
    """Published, not cancelled sessions in time order (the publication rule stays in
    `agenda_statement`; its eager-load options do not apply to a column select)."""
    statement = (
        agenda_statement(event.id)
        .with_only_columns(*_SESSION_COLUMNS)
        .where(AgendaSession.status != SessionStatus.CANCELLED)
    )
    return db.session.execute(statement).all()


def _persons_by_session(event: Event, language: str) -> dict[int, tuple[SchedulePerson, ...]]:
    """Each session's speakers in their order, one `SchedulePerson` per speaker."""
    statement = (
        db.select(
            SessionSpeaker.session_id,
            Speaker.id,
            Speaker.key,
            Speaker.given_name,
            Speaker.family_name,
            Speaker.name_order,
            Speaker.name_alt,
        )
        .join(Speaker, SessionSpeaker.speaker_id == Speaker.id)
        .join(AgendaSession, SessionSpeaker.session_id == AgendaSession.id)
        .where(AgendaSession.event_id == event.id)
        .order_by(SessionSpeaker.session_id, SessionSpeaker.position, Speaker.id)
    )
    people: dict[int, SchedulePerson] = {}
    by_session: dict[int, list[SchedulePerson]] = {}
    for row in db.session.execute(statement):
        if row.id not in people:
            people[row.id] = SchedulePerson(
                id=row.id, guid=person_guid(row.key), name=_person_name(row, language)
            )
        by_session.setdefault(row.session_id, []).append(people[row.id])
    return {session_id: tuple(found) for session_id, found in by_session.items()}


def _person_name(row: Row[Any], language: str) -> str:
    name = display_name(row.given_name, row.family_name, row.name_order)
    return name_in(name, row.name_alt, language)


def _room(room: Room, language: str) -> ScheduleRoom:
    return ScheduleRoom(
        name=in_language(room, "name", language), guid=room.guid, capacity=room.capacity
    )


def _fallback_room(event: Event, language: str) -> ScheduleRoom:
    """frab needs a room for every session: sessions without one go to the venue."""
    name = (
        in_language(event.venue, "name", language)
        if event.venue
        else in_language(event, "title", language)
    )
    guid = uuid.uuid5(PERSON_NAMESPACE, f"room:none:event:{event.id}")
    return ScheduleRoom(name=name, guid=str(guid))


@cache
def _package_version() -> str:
    try:
        return metadata.version("eventapp")
    except metadata.PackageNotFoundError:  # running from a source tree without install
        return "0"
