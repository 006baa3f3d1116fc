"""Read calendars exported by Google, Outlook, Apple (and by us) into plain values.

Pure: bytes in, `ImportedEvent` values out; no Flask, no database. `icalendar` parses
and resolves TZIDs, including Windows names such as "Korea Standard Time" (its CLDR
windowsZones table) and custom VTIMEZONE definitions; `recurring-ical-events` expands
RRULE/RDATE series within a window, drops EXDATEs and applies RECURRENCE-ID overrides;
`x-wr-timezone` reads Google's and Apple's X-WR-TIMEZONE as the zone of floating times.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import x_wr_timezone

from eventapp.builders.ics import ALT_SUMMARY, DETAILS_MARK, clean_text

MAX_EVENTS = 5000


class CalendarFileError(ValueError):
    """The file is not a calendar we can read; the message says why, for people."""


@dataclass(frozen=True, slots=True)
class ImportedEvent:
    """One occurrence read from a calendar file, times aware in UTC."""

    uid: str
    #: For an occurrence of a recurring series: which one (its original start, UTC).
    recurrence_id: datetime | None
    summary: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool = False
    language: str = ""
    alt_summary: str = ""
    alt_language: str = ""
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"
    categories: tuple[str, ...] = ()
    sequence: int = 0


@dataclass(frozen=True, slots=True)
class ParsedCalendar:
    """The occurrences inside the window, and what was left out and why."""

    events: tuple[ImportedEvent, ...]
    skipped: tuple[str, ...]


def parse_calendar(
    data: bytes, *, zone: ZoneInfo, window: tuple[datetime, datetime]
) -> ParsedCalendar:
    """Every event occurrence between `window` (aware datetimes), all-day and floating
    times read in `zone`. Raises CalendarFileError for anything that is not a valid
    calendar, naming the problem (and the event) so the organizer can fix the file."""
    calendar = _read(data)
    series = _recurring_uids(calendar)
    try:
        occurrences = list(recurring_ical_events.of(calendar).between(*window))
    except Exception as error:  # the library raises many types for broken rules/dates
        raise CalendarFileError(f"the calendar's dates cannot be read: {error}") from error
    if len(occurrences) > MAX_EVENTS:
        raise CalendarFileError(f"more than {MAX_EVENTS} events in the event's dates")
    events: list[ImportedEvent] = []
    skipped: list[str] = []
    for component in occurrences:
        uid = str(component.get("uid", "")).strip()
        summary = clean_text(str(component.get("summary", ""))).strip()
        label = summary or uid
        starts_at, ends_at, all_day = _times(component, zone)
        if ends_at <= starts_at:
            skipped.append(f"{label}: it ends when it starts")
            continue
        recurrence_id = None
        if uid in series and component.get("recurrence-id") is not None:
            recurrence_id = _utc(component.decoded("recurrence-id"), zone)
        events.append(
            ImportedEvent(
                uid=uid,
                recurrence_id=recurrence_id,
                summary=summary,
                starts_at=starts_at,
                ends_at=ends_at,
                all_day=all_day,
                language=_language(component.get("summary")),
                alt_summary=clean_text(str(component.get(ALT_SUMMARY, ""))).strip(),
                alt_language=_language(component.get(ALT_SUMMARY)),
                description=_body(str(component.get("description", ""))),
                location=clean_text(str(component.get("location", ""))).strip(),
                url=str(component.get("url", "")).strip(),
                status=str(component.get("status", "CONFIRMED")).upper(),
                categories=_categories(component),
                sequence=_sequence(component),
            )
        )
    events.sort(key=lambda e: (e.starts_at, e.uid))
    return ParsedCalendar(events=tuple(events), skipped=tuple(skipped))


def _read(data: bytes) -> icalendar.Calendar:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CalendarFileError("the file is not UTF-8 text") from error
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise CalendarFileError("the file does not start with BEGIN:VCALENDAR")
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise CalendarFileError(f"the file is not a valid calendar: {error}") from error
    if isinstance(calendar, list):  # several VCALENDARs in one file
        raise CalendarFileError("the file holds more than one calendar")
    try:
        # Google and Apple name the calendar's zone in X-WR-TIMEZONE; floating and UTC
        # times are meant in it (recurring-ical-events' own companion library).
        calendar = x_wr_timezone.to_standard(calendar)
    except ValueError as error:
        raise CalendarFileError(f"X-WR-TIMEZONE cannot be read: {error}") from error
    events = calendar.walk("VEVENT")
    if not events:
        raise CalendarFileError("the calendar holds no events")
    for number, component in enumerate(events, start=1):
        name = str(component.get("summary", "")) or f"event {number}"
        if component.errors:
            prop, problem = component.errors[0]
            raise CalendarFileError(f"{name}: {prop} cannot be read ({problem})")
        if not str(component.get("uid", "")).strip():
            raise CalendarFileError(f"{name}: it has no UID")
        if component.get("dtstart") is None:
            raise CalendarFileError(f"{name}: it has no start (DTSTART)")
    return calendar


def _recurring_uids(calendar: icalendar.Calendar) -> set[str]:
    return {
        str(c.get("uid"))
        for c in calendar.walk("VEVENT")
        if any(c.get(p) is not None for p in ("rrule", "rdate", "recurrence-id"))
    }


def _utc(value: date | datetime, zone: ZoneInfo) -> datetime:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0), tzinfo=zone)
    elif value.tzinfo is None:  # floating time: the event's own zone
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def _times(component: icalendar.Event, zone: ZoneInfo) -> tuple[datetime, datetime, bool]:
    start = component.decoded("dtstart")
    all_day = not isinstance(start, datetime)
    if component.get("dtend") is not None:
        end = component.decoded("dtend")
    elif component.get("duration") is not None:
        end = start + component.decoded("duration")
    else:  # RFC 5545 §3.6.1: a date lasts one day, a date-time no time at all
        end = start + timedelta(days=1) if all_day else start
    return _utc(start, zone), _utc(end, zone), all_day


def _language(prop: object) -> str:
    params = getattr(prop, "params", None)
    return str(params.get("LANGUAGE", "")).lower() if params else ""


def _body(description: str) -> str:
    """The description without the lines our own export generates below DETAILS_MARK."""
    text = clean_text(description)
    # Our lines follow the last mark; a body may hold the mark itself ("———" as a rule).
    head, mark, _tail = text.rpartition(f"\n\n{DETAILS_MARK}\n")
    if mark:
        return head.strip("\n")
    if text.startswith(DETAILS_MARK + "\n"):  # an empty body: only our lines
        return ""
    return text.strip("\n")


def _categories(component: icalendar.Event) -> tuple[str, ...]:
    values: list[str] = []
    raw = component.get("categories")
    for prop in raw if isinstance(raw, list) else [raw] if raw is not None else []:
        values.extend(str(c) for c in _cats(prop))
    return tuple(clean_text(v).strip() for v in values if str(v).strip())


def _cats(prop: object) -> Iterable[object]:
    cats = getattr(prop, "cats", None)
    return cats if cats is not None else [prop]


def _sequence(component: icalendar.Event) -> int:
    try:
        return max(0, int(component.get("sequence", 0)))
    except (TypeError, ValueError):
        return 0
