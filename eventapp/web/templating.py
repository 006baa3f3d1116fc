"""Template helpers: the localized field, times in the event's zone, people's names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import (
    format_date,
    format_datetime,
    format_interval,
    format_time,
    get_timezone_name,
)
from flask import Flask
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from eventapp import countries
from eventapp.labels import ALL_LABELS, mail_kind_label
from eventapp.languages import in_language, name_in
from eventapp.models import Answer, Category, HostRole, Question, QuestionKind, Role
from eventapp.models.questions import CHOICE_KINDS
from eventapp.names import has_hangul
from eventapp.services.questions.answers import choice_labels


def current_language() -> str:
    """The interface language code ('en' or 'ko')."""
    locale = get_locale()
    return locale.language if locale else "en"


def localized(obj: Any, field: str) -> Any:
    """`obj.<field>_ko` in the Korean interface when that field is filled, else `obj.<field>`."""
    return in_language(obj, field, current_language())


def person_name(person: Any) -> str:
    """A person's name in the interface's script where we have it (Hangul in Korean)."""
    return name_in(person.name, getattr(person, "name_alt", None), current_language())


def text_lang(text: str | None) -> str:
    """The `lang` attribute for a piece of content: 'ko' for Hangul text, else 'en'."""
    return "ko" if has_hangul(text) else "en"


def lang_attr(text: str | None) -> Markup:
    """` lang="ko"` (or `en`) when content is not in the interface's language, else nothing."""
    lang = text_lang(text)
    if not text or lang == current_language():
        return Markup("")
    return Markup(' lang="ko"') if lang == "ko" else Markup(' lang="en"')


def country_name(code: str | None) -> str:
    """The country's name in the interface language (Babel's territory names): KR → 대한민국."""
    return countries.country_name(code, current_language())


def mentions_organization(position: str | None, organization: Any) -> bool:
    """Whether a speaker's position already names their organization ("Executive Secretary,
    U.S. National Space Council"), in either language or by its short name: then the
    organization is not written again after it."""
    if not position or organization is None:
        return False
    text = position.casefold()
    names = (organization.name, organization.name_ko, organization.short_name)
    return any(name and name.casefold() in text for name in names)


def staff_time(value: datetime, zone: str | ZoneInfo = "UTC") -> str:
    """The back office's one date-and-time style: 2023-11-08 09:00, 24-hour, no seconds,
    the same in both languages; in `zone` (the event's, or UTC where the page says so)."""
    return value.astimezone(_zone(zone)).strftime("%Y-%m-%d %H:%M")


def label(value: Any) -> str:
    """The interface name of an enumeration member (session kind, role, category…)."""
    # Members of two enumerations may share a spelling ("pending" is an outbox and a
    # registration status): the table of the value's own enumeration wins.
    tables: tuple[Mapping[Any, Any], ...] = ALL_LABELS
    for labels in tables:
        if value in labels and type(next(iter(labels))) is type(value):
            return str(labels[value])
    for labels in tables:
        if value in labels:
            return str(labels[value])
    return str(value)


def category_names(values: str) -> str:
    """Space-separated category values (a question's `categories`) as "Press, Government"."""
    known = {c.value: c for c in Category}
    return ", ".join(label(known[v]) for v in values.split() if v in known)


def shown_answer(question: Question, answer: Answer | None) -> str:
    """An answer to one of the event's questions (#17) as a person reads it, in the
    interface language: choices by their wording, yes/no, a country's name, a long date."""
    if answer is None:
        return "—"
    language = current_language()
    if question.kind in CHOICE_KINDS:
        return ", ".join(choice_labels(question, answer, language)) or "—"
    if question.kind is QuestionKind.YES_NO:
        return _("Yes") if answer.value == "yes" else _("No")
    if question.kind is QuestionKind.COUNTRY:
        return country_name(answer.value) or answer.value
    if question.kind is QuestionKind.DATE:
        try:
            return format_date(date.fromisoformat(answer.value), "long", locale=get_locale())
        except ValueError:
            return answer.value
    return answer.value


_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def safe_color(value: str | None) -> str:
    """A track colour fit for an SVG `fill` attribute: '#rrggbb', else a neutral grey."""
    return value if value and _HEX_COLOR.fullmatch(value) else "#6b7785"


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


def date_range(start: datetime, end: datetime, zone: str | ZoneInfo) -> str:
    """The local date, or a compact range for an event spanning several days."""
    tz = _zone(zone)
    first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    if first == last:
        return format_date(first, "full", locale=current_language())
    return format_interval(first, last, "yMMMMd", locale=current_language())


def ends_next_day(start: datetime, end: datetime, zone: str | ZoneInfo) -> bool:
    """True when a session ends on a later local date than it starts (e.g. 23:30 to 00:30)."""
    tz = _zone(zone)
    return end.astimezone(tz).date() > start.astimezone(tz).date()


def zone_label(zone: str | ZoneInfo, when: datetime | None = None) -> str:
    """The zone named for people: 'Korean Standard Time (Asia/Seoul, UTC+09:00)'."""
    tz = _zone(zone)
    local = (when or datetime.now(tz)).astimezone(tz)
    offset = local.strftime("%z")
    offset_text = f"UTC{offset[:3]}:{offset[3:]}"
    # A datetime (not the bare zone) names standard or daylight time: "Korean Standard Time".
    long_name = get_timezone_name(local, "long", locale=current_language())
    return f"{long_name} ({tz.key}, {offset_text})"


def iso(value: datetime, zone: str | ZoneInfo) -> str:
    """Machine-readable time for <time datetime=…>, with the zone's offset."""
    return value.astimezone(_zone(zone)).isoformat(timespec="minutes")


def init_app(app: Flask) -> None:
    """Expose the helpers to every template."""
    app.jinja_env.globals.update(
        current_language=current_language,
        localized=localized,
        mentions_organization=mentions_organization,
        staff_time=staff_time,
        person_name=person_name,
        text_lang=text_lang,
        lang_attr=lang_attr,
        country_name=country_name,
        label=label,
        shown_answer=shown_answer,
        category_names=category_names,
        mail_kind_label=mail_kind_label,
        local_datetime=local_datetime,
        local_date=local_date,
        local_time=local_time,
        zone_label=zone_label,
        iso=iso,
        date_range=date_range,
        ends_next_day=ends_next_day,
        safe_color=safe_color,
        host_roles=list(HostRole),
        roles=Role,
    )
