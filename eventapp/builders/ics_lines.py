"""The lines of a calendar file before icalendar reads them: unfolded, numbered, checked.

RFC 5545 §3.1 folds lines at 75 octets, which may split a multi-byte character (Hangul is
three octets in UTF-8): lines are unfolded as bytes, then each is decoded. A line that is
not UTF-8 or not a content line is kept out of what icalendar reads and remembered by its
number, with the event it belongs to, so that one bad line costs one event, not the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from icalendar.parser import Contentline


class CalendarFileError(ValueError):
    """The file is not a calendar we can read: `code` says why, `line` where (from 1)."""

    def __init__(self, code: str, *, line: int | None = None, detail: str = "") -> None:
        super().__init__(code if line is None else f"{code} (line {line})")
        self.code = code
        self.line = line
        self.detail = detail


@dataclass(slots=True)
class EventLines:
    """Where one VEVENT is in the file."""

    first_line: int
    #: Property name (upper case) → the line of its first occurrence.
    properties: dict[str, int] = field(default_factory=dict)
    #: Lines of the event's own properties it reads that are not UTF-8 or not content lines.
    unreadable: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FileLines:
    """The readable lines of a file, and where its events and unreadable lines are."""

    text: str
    events: tuple[EventLines, ...]
    #: Other unreadable lines: outside events, in an alarm, or of a property nobody reads
    #: (`ORGANIZER="mailto:…"`); they are left out and the events still read.
    unreadable: tuple[int, ...]
    #: A second TZID in one VTIMEZONE (WordPress "The Events Calendar" writes them) → the first.
    tzid_aliases: dict[str, str]


def _logical_lines(data: bytes) -> list[tuple[int, bytes]]:
    """(line number, unfolded bytes) for each logical line (RFC 5545 §3.1)."""
    lines: list[tuple[int, bytes]] = []
    for number, physical in enumerate(data.split(b"\n"), start=1):
        physical = physical.removesuffix(b"\r")
        if physical[:1] in (b" ", b"\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + physical[1:])
        elif physical.strip():
            lines.append((number, physical))
    return lines


_NAME = re.compile(rb"[A-Za-z0-9-]+")
#: Most lines, quickly: NAME, parameters (quoted or not), ":" and the value. The rest are
#: judged by icalendar's own line parser.
_PLAIN_LINE = re.compile(
    r'([A-Za-z0-9-]+)(?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*:(.*)',
    re.DOTALL,
)


def _split(text: str) -> tuple[str, str]:
    """(name, value) of a content line. Raises ValueError if it is none."""
    plain = _PLAIN_LINE.fullmatch(text)
    if plain is not None:
        return plain.group(1), plain.group(2)
    name, _params, value = Contentline(text).parts()
    return name, value


def read_lines(data: bytes, *, wanted: frozenset[str], max_events: int) -> FileLines:
    """Unfold, decode and check every line; an unreadable line of a `wanted` property of a
    VEVENT counts against the event. Raises CalendarFileError for a file that is not UTF-8
    text, does not start with BEGIN:VCALENDAR, or holds more than `max_events` VEVENTs
    (refused here, before the calendar library spends seconds and memory parsing them)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    logical = _logical_lines(data)
    if not logical:
        raise CalendarFileError("no_vcalendar")
    kept: list[str] = []
    #: VTIMEZONEs go first in what icalendar reads: one after an event makes it parse the
    #: whole file twice (its forward-reference handling), and ics_zones resolves them anyway.
    zone_lines: list[str] = []
    events: list[EventLines] = []
    outside: list[int] = []
    aliases: dict[str, str] = {}
    stack: list[str] = []
    zone_tzid: str | None = None
    event: EventLines | None = None
    for index, (number, raw) in enumerate(logical):
        try:
            text = raw.decode("utf-8")
            if "\x00" in text:
                raise UnicodeDecodeError("utf-8", raw, 0, 1, "NUL")
            name, value = _split(text)
        except (UnicodeDecodeError, ValueError) as error:
            if index == 0:
                code = "not_utf8" if isinstance(error, UnicodeDecodeError) else "no_vcalendar"
                raise CalendarFileError(code) from error
            guess = _NAME.match(raw)
            own = event is not None and stack[-1:] == ["VEVENT"]
            if own and event and guess and guess.group().decode().upper() in wanted:
                event.unreadable.append(number)
            else:
                outside.append(number)
            continue
        name = name.upper()
        if index == 0 and (name, value.upper()) != ("BEGIN", "VCALENDAR"):
            raise CalendarFileError("no_vcalendar")
        if name == "BEGIN":
            stack.append(value.upper())
            if stack[-1] == "VEVENT":
                event = EventLines(first_line=number)
                events.append(event)
                if len(events) > max_events:
                    raise CalendarFileError("too_many_entries", detail=str(max_events))
            elif stack[-1] == "VTIMEZONE":
                zone_tzid = None
        elif name == "END":
            if stack and stack.pop() == "VEVENT":
                event = None
        elif not stack:
            outside.append(number)  # a property after END:VCALENDAR belongs to nothing
            continue
        elif stack[-1] == "VTIMEZONE" and name == "TZID":
            if zone_tzid is not None:
                aliases[value] = zone_tzid
                continue
            zone_tzid = value
        elif event is not None and stack[-1] == "VEVENT":
            event.properties.setdefault(name, number)
        in_zone = "VTIMEZONE" in stack or (name, value.upper()) == ("END", "VTIMEZONE")
        (zone_lines if in_zone else kept).append(text)
    return FileLines(
        text="\r\n".join([*kept[:1], *zone_lines, *kept[1:]]) + "\r\n",
        events=tuple(events),
        unreadable=tuple(outside),
        tzid_aliases=aliases,
    )
