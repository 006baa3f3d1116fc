"""Template helpers: the localized field, times in the event's zone, people's names."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time, get_timezone_name
from flask import Flask
from flask_babel import get_locale

from eventapp.models import Role
from eventapp.names import has_hangul


def current_language() -> str:
    """The interface language code ('en' or 'ko')."""
    locale = get_locale()
    return locale.language if locale else "en"


def localized(obj: Any, field: str) -> Any:
    """`obj.<field>_ko` in the Korean interface when that field is filled, else `obj.<field>`."""
    if current_language() == "ko":
        value = getattr(obj, f"{field}_ko", None)
        if value:
            return value
    return getattr(obj, field)


def person_name(person: Any) -> str:
    """A person's name in the interface's script where we have it (Hangul in Korean)."""
    alt = getattr(person, "name_alt", None)
    if current_language() == "ko" and alt and has_hangul(alt):
        return alt
    return person.name


def text_lang(text: str | None) -> str:
    """The `lang` attribute for a piece of content: 'ko' for Hangul text, else 'en'."""
    return "ko" if has_hangul(text) else "en"


def _zone(zone: str | ZoneInfo) -> ZoneInfo:
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)


def local_datetime(value: datetime, zone: str | ZoneInfo, fmt: str = "medium") -> str:
    """Date and time in `zone`, written the interface's way."""
    return format_datetime(value.astimezone(_zone(zone)), fmt, locale=current_language())


def local_date(value: datetime, zone: str | ZoneInfo, fmt: str = "full") -> str:
    """The date in `zone` (e.g. 'Wednesday, November 8, 2023')."""
    return format_date(value.astimezone(_zone(zone)).date(), fmt, locale=current_language())


def local_time(value: datetime, zone: str | ZoneInfo) -> str:
    """Clock time in `zone`, 24-hour (09:30), unambiguous in both languages."""
    return format_time(value.astimezone(_zone(zone)), "HH:mm", locale=current_language())


def zone_label(zone: str | ZoneInfo, when: datetime | None = None) -> str:
    """The zone named for people: 'Korean Standard Time (Asia/Seoul, UTC+09:00)'."""
    tz = _zone(zone)
    offset = (when or datetime.now(tz)).astimezone(tz).strftime("%z")
    offset_text = f"UTC{offset[:3]}:{offset[3:]}"
    long_name = get_timezone_name(tz, "long", locale=current_language())
    return f"{long_name} ({tz.key}, {offset_text})"


def iso(value: datetime, zone: str | ZoneInfo) -> str:
    """Machine-readable time for <time datetime=…>, with the zone's offset."""
    return value.astimezone(_zone(zone)).isoformat(timespec="minutes")


def init_app(app: Flask) -> None:
    """Expose the helpers to every template."""
    app.jinja_env.globals.update(
        current_language=current_language,
        localized=localized,
        person_name=person_name,
        text_lang=text_lang,
        local_datetime=local_datetime,
        local_date=local_date,
        local_time=local_time,
        zone_label=zone_label,
        iso=iso,
        roles=Role,
    )
