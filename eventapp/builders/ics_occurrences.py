"""The occurrences of a calendar file's series, and the plain values they become.

`recurring-ical-events` expands RRULE/RDATE series within a window, drops EXDATEs and
applies RECURRENCE-ID overrides; this module bounds that work (events and seconds), gives
each occurrence its own identity and reads it into an `ImportedEvent`. What cannot be read
is a `LeftOut` with a stable reason code. Pure: no Flask, no database.
"""

from __future__ import annotations

import time as clock
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from eventapp.builders.ics import ALT_SUMMARY, clean_text
from eventapp.builders.ics_lines import CalendarFileError
from eventapp.builders.ics_values import (
    body_of,
    categories_of,
    event_times,
    language_of,
    sequence_of,
)
from eventapp.builders.ics_zones import to_utc

MAX_EVENTS = 5000
#: And whatever the steps, expanding one file stops after this long.
MAX_EXPANSION_SECONDS = 3.0


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
class LeftOut:
    """An entry of the file that is not imported, or a part read otherwise than written.

    `reason` is a stable code (the service words it for people); `detail` names the
    property or time zone concerned; `count` is how many occurrences share all the rest.
    """

    reason: str
    summary: str = ""
    line: int | None = None
    detail: str = ""
    count: int = 1


@dataclass(slots=True)
class Checked:
    """What the look at each raw VEVENT found, before any expansion."""

    left_out: list[LeftOut]
    #: Components left out, with every other component of their series.
    bad: list[icalendar.Event]
    #: UID → the title and line of its series' first component (for messages).
    origins: dict[str, tuple[str, int | None]]
    recurring: set[str]
    #: (UID, RECURRENCE-ID) of a RANGE=THISANDFUTURE change → how far it moves the rest.
    moves: dict[tuple[str, datetime], timedelta]
    #: Unreadable properties that the import does not read, ignored.
    notices: list[LeftOut]


def is_this_and_future(component: icalendar.Event) -> bool:
    rid = component.get("recurrence-id")
    return rid is not None and str(rid.params.get("RANGE", "")).upper() == "THISANDFUTURE"


def expand(
    calendar: icalendar.Calendar,
    zone: ZoneInfo,
    window: tuple[datetime, datetime],
    checked: Checked,
) -> tuple[list[ImportedEvent], list[LeftOut]]:
    """The occurrences of each series in the window, stopping at MAX_EVENTS (a generator:
    nothing beyond the limit is built) and after MAX_EXPANSION_SECONDS."""
    events: list[ImportedEvent] = []
    left_out: list[LeftOut] = []
    deadline = clock.monotonic() + MAX_EXPANSION_SECONDS
    for uid, series in _series(calendar, left_out, checked):
        label, line = checked.origins.get(uid, ("", None))
        found: list[ImportedEvent] = []
        try:
            for occurrence in series.between(*window):
                if clock.monotonic() > deadline:
                    raise CalendarFileError("too_slow")
                if len(events) + len(found) >= MAX_EVENTS:
                    raise CalendarFileError("too_many_events", detail=str(MAX_EVENTS))
                component = occurrence.as_component(False)
                found.append(_imported(component, zone, checked))
        except CalendarFileError:
            raise
        except Exception:  # recurring-ical-events raises many types for broken rules
            left_out.append(LeftOut("dates_unreadable", summary=label, line=line))
            continue
        if not found:
            left_out.append(LeftOut("outside_dates", summary=label, line=line))
        for event in found:
            if event.ends_at <= event.starts_at:
                left_out.append(LeftOut("zero_length", summary=event.summary, line=line))
            else:
                events.append(event)
    return events, left_out


def _series(
    calendar: icalendar.Calendar, left_out: list[LeftOut], checked: Checked
) -> Iterator[tuple[str, Any]]:
    """(UID, series) for each series; one broken series costs only itself."""
    try:
        every = recurring_ical_events.of(calendar).series
    except Exception:  # the library checks every series at once; find the broken ones
        every = None
    if every is not None:
        yield from ((s.uid, s) for s in every)
        return
    groups: dict[str, list[Any]] = {}
    for component in calendar.walk("VEVENT"):
        groups.setdefault(str(component.get("uid")), []).append(component)
    for uid, components in groups.items():
        alone = icalendar.Calendar()
        alone.subcomponents = components
        try:
            found = recurring_ical_events.of(alone).series
        except Exception:
            label, line = checked.origins.get(uid, ("", None))
            left_out.append(LeftOut("dates_unreadable", summary=label, line=line))
            continue
        yield from ((uid, s) for s in found)


def _imported(component: icalendar.Event, zone: ZoneInfo, checked: Checked) -> ImportedEvent:
    uid = str(component.get("uid", "")).strip()
    starts_at, ends_at, all_day = event_times(component, zone)
    recurrence_id = None
    if uid in checked.recurring and component.get("recurrence-id") is not None:
        recurrence_id = to_utc(component.decoded("recurrence-id"), zone)
        if is_this_and_future(component):
            # Every occurrence after a RANGE=THISANDFUTURE change carries its RECURRENCE-ID;
            # each is known by its own original start (RFC 5545 §3.8.4.4).
            move = checked.moves.get((uid, recurrence_id))
            if move is not None:
                recurrence_id = starts_at - move
    return ImportedEvent(
        uid=uid,
        recurrence_id=recurrence_id,
        summary=clean_text(str(component.get("summary", ""))).strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        all_day=all_day,
        language=language_of(component.get("summary")),
        alt_summary=clean_text(str(component.get(ALT_SUMMARY, ""))).strip(),
        alt_language=language_of(component.get(ALT_SUMMARY)),
        description=body_of(str(component.get("description", ""))),
        location=clean_text(str(component.get("location", ""))).strip(),
        url=str(component.get("url", "")).strip(),
        status=str(component.get("status", "CONFIRMED")).upper(),
        categories=categories_of(component),
        sequence=sequence_of(component),
    )
