"""iCalendar (RFC 5545) feeds and iTIP invitations (RFC 5546): plain data in, bytes out.

Pure: no Flask, no database. The calendar service maps models to `CalendarEntry` values;
this module only writes them. The `icalendar` library does the escaping, CRLF line ends
and the folding at 75 octets (it folds between characters, never inside a UTF-8 sequence);
`add_missing_timezones` writes a VTIMEZONE (with its STANDARD part) for every TZID used.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

PRODID = "-//eventapp//Symposium calendar 1.0//EN"

#: Separates the session's own description from the lines we generate (other-language
#: title, speakers, link) so that an import of our own export can tell them apart.
DETAILS_MARK = "———"
#: The title in the other language; clients ignore X- properties, our importer reads it.
ALT_SUMMARY = "X-EVENTAPP-ALT-SUMMARY"

STATUSES = ("CONFIRMED", "TENTATIVE", "CANCELLED")
METHODS = ("PUBLISH", "REQUEST", "CANCEL")

# RFC 5545 §3.3.11: TEXT may hold any character except CONTROL (other than HTAB); line
# breaks are written as "\n". Surrogates cannot be encoded in UTF-8 at all.
_KEEP_CONTROLS = {"\t", "\n"}


@dataclass(frozen=True, slots=True)
class Person:
    """A calendar user address (ORGANIZER or ATTENDEE) and the name shown for it."""

    email: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One VEVENT: a session, or the event itself in an attendee's calendar."""

    uid: str
    #: SEQUENCE: the session's revision; clients keep the highest they have seen.
    sequence: int
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    summary: str
    #: Language of `summary` and `description` (LANGUAGE parameter), e.g. "en" or "ko".
    language: str = "en"
    description: str = ""
    #: Generated lines after `DETAILS_MARK`: other-language title, speakers, link back.
    details: tuple[str, ...] = ()
    alt_summary: str = ""
    alt_language: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"
    categories: tuple[str, ...] = ()
    created_at: datetime | None = None
    last_modified: datetime | None = None
    #: Minutes before the start for a display reminder; None for no VALARM.
    alarm_minutes: int | None = 15


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """Calendar-level properties of a subscribable feed."""

    name: str
    timezone: str
    description: str = ""
    #: How often subscribed clients should poll (REFRESH-INTERVAL, X-PUBLISHED-TTL).
    refresh: timedelta = field(default=timedelta(hours=1))
    organizer: Person | None = None


def clean_text(text: str) -> str:
    """The text as iCalendar can carry it: CR/CRLF become LF, other controls are dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch for ch in text if ch in _KEEP_CONTROLS or unicodedata.category(ch) not in {"Cc", "Cs"}
    )


def compose_description(body: str, details: Sequence[str]) -> str:
    """DESCRIPTION: the session's text, then our generated lines below `DETAILS_MARK`."""
    body = clean_text(body).strip("\n")
    lines = [clean_text(line) for line in details if line]
    if not lines:
        return body
    tail = "\n".join([DETAILS_MARK, *lines])
    return f"{body}\n\n{tail}" if body else tail


def build_feed(entries: Iterable[CalendarEntry], *, info: FeedInfo, stamp: datetime) -> bytes:
    """A subscribable calendar (METHOD:PUBLISH) with X-WR-CALNAME and a refresh interval."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", clean_text(info.name))
    calendar.add("name", clean_text(info.name))
    if info.description:
        calendar.add("x-wr-caldesc", clean_text(info.description))
    calendar.add("x-wr-timezone", info.timezone)
    calendar.add("refresh-interval", info.refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(info.refresh))
    zone = ZoneInfo(info.timezone)
    span: list[datetime] = []
    for entry in entries:
        calendar.add_component(_vevent(entry, zone, stamp, organizer=info.organizer))
        span += [entry.starts_at, entry.ends_at]
    _add_timezones(calendar, span)
    return calendar.to_ical()


def build_invitation(
    entry: CalendarEntry,
    *,
    method: str,
    organizer: Person,
    attendee: Person,
    timezone: str,
    stamp: datetime,
) -> bytes:
    """An iTIP message for one attendee: METHOD:REQUEST (new or updated) or CANCEL.

    RFC 5546 §3.2.2/§3.2.5: every component of one message has the same UID, so a
    message carries exactly one entry. The attendee is ACCEPTED with RSVP=FALSE: they
    accepted by registering, and replies would reach no one who processes them.
    A CANCEL carries STATUS:CANCELLED and no VALARM.
    """
    if method not in {"REQUEST", "CANCEL"}:
        raise ValueError(f"not an invitation method: {method!r}")
    if method == "CANCEL":
        entry = _replace_status(entry, "CANCELLED")
    calendar = _calendar(method)
    event = _vevent(entry, ZoneInfo(timezone), stamp, organizer=organizer)
    event.add(
        "attendee",
        _address(attendee),
        parameters={
            "CUTYPE": "INDIVIDUAL",
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "ACCEPTED",
            "RSVP": "FALSE",
            **({"CN": clean_text(attendee.name)} if attendee.name else {}),
        },
    )
    calendar.add_component(event)
    _add_timezones(calendar, [entry.starts_at, entry.ends_at])
    return calendar.to_ical()


def _calendar(method: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _vevent(
    entry: CalendarEntry, zone: ZoneInfo, stamp: datetime, *, organizer: Person | None
) -> icalendar.Event:
    if entry.status not in STATUSES:
        raise ValueError(f"unknown STATUS {entry.status!r}")
    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("sequence", entry.sequence)
    event.add("dtstart", entry.starts_at.astimezone(zone))
    event.add("dtend", entry.ends_at.astimezone(zone))
    event.add("summary", clean_text(entry.summary), parameters={"LANGUAGE": entry.language})
    description = compose_description(entry.description, entry.details)
    if description:
        event.add("description", description, parameters={"LANGUAGE": entry.language})
    if entry.alt_summary:
        event.add(
            ALT_SUMMARY, clean_text(entry.alt_summary), parameters={"LANGUAGE": entry.alt_language}
        )
    if entry.location:
        event.add("location", clean_text(entry.location))
    if entry.url:
        event.add("url", entry.url)
    event.add("status", entry.status)
    if entry.categories:
        event.add("categories", [clean_text(c) for c in entry.categories])
    event.add("transp", "TRANSPARENT" if entry.status == "CANCELLED" else "OPAQUE")
    if entry.created_at:
        event.add("created", entry.created_at.astimezone(UTC))
    if entry.last_modified:
        event.add("last-modified", entry.last_modified.astimezone(UTC))
    if organizer is not None:
        params = {"CN": clean_text(organizer.name)} if organizer.name else {}
        event.add("organizer", _address(organizer), parameters=params)
    if entry.alarm_minutes is not None and entry.status != "CANCELLED":
        event.add_component(_alarm(entry))
    return event


def _alarm(entry: CalendarEntry) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(minutes=-(entry.alarm_minutes or 0)))
    alarm.add("description", clean_text(entry.summary))
    return alarm


def _address(person: Person) -> icalendar.vCalAddress:
    return icalendar.vCalAddress(f"mailto:{person.email}")


def _add_timezones(calendar: icalendar.Calendar, span: Sequence[datetime]) -> None:
    """VTIMEZONEs covering only the days in use (pretalx does the same), a day either side."""
    if not span:
        return
    first: date = min(span).astimezone(UTC).date() - timedelta(days=1)
    last: date = max(span).astimezone(UTC).date() + timedelta(days=1)
    calendar.add_missing_timezones(first_date=first, last_date=last)


def _replace_status(entry: CalendarEntry, status: str) -> CalendarEntry:
    return replace(entry, status=status)
