"""The seed file format, key by key: what each table may hold and how each value is checked.

seeds/README.md documents the format for people; `checks.py` walks a document against these
tables. Lengths come from the model columns, so whatever passes here fits the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email

from eventapp.countries import country_codes
from eventapp.models import (
    AgendaSession,
    Event,
    HostRole,
    Organization,
    OrganizationKind,
    Room,
    SessionKind,
    SessionStatus,
    Speaker,
    SpeakerRole,
    Track,
    Venue,
)
from eventapp.names import NameOrder
from eventapp.services.setup.keys import KEY_LENGTH, KEY_PATTERN, KEY_RULE


class Invalid(ValueError):
    """A value that does not fit its key; the message says what was expected."""


Check = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Key:
    """One key of a table: a scalar `check`, or a nested array of tables (`table`)."""

    check: Check | None = None
    table: Mapping[str, Key] | None = None
    required: bool = False
    default: Any = None


_KINDS = {str: "a string", bool: "a boolean", int: "an integer", float: "a number",
          list: "an array", dict: "a table", date: "a date", time: "a time",
          datetime: "a date-time"}  # fmt: skip


def kind_of(value: Any) -> str:
    """What a TOML value is, in words ("a string", "a date-time"…)."""
    return _KINDS.get(type(value), type(value).__name__)


def text(max_length: int | None = None, pattern: str | None = None, hint: str = "") -> Check:
    """A non-empty string (stripped), at most `max_length` characters, matching `pattern`."""

    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise Invalid(f"expected a string, got {kind_of(value)}")
        value = value.strip()
        if not value:
            raise Invalid("must not be empty (leave the key out instead)")
        if max_length is not None and len(value) > max_length:
            raise Invalid(f"is {len(value)} characters long; at most {max_length} fit")
        if pattern is not None and not re.fullmatch(pattern, value):
            raise Invalid(f"{value!r} is not {hint}")
        return value

    return check


def column(model: Any, name: str, pattern: str | None = None, hint: str = "") -> Check:
    """`text()` limited to the length of the model's column, so PostgreSQL accepts it."""
    return text(getattr(model.__table__.c[name].type, "length", None), pattern, hint)


def key_of(model: Any, name: str = "key") -> Check:
    """A readable stable key, as the back office makes them (services/setup/keys.py)."""
    return column(model, name, KEY_PATTERN, KEY_RULE)


def integer(value: Any) -> int:
    """A whole number, zero or more (TOML booleans are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"expected an integer, got {kind_of(value)}")
    if value < 0:
        raise Invalid("must not be negative")
    return value


def boolean(value: Any) -> bool:
    """`true` or `false`."""
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {kind_of(value)}")
    return value


def choice(enum: type[StrEnum]) -> Check:
    """One of the enum's values, returned as the member."""

    def check(value: Any) -> StrEnum:
        allowed = [member.value for member in enum]
        if value not in allowed:
            raise Invalid(f"{value!r} is not one of: {', '.join(allowed)}")
        return enum(value)

    return check


def country(value: Any) -> str:
    """An ISO 3166-1 alpha-2 code, in capitals."""
    if not isinstance(value, str) or value not in country_codes():
        raise Invalid(f"{value!r} is not an ISO 3166-1 alpha-2 country code such as KR or US")
    return value


def email(value: Any) -> str:
    """An email address (syntax only: no DNS lookup), normalized by email-validator."""
    address = text(254)(value)
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise Invalid(f"{address!r} is not an email address: {error}") from error


def timezone(value: Any) -> str:
    """An IANA time zone name known to this machine's tz database."""
    if not isinstance(value, str) or value not in available_zones():
        raise Invalid(f"{value!r} is not an IANA time zone such as Asia/Seoul")
    return value


@cache
def available_zones() -> frozenset[str]:
    """Every IANA zone name (read once: listing them scans the tz database)."""
    return frozenset(available_timezones())


def local_time(value: Any) -> datetime:
    """A TOML local date-time (no offset): the event's time zone gives it meaning."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        raise Invalid("write the local time without an offset; the event's timezone applies")
    if not isinstance(value, datetime):
        raise Invalid(
            f"expected a local date-time such as 2023-11-08T09:30:00, got {kind_of(value)}"
        )
    return value


#: A key that only needs to be unique within its event (rooms, tracks, sessions).
LOCAL_KEY = text(KEY_LENGTH, KEY_PATTERN, KEY_RULE)
COLOUR = text(7, r"#[0-9a-fA-F]{6}", "a colour written #rrggbb")
LANGUAGE = text(10, r"[a-z]{2}", "an ISO 639-1 language code such as en or ko")
URL = text(300, r"https?://\S+", "an http(s) address")
FILE_NAME = column(Speaker, "photo", r"[^/\\.][^/\\]*", "a plain file name")

VENUE = {
    "key": Key(key_of(Venue), required=True),
    "name": Key(column(Venue, "name"), required=True),
    "name_ko": Key(column(Venue, "name_ko")),
    "address": Key(column(Venue, "address")),
    "address_ko": Key(column(Venue, "address_ko")),
    "city": Key(column(Venue, "city")),
    "country": Key(country),
}
ORGANIZATION = {
    "key": Key(key_of(Organization), required=True),
    "name": Key(column(Organization, "name"), required=True),
    "name_ko": Key(column(Organization, "name_ko")),
    "short_name": Key(column(Organization, "short_name")),
    "country": Key(country),
    "kind": Key(choice(OrganizationKind), default=OrganizationKind.OTHER),
    "website": Key(URL),
}
SPEAKER = {
    "key": Key(key_of(Speaker), required=True),
    "given_name": Key(column(Speaker, "given_name"), required=True),
    "family_name": Key(column(Speaker, "family_name"), default=""),
    "name_alt": Key(column(Speaker, "name_alt")),
    "name_order": Key(choice(NameOrder)),  # None: `names.default_order` (the writer)
    "position": Key(column(Speaker, "position")),
    "position_ko": Key(column(Speaker, "position_ko")),
    "organization": Key(text()),
    "country": Key(country),
    "bio": Key(text()),
    "bio_ko": Key(text()),
    "photo": Key(FILE_NAME),
    "email": Key(email),
}
HOST = {
    "organization": Key(text(), required=True),
    "role": Key(choice(HostRole), default=HostRole.HOST),
}
ROOM = {
    "key": Key(LOCAL_KEY, required=True),
    "name": Key(column(Room, "name"), required=True),
    "name_ko": Key(column(Room, "name_ko")),
    "capacity": Key(integer),
}
TRACK = {
    "key": Key(LOCAL_KEY, required=True),
    "name": Key(column(Track, "name"), required=True),
    "name_ko": Key(column(Track, "name_ko")),
    "color": Key(COLOUR),
}
SESSION_SPEAKER = {
    "speaker": Key(text(), required=True),
    "role": Key(choice(SpeakerRole), default=SpeakerRole.SPEAKER),
}
SESSION = {
    "key": Key(LOCAL_KEY, required=True),
    "title": Key(column(AgendaSession, "title"), required=True),
    "title_ko": Key(column(AgendaSession, "title_ko")),
    "subtitle": Key(column(AgendaSession, "subtitle")),
    "subtitle_ko": Key(column(AgendaSession, "subtitle_ko")),
    "description": Key(text()),
    "description_ko": Key(text()),
    "kind": Key(choice(SessionKind), default=SessionKind.TALK),
    "status": Key(choice(SessionStatus), default=SessionStatus.CONFIRMED),
    "language": Key(LANGUAGE, default="en"),
    "track": Key(text()),
    "room": Key(text()),
    "starts_at": Key(local_time, required=True),
    "ends_at": Key(local_time, required=True),
    "capacity": Key(integer),
    "is_published": Key(boolean, default=True),
    "speakers": Key(table=SESSION_SPEAKER),
}
EVENT = {
    "slug": Key(key_of(Event, "slug"), required=True),
    "acronym": Key(column(Event, "acronym", r"[A-Za-z0-9][A-Za-z0-9_.-]*", "short ASCII")),
    "title": Key(column(Event, "title"), required=True),
    "title_ko": Key(column(Event, "title_ko")),
    "summary": Key(text()),
    "summary_ko": Key(text()),
    "timezone": Key(timezone, required=True),
    "starts_at": Key(local_time, required=True),
    "ends_at": Key(local_time, required=True),
    "registration_opens_at": Key(local_time),
    "registration_closes_at": Key(local_time),
    "capacity": Key(integer),
    "show_seats_left": Key(boolean, default=False),
    "contact_email": Key(email),
    "privacy_controller": Key(column(Event, "privacy_controller")),
    "privacy_controller_ko": Key(column(Event, "privacy_controller_ko")),
    "retention_days": Key(integer),
    "is_published": Key(boolean, default=False),
    "position": Key(integer),
    "venue": Key(text()),
    "hosts": Key(table=HOST),
    "rooms": Key(table=ROOM),
    "tracks": Key(table=TRACK),
    "sessions": Key(table=SESSION),
}
DOCUMENT = {
    "venues": Key(table=VENUE),
    "organizations": Key(table=ORGANIZATION),
    "speakers": Key(table=SPEAKER),
    "events": Key(table=EVENT),
}
