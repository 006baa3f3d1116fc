"""Schedule exports: the event's public agenda mapped to the frab/c3voc builders' dataclasses.

Only published sessions of a published event appear; cancelled sessions are left out,
because neither frab XML nor the schedule JSON has a status field (apps drop a session
that disappears from a newer version). Guids are stable: the session's iCalendar `uid`,
the room's `guid`, and for speakers a UUIDv5 of their seed key.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import timedelta
from functools import cache
from importlib import metadata

from eventapp.builders.frab import (
    ScheduleEvent,
    SchedulePerson,
    ScheduleRoom,
    ScheduleSession,
    build_frab_xml,
    build_schedule_json,
)
from eventapp.models import AgendaSession, Event, Room, Speaker
from eventapp.names import has_hangul
from eventapp.services.agenda import AgendaVersion, agenda_version, published_sessions

#: Namespace of the speakers' schedule guids (uuid5 of "speaker:<key>"); never change it.
PERSON_NAMESPACE = uuid.UUID("6f0c3b8e-2d1a-4c55-9a3e-7b1f0e5d2c90")
#: Languages an export can be written in; the first is the default.
LANGUAGES = ("en", "ko")


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
    """ASCII slug from the acronym and id, so Hangul-only titles get one too.

    Lowercase, never starting with a digit (schedule apps use it in file names).
    """
    slug = f"{acronym}-{session_id}"
    return slug if slug[0].isalpha() else f"s{slug}"


def person_guid(speaker: Speaker) -> str:
    """A speaker's stable guid: derived from the seed key, never from the private email."""
    return str(uuid.uuid5(PERSON_NAMESPACE, f"speaker:{speaker.key}"))


def export_version(event: Event, language: str = "en") -> AgendaVersion:
    """The agenda's version, distinct per export language (the ETag of the export)."""
    version = agenda_version(event)
    if language == LANGUAGES[0]:
        return version
    return replace(version, etag=f"{version.etag}-{language}")


def schedule_for(
    event: Event, *, public_url: str, language: str = "en", version: AgendaVersion | None = None
) -> ScheduleEvent:
    """The event's public schedule as builder input, with content in `language`.

    Korean (`ko`) uses the `_ko` fields where filled and speakers' Hangul names.
    """
    version = version or export_version(event, language)
    public_url = public_url.rstrip("/")
    acronym = frab_acronym(event.acronym, event.slug)
    fallback_room = _fallback_room(event, language)
    persons: dict[int, SchedulePerson] = {}  # one per speaker, however many sessions
    sessions = tuple(
        _session(session, event, acronym, public_url, language, fallback_room, persons)
        for session in published_sessions(event)
        if not session.is_cancelled
    )
    used = {s.room.guid for s in sessions}
    rooms = [_room(room, language) for room in event.rooms if room.guid in used]
    if fallback_room.guid in used:
        rooms.append(fallback_room)
    zone = event.zone
    return ScheduleEvent(
        acronym=acronym,
        title=_text(event, "title", language),
        timezone=event.timezone,
        base_url=f"{public_url}/",
        url=f"{public_url}/e/{event.slug}/",
        version=f"{version.last_modified:%Y-%m-%d %H:%M} UTC ({version.etag[:8]})",
        starts_on=event.starts_at.astimezone(zone).date(),
        ends_on=(event.ends_at - timedelta(microseconds=1)).astimezone(zone).date(),
        sessions=sessions,
        rooms=tuple(rooms),
        generator_version=_package_version(),
    )


def build_xml(event: Event, *, public_url: str, language: str = "en") -> bytes:
    """The frab schedule XML of the event's public agenda."""
    return build_frab_xml(schedule_for(event, public_url=public_url, language=language))


def build_json(event: Event, *, public_url: str, language: str = "en") -> bytes:
    """The c3voc schedule JSON of the event's public agenda."""
    return build_schedule_json(schedule_for(event, public_url=public_url, language=language))


def _text(obj: object, name: str, language: str) -> str:
    if language == "ko":
        value = getattr(obj, f"{name}_ko", None)
        if value:
            return value
    return getattr(obj, name) or ""


def _person_name(speaker: Speaker, language: str) -> str:
    if language == "ko" and speaker.name_alt and has_hangul(speaker.name_alt):
        return speaker.name_alt
    return speaker.name


def _room(room: Room, language: str) -> ScheduleRoom:
    return ScheduleRoom(name=_text(room, "name", language), guid=room.guid, capacity=room.capacity)


def _fallback_room(event: Event, language: str) -> ScheduleRoom:
    """frab needs a room for every session: sessions without one go to the venue."""
    name = _text(event.venue, "name", language) if event.venue else _text(event, "title", language)
    guid = uuid.uuid5(PERSON_NAMESPACE, f"room:none:event:{event.id}")
    return ScheduleRoom(name=name, guid=str(guid))


def split_description(text: str) -> tuple[str, str]:
    """(abstract, description): the first paragraph, and the paragraphs after it.

    Schedule apps show the abstract and then the description; splitting instead of
    repeating keeps a one-paragraph text from appearing twice.
    """
    first, _, rest = text.strip().partition("\n\n")
    return first.strip(), rest.strip()


def _session(
    session: AgendaSession,
    event: Event,
    acronym: str,
    public_url: str,
    language: str,
    fallback_room: ScheduleRoom,
    known_persons: dict[int, SchedulePerson],
) -> ScheduleSession:
    abstract, description = split_description(_text(session, "description", language))
    persons = []
    for link in session.speaker_links:
        speaker = link.speaker
        if speaker.id not in known_persons:
            known_persons[speaker.id] = SchedulePerson(
                id=speaker.id, guid=person_guid(speaker), name=_person_name(speaker, language)
            )
        persons.append(known_persons[speaker.id])
    return ScheduleSession(
        id=session.id,
        guid=session.uid,
        slug=session_slug(acronym, session.id),
        url=f"{public_url}/e/{event.slug}/sessions/{session.id}",
        title=_text(session, "title", language),
        subtitle=_text(session, "subtitle", language),
        track=_text(session.track, "name", language) if session.track else "",
        type=session.kind.value,
        language=session.language,
        abstract=abstract,
        description=description,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        room=_room(session.room, language) if session.room else fallback_room,
        persons=tuple(persons),
    )


@cache
def _package_version() -> str:
    try:
        return metadata.version("eventapp")
    except metadata.PackageNotFoundError:  # running from a source tree without install
        return "0"
