"""How the properties of one VEVENT read as plain values (times, texts, categories)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

import icalendar

from eventapp.builders.ics import DETAILS_MARK, clean_text
from eventapp.builders.ics_zones import to_utc


def event_times(component: icalendar.Event, zone: tzinfo) -> tuple[datetime, datetime, bool]:
    """(start, end) in UTC, dates and floating times in `zone`, and whether it is all day."""
    start = component.decoded("dtstart")
    all_day = not isinstance(start, datetime)
    if component.get("dtend") is not None:
        end = component.decoded("dtend")
    elif component.get("duration") is not None:
        end = start + component.decoded("duration")
    else:  # RFC 5545 §3.6.1: a date lasts one day, a date-time no time at all
        end = start + timedelta(days=1) if all_day else start
    return to_utc(start, zone), to_utc(end, zone), all_day


def language_of(prop: object) -> str:
    """The LANGUAGE parameter of a property, lower case ("" without one)."""
    params = getattr(prop, "params", None)
    return str(params.get("LANGUAGE", "")).lower() if params else ""


def body_of(description: str) -> str:
    """The description without the lines our own export generates below DETAILS_MARK."""
    text = clean_text(description)
    # Our lines follow the last mark; a body may hold the mark itself ("———" as a rule).
    head, mark, _tail = text.rpartition(f"\n\n{DETAILS_MARK}\n")
    if mark:
        return head.strip("\n")
    if text.startswith(DETAILS_MARK + "\n"):  # an empty body: only our lines
        return ""
    return text.strip("\n")


def categories_of(component: icalendar.Event) -> tuple[str, ...]:
    """Every CATEGORIES value, over all CATEGORIES lines, in order."""
    values: list[str] = []
    raw = component.get("categories")
    for prop in raw if isinstance(raw, list) else [raw] if raw is not None else []:
        values.extend(str(c) for c in _cats(prop))
    return tuple(clean_text(v).strip() for v in values if str(v).strip())


def _cats(prop: object) -> Iterable[object]:
    cats = getattr(prop, "cats", None)
    return cats if cats is not None else [prop]


def sequence_of(component: icalendar.Event) -> int:
    """SEQUENCE, 0 when missing or not a number."""
    try:
        return max(0, int(component.get("sequence", 0)))
    except (TypeError, ValueError):
        return 0
