"""How much work a repetition rule costs before it is expanded (RFC 5545 §3.3.10).

dateutil, under recurring-ical-events, walks a rule from DTSTART one period at a time,
whether the period is in the wanted window or not: "every minute since 2000" is twelve
million steps (52 s) before the first occurrence of 2023. The bound here lets the parser
leave such a series out, with a reason, before spending that time.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

import icalendar

from eventapp.builders.ics_zones import to_utc

_FREQ_SECONDS = {
    "SECONDLY": 1,
    "MINUTELY": 60,
    "HOURLY": 3600,
    "DAILY": 86400,
    "WEEKLY": 7 * 86400,
    "MONTHLY": 28 * 86400,
    "YEARLY": 365 * 86400,
}
#: BY… parts that make dateutil try each day of a week, month or year in one period.
_DAY_PARTS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH")
_DAYS_IN_PERIOD = {"WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}


def _rules(component: icalendar.Event) -> list[icalendar.prop.vRecur]:
    raw = component.get("rrule")
    return raw if isinstance(raw, list) else [] if raw is None else [raw]


def repetition_steps(component: icalendar.Event, until: datetime, zone: tzinfo) -> int:
    """An upper bound of the steps dateutil takes to expand the series up to `until`."""
    rules = _rules(component)
    if not rules:
        return 0
    start = to_utc(component.decoded("dtstart"), zone)
    steps = 0
    for rule in rules:
        freq = str(_part(rule, "FREQ", "")).upper()
        seconds = _FREQ_SECONDS.get(freq)
        if seconds is None:
            continue  # recurring-ical-events refuses it, and the series is left out then
        interval = max(1, int(_part(rule, "INTERVAL", 1)))
        end = until
        if (rule_until := _part(rule, "UNTIL", None)) is not None:
            end = min(end, to_utc(rule_until, zone))
        periods = max(0.0, (end - start).total_seconds()) / (seconds * interval) + 1
        per_period = 1
        for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            per_period *= max(1, len(rule.get(part, [])))
        if any(part in rule for part in _DAY_PARTS):
            per_period *= _DAYS_IN_PERIOD.get(freq, 1)
        elif (count := _part(rule, "COUNT", None)) is not None and per_period == 1:
            periods = min(periods, int(count))
        steps += int(periods * per_period)
    return steps


def _part(rule: icalendar.prop.vRecur, name: str, default: Any) -> Any:
    values = rule.get(name)
    return values[0] if values else default


def rule_text(component: icalendar.Event) -> str:
    """The component's RRULEs as written, for messages."""
    return ", ".join(rule.to_ical().decode() for rule in _rules(component))
