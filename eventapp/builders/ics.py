"""iCalendar (RFC 5545) feeds and iTIP invitations (RFC 5546): plain data in, bytes out.

Pure: no Flask, no database. The calendar service maps models to `CalendarEntry` values;
this module writes them: TEXT escaping, CRLF line ends, folding at 75 octets between UTF-8
sequences, and a VTIMEZONE (with its STANDARD part, written by `icalendar`) for the TZID.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
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
_HEAD = ("BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN")

# RFC 5545 §3.3.11: TEXT may hold any character but CONTROL (Unicode category Cc) other
# than HTAB and LF (written as "\\n"); surrogates (Cs) cannot be encoded in UTF-8 at all.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Person:
    """A calendar user address (ORGANIZER or ATTENDEE) and the name shown for it."""

    email: str
    name: str = ""
    #: SENT-BY (RFC 5545 §3.2.18): the address that sends on the organizer's behalf, when
    #: the mail comes from another address than the organizer's. Gmail and Outlook treat
    #: an invitation whose organizer did not send it, with no SENT-BY, as suspect.
    sent_by: str = ""


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
    refresh: timedelta = timedelta(hours=1)
    organizer: Person | None = None


def clean_text(text: str) -> str:
    """The text as iCalendar can carry it: CR/CRLF become LF, other controls are dropped."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


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
    zone = ZoneInfo(info.timezone)
    name = clean_text(info.name)
    lines = [*_HEAD, "METHOD:PUBLISH"]
    lines += [_line("NAME", _text(name)), _line("X-WR-CALNAME", _text(name))]
    if info.description:
        lines.append(_line("X-WR-CALDESC", _text(clean_text(info.description))))
    lines += [
        _line("X-WR-TIMEZONE", _text(info.timezone)),
        _line("REFRESH-INTERVAL", _duration(info.refresh), VALUE="DURATION"),
        _line("X-PUBLISHED-TTL", _duration(info.refresh)),
    ]
    events: list[str] = []
    first = last = None
    stamp_line, people = f"DTSTAMP:{_utc(stamp)}", _people(info.organizer)
    for entry in entries:
        events += _vevent(entry, zone, stamp_line, people)
        first = min(first or entry.starts_at, entry.starts_at)
        last = max(last or entry.ends_at, entry.ends_at)
    if first is not None and last is not None:
        lines += _vtimezone(info.timezone, first, last)
    return _serialize([*lines, *events, "END:VCALENDAR"])


def build_invitation(
    entry: CalendarEntry,
    *,
    method: str,
    organizer: Person,
    attendee: Person,
    timezone: str,
    stamp: datetime,
    others: Sequence[Person] = (),
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
        entry = replace(entry, status="CANCELLED")
    people = _people(organizer, attendee)
    for other in others:  # further ATTENDEEs, e.g. the other side of a partnering meeting
        people += _people(None, other)
    event = _vevent(entry, ZoneInfo(timezone), f"DTSTAMP:{_utc(stamp)}", people)
    lines = [
        *_HEAD,
        f"METHOD:{method}",
        *_vtimezone(timezone, entry.starts_at, entry.ends_at),
        *event,
        "END:VCALENDAR",
    ]
    return _serialize(lines)


# --- Writing content lines (RFC 5545 §3.1-§3.3) ----------------------------------------
# Written by hand rather than through icalendar's object model: for a 1,000-session agenda
# that model is about 15 times slower than plain string building. icalendar still writes
# the VTIMEZONEs and reads everything back in the tests (with vobject as a second parser).

_PARAM_SPECIALS = re.compile("[:;,]")
_TEXT_SPECIALS = re.compile(r"[\\;,\n]")


def _people(organizer: Person | None, attendee: Person | None = None) -> list[str]:
    """ORGANIZER (and ATTENDEE) lines, the same for every entry of one calendar."""
    lines = []
    if organizer is not None:
        name = clean_text(organizer.name) if organizer.name else None
        # sentbyparam = "SENT-BY" "=" DQUOTE cal-address DQUOTE: always quoted.
        sent_by = f';SENT-BY="{_mailto(Person(organizer.sent_by))}"' if organizer.sent_by else ""
        lines.append(_line("ORGANIZER" + sent_by, _mailto(organizer), CN=name))
    if attendee is not None:
        name = clean_text(attendee.name) if attendee.name else ""
        params = {"CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "ACCEPTED"}
        lines.append(_line("ATTENDEE", _mailto(attendee), **params, RSVP="FALSE", CN=name))
    return lines


def _vevent(entry: CalendarEntry, zone: ZoneInfo, stamp: str, people: list[str]) -> list[str]:
    if entry.status not in STATUSES:
        raise ValueError(f"unknown STATUS {entry.status!r}")
    summary = _text(clean_text(entry.summary))
    tzid = f";TZID={_param(zone.key)}:"
    lines = [
        "BEGIN:VEVENT",
        _line("UID", _text(entry.uid)),
        stamp,
        f"SEQUENCE:{int(entry.sequence)}",
        "DTSTART" + tzid + _local(entry.starts_at, zone),
        "DTEND" + tzid + _local(entry.ends_at, zone),
        _line("SUMMARY", summary, LANGUAGE=entry.language),
    ]
    description = compose_description(entry.description, entry.details)
    if description:
        lines.append(_line("DESCRIPTION", _text(description), LANGUAGE=entry.language))
    if entry.alt_summary:
        alt = _text(clean_text(entry.alt_summary))
        lines.append(_line(ALT_SUMMARY, alt, LANGUAGE=entry.alt_language or None))
    if entry.location:
        lines.append(_line("LOCATION", _text(clean_text(entry.location))))
    if entry.url:
        lines.append(_line("URL", _CONTROLS.sub("", entry.url).replace("\n", "")))
    lines.append(f"STATUS:{entry.status}")
    if entry.categories:
        lines.append(_line("CATEGORIES", ",".join(_text(clean_text(c)) for c in entry.categories)))
    lines.append("TRANSP:TRANSPARENT" if entry.status == "CANCELLED" else "TRANSP:OPAQUE")
    if entry.created_at:
        lines.append(f"CREATED:{_utc(entry.created_at)}")
    if entry.last_modified:
        lines.append(f"LAST-MODIFIED:{_utc(entry.last_modified)}")
    lines += people
    if entry.alarm_minutes is not None and entry.status != "CANCELLED":
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            _line("TRIGGER", _duration(-timedelta(minutes=entry.alarm_minutes))),
            _line("DESCRIPTION", summary),
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def _text(value: str) -> str:
    """TEXT escaping (§3.3.11): backslash, semicolon, comma, and line breaks as \\n."""
    if not _TEXT_SPECIALS.search(value):
        return value
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _param(value: str) -> str:
    """A parameter value (§3.2): DQUOTE is not allowed inside, quote when : ; , appear."""
    value = value.replace('"', "'").replace("\n", " ")
    return f'"{value}"' if _PARAM_SPECIALS.search(value) else value


def _line(name: str, value: str, **params: str | None) -> str:
    head = name + "".join(f";{k}={_param(v)}" for k, v in params.items() if v)
    return f"{head}:{value}"


def _mailto(person: Person) -> str:
    return "mailto:" + _CONTROLS.sub("", person.email).replace("\n", "").strip()


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%Y%m%dT%H%M%S")


def _duration(value: timedelta) -> str:
    days, seconds = divmod(int(abs(value).total_seconds()), 86400)
    parts = zip((seconds // 3600, seconds // 60 % 60, seconds % 60), "HMS", strict=True)
    clock = "".join(f"{n}{u}" for n, u in parts if n)
    text = (f"{days}D" if days else "") + (f"T{clock}" if clock else "")
    return ("-" if value < timedelta(0) else "") + f"P{text or 'T0S'}"


def _fold(line: str) -> bytes:
    """Fold at 75 octets (§3.1), never inside a UTF-8 sequence (cut before a byte
    10xxxxxx, which continues a character)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data
    parts = []
    limit = 75
    while len(data) > limit:
        cut = limit
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
        limit = 74  # a continuation line starts with a space
    parts.append(data)
    return b"\r\n ".join(parts)


def _serialize(lines: list[str]) -> bytes:
    return b"\r\n".join([_fold(line) for line in lines]) + b"\r\n"


def _vtimezone(tzid: str, first: datetime, last: datetime) -> list[str]:
    """The zone's VTIMEZONE (with its STANDARD part) for the days in use, a day either side
    (pretalx does the same), written by icalendar from the IANA data."""
    first_day = first.astimezone(UTC).date() - timedelta(days=1)
    last_day = last.astimezone(UTC).date() + timedelta(days=1)
    return list(_vtimezone_for_days(tzid, first_day, last_day))


@functools.lru_cache(maxsize=256)
def _vtimezone_for_days(tzid: str, first_day: date, last_day: date) -> tuple[str, ...]:
    # icalendar scans the span for offset changes ("please cache the results", it says);
    # the answer depends only on the arguments and the installed tz database.
    timezone = icalendar.Timezone.from_tzid(tzid, first_date=first_day, last_date=last_day)
    # Unfolded into logical lines; `_serialize` folds every line the same way.
    text = timezone.to_ical().decode("utf-8").replace("\r\n ", "")
    return tuple(text.rstrip("\r\n").split("\r\n"))
