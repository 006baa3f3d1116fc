"""The per-event dashboard: counts by status and category, check-ins, and the chart of
registrations over time (its geometry computed here; the template draws the SVG)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func

from eventapp.models import (
    AgendaSession,
    Event,
    Registration,
    RegistrationStatus,
    Scan,
    ScanResult,
    SessionSignup,
    db,
)


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
        sessions=session_seats(event),
    )


def session_seats(event: Event) -> list[SessionSeats]:
    """Confirmed and waitlisted sign-ups of each of the event's sessions with a capacity."""
    sessions = db.session.scalars(
        db.select(AgendaSession)
        .where(AgendaSession.event_id == event.id, AgendaSession.capacity.is_not(None))
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).all()
    counts = Counter(
        (session_id, status)
        for session_id, status in db.session.execute(
            db.select(SessionSignup.session_id, SessionSignup.status)
            .join(Registration, Registration.id == SessionSignup.registration_id)
            .where(
                SessionSignup.session_id.in_([s.id for s in sessions]),
                Registration.status != RegistrationStatus.CANCELLED,
            )
        )
    )
    return [
        SessionSeats(
            session=s,
            confirmed=counts[(s.id, RegistrationStatus.CONFIRMED)],
            waitlisted=counts[(s.id, RegistrationStatus.WAITLISTED)],
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
