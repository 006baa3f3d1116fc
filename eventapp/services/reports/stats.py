"""Registration statistics for organizers, computed by the database: the stats API's
counts and the per-event dashboard (with the geometry of its chart of registrations over
time; the template draws the SVG). Check-ins are counted by `services.attendance`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func

from eventapp.models import (
    AgendaSession,
    Category,
    Event,
    Registration,
    RegistrationStatus,
    SessionSignup,
    db,
)
from eventapp.services.checkin.attendance import checked_in_by_session, checked_in_count


def registration_stats(event: Event) -> dict[str, Any]:
    """Counts by status, category and country, the waiting list, check-ins, and per session
    with seats.

    Every status and category appears (0 when none), so clients need no defaults.
    """
    by_status = dict.fromkeys((s.value for s in RegistrationStatus), 0)
    by_category = {c.value: dict(by_status) for c in Category}
    rows = db.session.execute(
        db.select(Registration.category, Registration.status, func.count(Registration.id))
        .where(Registration.event_id == event.id)
        .group_by(Registration.category, Registration.status)
    ).all()
    for category, status, count in rows:
        by_status[status.value] += count
        by_category[category.value][status.value] += count
    by_country: dict[str, int] = {}
    for country, count in db.session.execute(
        db.select(Registration.country, func.count(Registration.id))
        .where(
            Registration.event_id == event.id,
            Registration.status != RegistrationStatus.CANCELLED,
        )
        .group_by(Registration.country)
    ):
        by_country[country or ""] = by_country.get(country or "", 0) + count
    checked_in = checked_in_by_session(event)
    return {
        "event": event.slug,
        "capacity": event.capacity,
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_category": by_category,
        # Confirmed and waitlisted registrations per ISO country code ("" when not given).
        "by_country": by_country,
        "waiting_list": by_status[RegistrationStatus.WAITLISTED.value],
        "checked_in": checked_in_count(event),
        "sessions": [
            {
                "id": seats.session.id,
                "title": seats.session.title,
                "starts_at": seats.session.starts_at.isoformat(),
                "capacity": seats.session.capacity,
                "confirmed": seats.confirmed,
                "waiting_list": seats.waitlisted,
                "checked_in": checked_in.get(seats.session.id, 0),
            }
            for seats in session_seats(event)
        ],
    }


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    count: int
    total: int  # cumulative up to and including this day


@dataclass(frozen=True, slots=True)
class SessionSeats:
    """Sign-ups of one session that has a capacity."""

    session: AgendaSession
    confirmed: int
    waitlisted: int


@dataclass(frozen=True, slots=True)
class Dashboard:
    by_status: dict[str, int]
    by_category: dict[str, int]
    checked_in: int
    capacity: int | None
    days: list[DayCount] = field(default_factory=list)
    sessions: list[SessionSeats] = field(default_factory=list)

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
    return Dashboard(
        by_status=by_status,
        by_category=dict(sorted(by_category.items())),
        checked_in=checked_in_count(event),
        capacity=event.capacity,
        days=_daily_series(per_day),
        sessions=session_seats(event),
    )


def session_seats(event: Event) -> list[SessionSeats]:
    """Confirmed and waitlisted sign-ups of each of the event's sessions with a capacity."""
    sessions = db.session.scalars(
        db.select(AgendaSession)
        .where(AgendaSession.event_id == event.id, AgendaSession.capacity.is_not(None))
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).all()
    counts: dict[tuple[int, RegistrationStatus], int] = {}
    if sessions:
        rows = db.session.execute(
            db.select(SessionSignup.session_id, SessionSignup.status, func.count(SessionSignup.id))
            .join(Registration, Registration.id == SessionSignup.registration_id)
            .where(
                SessionSignup.session_id.in_([s.id for s in sessions]),
                Registration.status != RegistrationStatus.CANCELLED,
            )
            .group_by(SessionSignup.session_id, SessionSignup.status)
        )
        counts = {(session_id, status): count for session_id, status, count in rows}
    return [
        SessionSeats(
            session=s,
            confirmed=counts.get((s.id, RegistrationStatus.CONFIRMED), 0),
            waitlisted=counts.get((s.id, RegistrationStatus.WAITLISTED), 0),
        )
        for s in sessions
    ]


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


#: The fewest slots the chart is divided into, however few days it shows.
MIN_SLOTS = 14


def chart_bars(days: list[DayCount], *, width: int = 640, height: int = 200) -> list[Bar]:
    """Geometry of the daily-registrations bar chart (pure arithmetic for the SVG template)."""
    if not days:
        return []
    peak = max(d.count for d in days) or 1
    # At least MIN_SLOTS slots: one day of data is a bar, not a 500-pixel slab.
    slot = width / max(len(days), MIN_SLOTS)
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
