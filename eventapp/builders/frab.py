"""Schedule exports for conference apps: frab schedule XML and the c3voc schedule JSON.

Pure: frozen dataclasses in, UTF-8 bytes out; no Flask, no database. The service
(`eventapp.services.agenda.schedule`) maps models to these dataclasses.

Element order follows the c3voc `schedule.xml.xsd`, whose `<event>` and `<conference>` are
ordered sequences: generator, version, conference (acronym, title, start, end, days,
timeslot_duration, base_url, time_zone_name), then day → room → event (date, start,
duration, room, slug, url, title, subtitle, track, type, language, abstract, description,
persons, links, attachments). The optional `<recording>` and `<logo>` are left out: we know
neither a licence nor an image. The JSON follows the c3voc `schedule.json` schema (v1).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

#: Where schedule apps and validators find the schema of the JSON export.
JSON_SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
#: Layout grid hint for schedule apps (frab `timeslot_duration`).
TIMESLOT_MINUTES = 5

# XML 1.0 forbids most C0 control characters even as references: drop them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class SchedulePerson:
    """A speaker as schedule apps list them."""

    id: int
    guid: str
    name: str


@dataclass(frozen=True, slots=True)
class ScheduleLink:
    """A link or an attachment: an absolute URL and its title."""

    url: str
    title: str


@dataclass(frozen=True, slots=True)
class ScheduleRoom:
    """A room with its stable guid."""

    name: str
    guid: str
    capacity: int | None = None


@dataclass(frozen=True, slots=True)
class ScheduleSession:
    """One session (a frab "event"); times are aware (written in the event's zone)."""

    id: int
    guid: str
    slug: str
    url: str
    title: str
    subtitle: str
    track: str
    type: str
    language: str
    abstract: str
    description: str
    starts_at: datetime
    ends_at: datetime
    room: ScheduleRoom
    persons: tuple[SchedulePerson, ...] = ()
    links: tuple[ScheduleLink, ...] = ()
    attachments: tuple[ScheduleLink, ...] = ()


@dataclass(frozen=True, slots=True)
class ScheduleEvent:
    """The conference and its sessions, ready to export."""

    acronym: str
    title: str
    timezone: str
    base_url: str
    url: str
    version: str
    #: First and last local date of the event.
    starts_on: date
    ends_on: date
    sessions: tuple[ScheduleSession, ...]
    rooms: tuple[ScheduleRoom, ...]
    generator_version: str = "0"
    generator_name: str = "eventapp"


@dataclass(frozen=True, slots=True)
class ScheduleDay:
    """One local calendar day: its sessions grouped by room, in room order."""

    index: int
    date: date
    starts_at: datetime
    ends_at: datetime
    rooms: tuple[tuple[ScheduleRoom, tuple[ScheduleSession, ...]], ...] = field(default=())


def schedule_days(event: ScheduleEvent) -> list[ScheduleDay]:
    """Group sessions by the local date they start on (a session after midnight stays whole).

    Every date from the event's first to its last day is listed, plus any date a session
    falls on outside that range. A day's start and end are its first session's start and
    its last session's end; a day without sessions spans its local midnight to 23:59.
    """
    zone = ZoneInfo(event.timezone)
    by_date: dict[date, list[ScheduleSession]] = {}
    for session in sorted(event.sessions, key=lambda s: (s.starts_at, s.id)):
        by_date.setdefault(session.starts_at.astimezone(zone).date(), []).append(session)
    first = min([event.starts_on, *by_date])
    last = max([event.ends_on, *by_date])
    room_order = {room.guid: position for position, room in enumerate(event.rooms)}
    days = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        sessions = by_date.get(day, [])
        if sessions:
            starts_at = min(s.starts_at for s in sessions).astimezone(zone)
            ends_at = max(s.ends_at for s in sessions).astimezone(zone)
        else:
            starts_at = datetime.combine(day, datetime.min.time(), zone)
            ends_at = starts_at + timedelta(hours=23, minutes=59)
        ordered = sorted(
            sessions,
            key=lambda s: (room_order.get(s.room.guid, len(room_order)), s.room.guid, s.starts_at),
        )
        rooms = tuple(
            (group[0].room, tuple(group))
            for group in (list(g) for _, g in groupby(ordered, key=lambda s: s.room.guid))
        )
        days.append(ScheduleDay(offset + 1, day, starts_at, ends_at, rooms))
    return days


def duration_text(start: datetime, end: datetime) -> str:
    """Duration as frab writes it: HH:MM (hours may pass 24)."""
    minutes = int((end - start).total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _clean(text: str | None) -> str:
    return _XML_ILLEGAL.sub("", text or "")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def _xml_session(parent: ET.Element, session: ScheduleSession, zone: ZoneInfo) -> None:
    local_start = session.starts_at.astimezone(zone)
    element = _sub(parent, "event", guid=session.guid, id=str(session.id))
    _sub(element, "date", local_start.isoformat())
    _sub(element, "start", local_start.strftime("%H:%M"))
    _sub(element, "duration", duration_text(session.starts_at, session.ends_at))
    _sub(element, "room", session.room.name)
    _sub(element, "slug", session.slug)
    _sub(element, "url", session.url)
    _sub(element, "title", session.title)
    _sub(element, "subtitle", session.subtitle)
    _sub(element, "track", session.track)
    _sub(element, "type", session.type)
    _sub(element, "language", session.language)
    _sub(element, "abstract", session.abstract)
    _sub(element, "description", session.description)
    persons = _sub(element, "persons")
    for person in session.persons:
        _sub(persons, "person", person.name, id=str(person.id), guid=person.guid)
    links = _sub(element, "links")
    for link in session.links:
        _sub(links, "link", link.title, href=link.url)
    attachments = _sub(element, "attachments")
    for attachment in session.attachments:
        _sub(attachments, "attachment", attachment.title, href=attachment.url)


def build_frab_xml(event: ScheduleEvent) -> bytes:
    """The frab schedule XML (c3voc `schedule.xml.xsd`), UTF-8, no numeric references."""
    zone = ZoneInfo(event.timezone)
    days = schedule_days(event)
    root = ET.Element("schedule")
    _sub(root, "generator", name=event.generator_name, version=event.generator_version)
    _sub(root, "version", event.version)
    conference = _sub(root, "conference")
    _sub(conference, "acronym", event.acronym)
    _sub(conference, "title", event.title)
    _sub(conference, "start", days[0].date.isoformat())
    _sub(conference, "end", days[-1].date.isoformat())
    _sub(conference, "days", str(len(days)))
    _sub(conference, "timeslot_duration", f"00:{TIMESLOT_MINUTES:02d}")
    _sub(conference, "base_url", event.base_url)
    _sub(conference, "time_zone_name", event.timezone)
    for day in days:
        day_element = _sub(
            root,
            "day",
            index=str(day.index),
            date=day.date.isoformat(),
            start=day.starts_at.isoformat(),
            end=day.ends_at.isoformat(),
        )
        for room, sessions in day.rooms:
            room_element = _sub(day_element, "room", name=room.name, guid=room.guid)
            for session in sessions:
                _xml_session(room_element, session, zone)
    ET.indent(root, space="  ")
    # encoding="utf-8" writes every non-ASCII character as itself (Hangul stays Hangul).
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _json_session(session: ScheduleSession, zone: ZoneInfo) -> dict[str, object]:
    local_start = session.starts_at.astimezone(zone)
    return {
        "id": session.id,
        "guid": session.guid,
        "date": local_start.isoformat(),
        "start": local_start.strftime("%H:%M"),
        "duration": duration_text(session.starts_at, session.ends_at),
        "room": session.room.name,
        "slug": session.slug,
        "url": session.url,
        "title": session.title,
        "subtitle": session.subtitle,
        "track": session.track,
        "type": session.type,
        "language": session.language,
        "abstract": session.abstract,
        "description": session.description,
        # `public_name` + `id` only: the schema's Person is oneOf(FrabPerson, PretalxPerson),
        # and adding `name` would match both and fail.
        "persons": [{"id": p.id, "guid": p.guid, "public_name": p.name} for p in session.persons],
        "links": [{"url": link.url, "title": link.title} for link in session.links],
        "attachments": [{"url": a.url, "title": a.title} for a in session.attachments],
    }


def build_schedule_json(event: ScheduleEvent) -> bytes:
    """The c3voc schedule JSON of the same content as `build_frab_xml`, UTF-8."""
    zone = ZoneInfo(event.timezone)
    days = schedule_days(event)
    document = {
        "$schema": JSON_SCHEMA_URL,
        "schedule": {
            "version": event.version,
            "base_url": event.base_url,
            "conference": {
                "acronym": event.acronym,
                "title": event.title,
                "start": days[0].date.isoformat(),
                "end": days[-1].date.isoformat(),
                "daysCount": len(days),
                "timeslot_duration": f"00:{TIMESLOT_MINUTES:02d}",
                "time_zone_name": event.timezone,
                "url": event.url,
                "rooms": [
                    {"name": room.name, "guid": room.guid, "capacity": room.capacity}
                    for room in event.rooms
                ],
                "days": [
                    {
                        "index": day.index,
                        "date": day.date.isoformat(),
                        "day_start": day.starts_at.isoformat(),
                        "day_end": day.ends_at.isoformat(),
                        "rooms": {
                            room.name: [_json_session(s, zone) for s in sessions]
                            for room, sessions in day.rooms
                        },
                    }
                    for day in days
                ],
            },
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
