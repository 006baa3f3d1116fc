"""Registrants seen by organizers: search and filter, edit, CSV export, the dashboard."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, exists, func, or_
from sqlalchemy.exc import IntegrityError

from eventapp.errors import DuplicateName, InvalidInput
from eventapp.models import (
    Account,
    Category,
    Event,
    Registration,
    RegistrationStatus,
    Scan,
    ScanResult,
    db,
)
from eventapp.services.accounts import normalize_email, record


@dataclass(frozen=True, slots=True)
class RegistrantFilter:
    """Which registrants to show, export or write to. Empty values mean 'any'."""

    query: str = ""
    status: RegistrationStatus | None = None
    category: Category | None = None
    country: str | None = None
    organization: str = ""
    checked_in: bool | None = None


@dataclass(frozen=True, slots=True)
class RegistrantData:
    """What an organizer may correct on a registration."""

    email: str
    given_name: str
    family_name: str = ""
    name_alt: str | None = None
    organization_name: str | None = None
    job_title: str | None = None
    country: str | None = None
    category: Category = Category.OTHER
    dietary_needs: str | None = None
    accessibility_needs: str | None = None
    locale: str = "en"


def _checked_in():
    return exists().where(
        Scan.registration_id == Registration.id, Scan.result == ScanResult.CHECKED_IN
    )


def registrants_statement(event: Event, flt: RegistrantFilter) -> Select:
    """The event's registrations matching `flt`, sorted by family name."""
    statement = (
        db.select(Registration)
        .where(Registration.event_id == event.id)
        .order_by(
            func.lower(Registration.family_name),
            func.lower(Registration.given_name),
            Registration.id,
        )
    )
    if flt.query.strip():
        q = flt.query.strip()
        statement = statement.where(
            or_(
                Registration.given_name.icontains(q, autoescape=True),
                Registration.family_name.icontains(q, autoescape=True),
                Registration.name_alt.icontains(q, autoescape=True),
                Registration.email.icontains(q, autoescape=True),
                Registration.organization_name.icontains(q, autoescape=True),
            )
        )
    if flt.status is not None:
        statement = statement.where(Registration.status == flt.status)
    if flt.category is not None:
        statement = statement.where(Registration.category == flt.category)
    if flt.country:
        statement = statement.where(Registration.country == flt.country.upper())
    if flt.organization.strip():
        statement = statement.where(
            Registration.organization_name.icontains(flt.organization.strip(), autoescape=True)
        )
    if flt.checked_in is not None:
        statement = statement.where(_checked_in() if flt.checked_in else ~_checked_in())
    return statement


def checked_in_ids(registration_ids: list[int]) -> set[int]:
    """Which of these registrations have been checked in at the door."""
    if not registration_ids:
        return set()
    rows = db.session.scalars(
        db.select(Scan.registration_id).where(
            Scan.registration_id.in_(registration_ids), Scan.result == ScanResult.CHECKED_IN
        )
    )
    return {row for row in rows if row is not None}


def update_registrant(
    registration: Registration, data: RegistrantData, *, by: Account | None
) -> Registration:
    """Correct a registrant's details. Raises InvalidInput or DuplicateName (email)."""
    values = asdict(data)
    values["email"] = normalize_email(data.email)
    if "@" not in values["email"]:
        raise InvalidInput("give an email address", field="email")
    if not data.given_name.strip():
        raise InvalidInput("a given name is required", field="given_name")
    clash = db.session.scalar(
        db.select(Registration.id).where(
            Registration.event_id == registration.event_id,
            Registration.email == values["email"],
            Registration.id != registration.id,
        )
    )
    if clash is not None:
        raise DuplicateName("someone else is registered with this email", field="email")
    changed = {}
    for name, value in values.items():
        if getattr(registration, name) != value:
            setattr(registration, name, value)
            changed[name] = str(value) if value is not None else None
    if changed:
        record(by, "registration.update", registration, changed)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise DuplicateName("someone else is registered with this email", field="email") from error
    return registration


CSV_COLUMNS = (
    "id",
    "status",
    "given_name",
    "family_name",
    "name_alt",
    "email",
    "organization_name",
    "job_title",
    "country",
    "category",
    "locale",
    "dietary_needs",
    "accessibility_needs",
    "checked_in",
    "created_at",
)


def _cell(value: object) -> str:
    """Text for a spreadsheet cell; a leading = + - @ is defused (CSV formula injection)."""
    text = "" if value is None else str(value)
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


def export_csv(event: Event, flt: RegistrantFilter) -> bytes:
    """The filtered registrants as CSV: UTF-8 with a BOM so Excel reads Hangul correctly."""
    registrations = db.session.scalars(registrants_statement(event, flt)).all()
    checked = checked_in_ids([r.id for r in registrations])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in registrations:
        row = [getattr(r, name, None) for name in CSV_COLUMNS]
        row[CSV_COLUMNS.index("checked_in")] = "yes" if r.id in checked else "no"
        row[CSV_COLUMNS.index("created_at")] = r.created_at.astimezone(event.zone).isoformat(
            timespec="minutes"
        )
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    count: int
    total: int  # cumulative up to and including this day


@dataclass(frozen=True, slots=True)
class Dashboard:
    by_status: dict[str, int]
    by_category: dict[str, int]
    checked_in: int
    capacity: int | None
    days: list[DayCount] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def dashboard(event: Event) -> Dashboard:
    """Counts by status and category, check-ins, and registrations per day (event's zone)."""
    rows = db.session.execute(
        db.select(Registration.status, Registration.category, Registration.created_at).where(
            Registration.event_id == event.id
        )
    ).all()
    by_status = {s.value: 0 for s in RegistrationStatus}
    by_category: Counter[str] = Counter()
    per_day: Counter[date] = Counter()
    for status, category, created_at in rows:
        by_status[status.value] += 1
        by_category[category.value] += 1
        per_day[created_at.astimezone(event.zone).date()] += 1
    checked = db.session.scalar(
        db.select(func.count(func.distinct(Scan.registration_id))).where(
            Scan.event_id == event.id, Scan.result == ScanResult.CHECKED_IN
        )
    )
    return Dashboard(
        by_status=by_status,
        by_category=dict(sorted(by_category.items())),
        checked_in=checked or 0,
        capacity=event.capacity,
        days=_daily_series(per_day),
    )


def _daily_series(per_day: Counter[date]) -> list[DayCount]:
    """Every day from the first registration to the last, gaps filled with zero."""
    if not per_day:
        return []
    day, last = min(per_day), max(per_day)
    series, total = [], 0
    while day <= last:
        total += per_day[day]
        series.append(DayCount(day=day, count=per_day[day], total=total))
        day += timedelta(days=1)
    return series[-120:]  # a readable chart: the last four months at most


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: date
    count: int
    total: int


def chart_bars(days: list[DayCount], *, width: int = 640, height: int = 200) -> list[Bar]:
    """Geometry of the daily-registrations bar chart (pure arithmetic for the SVG template)."""
    if not days:
        return []
    peak = max(d.count for d in days) or 1
    slot = width / len(days)
    bars = []
    for index, d in enumerate(days):
        bar_height = height * d.count / peak
        bars.append(
            Bar(
                x=round(index * slot + slot * 0.1, 2),
                y=round(height - bar_height, 2),
                width=round(max(slot * 0.8, 1), 2),
                height=round(bar_height, 2),
                day=d.day,
                count=d.count,
                total=d.total,
            )
        )
    return bars
