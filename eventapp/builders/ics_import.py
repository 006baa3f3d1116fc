"""Read calendars exported by Google, Outlook, Apple (and by us) into plain values.

Pure: bytes in, `ImportedEvent` values out; no Flask, no database. `ics_lines` unfolds and
numbers the lines; `icalendar` parses them; `ics_zones` resolves each TZID with the file's
own VTIMEZONEs (then IANA, Windows and Outlook display names); `x-wr-timezone` reads
Google's and Apple's X-WR-TIMEZONE as the zone of floating times; `ics_recurrence` bounds
what a rule may cost; `ics_occurrences` expands the series within a window
(recurring-ical-events) into values; `ics_values` reads each property. Whatever
is not imported is returned as a `LeftOut` with a stable reason code, so that nothing is
dropped without a word.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import x_wr_timezone
from icalendar.error import GloballyUniqueTZIDGuessed

from eventapp.builders.ics import ALT_SUMMARY, clean_text
from eventapp.builders.ics_lines import CalendarFileError, EventLines, read_lines
from eventapp.builders.ics_occurrences import (
    MAX_EVENTS,
    Checked,
    ImportedEvent,
    LeftOut,
    expand,
    is_this_and_future,
)
from eventapp.builders.ics_recurrence import repetition_steps, rule_text
from eventapp.builders.ics_values import (
    event_times,
)
from eventapp.builders.ics_zones import FileZones, to_utc

__all__ = [
    "CalendarFileError",
    "ImportedEvent",
    "LeftOut",
    "ParsedCalendar",
    "parse_calendar",
]

#: dateutil walks a rule from DTSTART one period at a time, in the window or not: a series
#: may take at most this many steps (a few tenths of a second), the whole file three times
#: as many. "Every minute since 2000" is 12 million steps and is left out with a reason.
MAX_SERIES_STEPS = 100_000
MAX_FILE_STEPS = 3 * MAX_SERIES_STEPS
#: The VEVENT properties the import reads: one of them unreadable leaves its event out; any
#: other (DTSTAMP, ORGANIZER, CREATED…) is ignored with a notice.
READ_PROPERTIES = frozenset(
    {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "EXRULE", "RECURRENCE-ID"}
    | {"UID", "SUMMARY", "DESCRIPTION", "LOCATION", "URL", "STATUS", "CATEGORIES", "SEQUENCE"}
    | {"BEGIN", "END", ALT_SUMMARY.upper()}
)


@dataclass(frozen=True, slots=True)
class ParsedCalendar:
    """The occurrences inside the window, what was left out and why, and what was read
    otherwise than written (an unknown X-WR-TIMEZONE, an unreadable line outside events)."""

    events: tuple[ImportedEvent, ...]
    left_out: tuple[LeftOut, ...]
    notices: tuple[LeftOut, ...] = ()


def parse_calendar(
    data: bytes, *, zone: ZoneInfo, window: tuple[datetime, datetime]
) -> ParsedCalendar:
    """Every event occurrence between `window` (aware datetimes), all-day and floating
    times read in `zone`; the events that cannot be read are left out with a reason.
    Raises CalendarFileError for a file that is not a calendar at all, or too large."""
    lines = read_lines(data, wanted=READ_PROPERTIES, max_events=MAX_EVENTS)
    calendar = _parse(lines.text)
    components: list[Any] = calendar.walk("VEVENT")
    if not components:
        raise CalendarFileError("no_events")
    zones = FileZones(calendar, lines.tzid_aliases)
    notices = [LeftOut("unreadable_line", line=number) for number in lines.unreadable]
    notices += [LeftOut("zone_definition_unreadable", detail=t) for t in zones.unreadable]
    floating = _calendar_zone(calendar, zones, notices)
    places = list(lines.events) if len(lines.events) == len(components) else []
    checked = _check(components, places, zones, floating or zone, window[1])
    bad = {id(c) for c in checked.bad}
    calendar.subcomponents = [c for c in calendar.subcomponents if id(c) not in bad]
    if floating is not None:
        try:
            calendar = x_wr_timezone.to_standard(calendar, timezone=floating)
        except Exception:  # a value the library cannot convert: read floating times in zone
            notices.append(LeftOut("calendar_zone_unknown", detail=str(floating)))
    events, left_out = expand(calendar, zone, window, checked)
    return ParsedCalendar(
        events=tuple(sorted(events, key=lambda e: (e.starts_at, e.uid))),
        left_out=_counted([*checked.left_out, *left_out]),
        notices=tuple(notices + checked.notices),
    )


def _parse(text: str) -> icalendar.Calendar:
    try:
        with warnings.catch_warnings():
            # "/vendor/Europe/Berlin" (Evolution, Thunderbird) is read as Europe/Berlin.
            warnings.simplefilter("ignore", GloballyUniqueTZIDGuessed)
            calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as error:  # icalendar raises many types for broken structure
        raise CalendarFileError("structure") from error
    if len(calendars) > 1:
        raise CalendarFileError("several_calendars")
    if not calendars:
        raise CalendarFileError("structure")
    return calendars[0]


def _calendar_zone(
    calendar: icalendar.Calendar, zones: FileZones, notices: list[LeftOut]
) -> tzinfo | None:
    """The zone X-WR-TIMEZONE names (Google, Apple), or None with a notice if unknown."""
    name = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    if not name:
        return None
    found = zones.resolve(name)
    if found is None:
        notices.append(LeftOut("calendar_zone_unknown", detail=name))
    return found


def _check(
    components: list[icalendar.Event],
    places: list[EventLines],
    zones: FileZones,
    zone: tzinfo,
    until: datetime,
) -> Checked:
    checked = Checked(left_out=[], bad=[], origins={}, recurring=set(), moves={}, notices=[])
    bad_uids: set[str] = set()
    failed: set[int] = set()
    #: Changed occurrences left out alone: index → their RECURRENCE-ID, to cancel.
    alone: dict[int, datetime | date] = {}
    budget = MAX_FILE_STEPS
    for index, component in enumerate(components):
        place = places[index] if places else EventLines(first_line=0)
        line = place.first_line or None
        label = clean_text(str(component.get("summary", ""))).strip()
        for prop, _text in component.errors:
            if str(prop or "").upper() not in READ_PROPERTIES:
                at = place.properties.get(str(prop).upper())
                checked.notices.append(LeftOut("unreadable_line", line=at or line))
        problem = _problem(component, place, zones, zone)
        if problem is None:
            try:
                steps = repetition_steps(component, until, zone)
            except Exception:  # an odd rule: recurring-ical-events judges it below
                steps = 0
            if steps > min(MAX_SERIES_STEPS, budget):
                problem = LeftOut("repeats_too_often", detail=rule_text(component))
            else:
                budget -= steps
        uid = _uid(component)
        checked.origins.setdefault(uid, (label, line))
        if any(component.get(p) is not None for p in ("rrule", "rdate", "recurrence-id")):
            checked.recurring.add(uid)
        if problem is not None:
            checked.left_out.append(replace(problem, summary=label, line=problem.line or line))
            failed.add(index)
            if (cancelled_at := _cancellable(component, zones)) is not None:
                alone[index] = cancelled_at
            else:
                bad_uids.add(uid)
        elif is_this_and_future(component):
            rid = to_utc(component.decoded("recurrence-id"), zone)
            checked.moves[(uid, rid)] = to_utc(component.decoded("dtstart"), zone) - rid
    cancelled: dict[str, list[datetime | date]] = {}
    for index, original in alone.items():
        cancelled.setdefault(str(components[index].get("uid")), []).append(original)
    for index, component in enumerate(components):
        uid = str(component.get("uid"))
        if index in alone:
            checked.bad.append(component)
        elif uid in bad_uids:
            checked.bad.append(component)
            if index not in failed:  # a readable part of a series that is left out
                label = clean_text(str(component.get("summary", ""))).strip()
                line = places[index].first_line if places else None
                checked.left_out.append(LeftOut("same_series", summary=label, line=line))
        elif component.get("recurrence-id") is None:
            for original in cancelled.get(uid, []):
                # Without its changed version, the occurrence must not come back as it
                # was before the change: it is left out with the change.
                component.add("exdate", original)
    return checked


def _cancellable(component: icalendar.Event, zones: FileZones) -> datetime | date | None:
    """The RECURRENCE-ID of a changed occurrence that can be left out on its own (the rest
    of its series imported), or None when the whole series must go."""
    if component.get("recurrence-id") is None or is_this_and_future(component):
        return None
    try:
        if zones.localize(component):
            return None
        return component.decoded("recurrence-id")
    except Exception:  # an unreadable RECURRENCE-ID: which occurrence it changes is unknown
        return None


def _problem(
    component: icalendar.Event, place: EventLines, zones: FileZones, zone: tzinfo
) -> LeftOut | None:
    """Why this raw component cannot be imported as written, if it cannot."""
    if place.unreadable:
        return LeftOut("unreadable_line", line=place.unreadable[0])
    for prop, _problem_text in component.errors:
        name = str(prop or "").upper()
        if prop is None:  # a line icalendar could not split (ics_lines keeps most out)
            return LeftOut("unreadable_line")
        if name in READ_PROPERTIES:
            return LeftOut("unreadable_property", detail=name, line=place.properties.get(name))
    if component.get("dtstart") is None:
        return LeftOut("no_start")
    unknown = zones.localize(component)
    if unknown:
        return LeftOut("unknown_zone", detail=sorted(unknown)[0])
    try:
        starts_at, ends_at, _all_day = event_times(component, zone)
    except Exception:  # a DURATION or a date the library cannot add or compare
        return LeftOut("unreadable_property", detail="DTEND")
    if ends_at < starts_at:
        # recurring-ical-events would swap them into a real (and wrong) session.
        return LeftOut("ends_before_start")
    return None


def _uid(component: icalendar.Event) -> str:
    """The component's UID; one made from its content when it has none (RFC 5545 requires
    it, Outlook Web leaves it out), so that importing the file again finds the same one."""
    uid = str(component.get("uid", "")).strip()
    if not uid:
        start = component.get("dtstart")
        try:
            when = f"{start.to_ical().decode()};{start.params.get('TZID', '')}"
        except Exception:  # no start, or several: the event is left out anyway
            when = ""
        content = f"{when}\n{component.get('summary', '')}\n{component.get('location', '')}"
        uid = f"{hashlib.sha256(content.encode()).hexdigest()[:32]}@no-uid.invalid"
        component.pop("uid", None)
        component.add("uid", uid)
    return uid


def _counted(items: Iterable[LeftOut]) -> tuple[LeftOut, ...]:
    """Merge entries that differ only by count (a zero-length series, occurrence by one)."""
    merged: dict[LeftOut, int] = {}
    for item in items:
        key = replace(item, count=1)
        merged[key] = merged.get(key, 0) + item.count
    return tuple(replace(item, count=count) for item, count in merged.items())
