"""How a calendar import's refusals and left-out entries read, in the person's language.

The parser (`builders.ics_import`) gives stable codes; the upload page and `flask import-ics`
both word them here, one line each, with no Python internals and no dump of the file.
"""

from __future__ import annotations

from flask_babel import gettext as _

from eventapp.builders.ics_import import LeftOut
from eventapp.errors import CalendarImportError


def refusal_message(error: CalendarImportError) -> str:
    """Why the whole file cannot be imported, in one line (`error.details` holds the
    parser's `reason` code, the `line` and the `limit` of events)."""
    details = error.details
    messages = {
        "not_utf8": _("the file is not UTF-8 text"),
        "no_vcalendar": _("the file does not start with BEGIN:VCALENDAR"),
        "structure": _("the file is not a valid calendar (a BEGIN or END line is missing)"),
        "several_calendars": _("the file holds more than one calendar"),
        "no_events": _("the calendar holds no events"),
        "too_many_events": _(
            "more than %(limit)s events in the event's dates", limit=details.get("limit", "")
        ),
        "too_many_entries": _(
            "the file holds more than %(limit)s events: export only the event's dates",
            limit=details.get("limit", ""),
        ),
        "too_slow": _("the file's repeating events take too long to expand"),
    }
    message = messages.get(str(details.get("reason")), _("the file is not a valid calendar"))
    if isinstance(line := details.get("line"), int):
        message = _("%(message)s (line %(line)d)", message=message, line=line)
    return message


def _reason(item: LeftOut) -> str:
    reasons = {
        "unreadable_line": _("a line of it cannot be read"),
        "unreadable_property": _("its %(property)s cannot be read", property=item.detail),
        "no_start": _("it has no start (DTSTART)"),
        "unknown_zone": _("its time zone “%(zone)s” is unknown", zone=item.detail),
        "ends_before_start": _("it ends before it starts"),
        "repeats_too_often": _("it repeats too often to expand (%(rule)s)", rule=item.detail),
        "dates_unreadable": _("its dates or repetition rule cannot be read"),
        "same_series": _("another entry of its series cannot be read"),
        "outside_dates": _("it is outside the event's dates"),
        "zero_length": _("it ends when it starts"),
        "duplicate": _("the same event appears twice"),
        "all_day_outside": _("all day, outside the event's hours"),
    }
    return reasons.get(item.reason, item.reason)


def describe_left_out(item: LeftOut) -> str:
    """One line: which entry (title, line, how many times) and why it is not imported."""
    if item.summary and item.line:
        what = _("“%(title)s” (line %(line)d)", title=item.summary, line=item.line)
    elif item.summary:
        what = _("“%(title)s”", title=item.summary)
    elif item.line:
        what = _("An entry without a title (line %(line)d)", line=item.line)
    else:
        what = _("An entry without a title")
    line = _("%(what)s: %(why)s", what=what, why=_reason(item))
    if item.count > 1:
        line = _("%(line)s (%(count)d times)", line=line, count=item.count)
    return line


def describe_notice(item: LeftOut, *, zone: str) -> str:
    """One line about a part of the file read otherwise than written; `zone` is the event's."""
    if item.reason == "calendar_zone_unknown":
        return _(
            "The calendar's time zone “%(name)s” is unknown; times without a zone are read "
            "in %(zone)s.",
            name=item.detail,
            zone=zone,
        )
    if item.reason == "zone_definition_unreadable":
        return _("The time zone definition “%(name)s” cannot be read.", name=item.detail)
    return _("Line %(line)d cannot be read and was ignored.", line=item.line or 0)
