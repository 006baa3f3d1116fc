"""Registration statistics for organizers: counts only, computed by the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func

from eventapp.models import (
    AgendaSession,
    Category,
    Event,
    Registration,
    RegistrationStatus,
    Scan,
    ScanResult,
    SessionSignup,
    db,
)


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
    checked_in = db.session.scalar(
        db.select(func.count(func.distinct(Scan.registration_id))).where(
            Scan.event_id == event.id,
            Scan.session_id.is_(None),
            Scan.result == ScanResult.CHECKED_IN,
        )
    )
    return {
        "event": event.slug,
        "capacity": event.capacity,
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_category": by_category,
        # Confirmed and waitlisted registrations per ISO country code ("" when not given).
        "by_country": by_country,
        "waiting_list": by_status[RegistrationStatus.WAITLISTED.value],
        "checked_in": int(checked_in or 0),
        "sessions": _session_stats(event),
    }


def _session_stats(event: Event) -> list[dict[str, Any]]:
    sessions = db.session.scalars(
        db.select(AgendaSession)
        .where(AgendaSession.event_id == event.id, AgendaSession.capacity.is_not(None))
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).all()
    ids = [s.id for s in sessions]
    signups: dict[tuple[int, str], int] = {}
    checkins: dict[int, int] = {}
    if ids:
        for session_id, status, count in db.session.execute(
            db.select(SessionSignup.session_id, SessionSignup.status, func.count(SessionSignup.id))
            .where(SessionSignup.session_id.in_(ids))
            .group_by(SessionSignup.session_id, SessionSignup.status)
        ):
            signups[(session_id, status.value)] = count
        for session_id, count in db.session.execute(
            db.select(Scan.session_id, func.count(func.distinct(Scan.registration_id)))
            .where(Scan.session_id.in_(ids), Scan.result == ScanResult.CHECKED_IN)
            .group_by(Scan.session_id)
        ):
            checkins[session_id] = count
    return [
        {
            "id": s.id,
            "title": s.title,
            "starts_at": s.starts_at.isoformat(),
            "capacity": s.capacity,
            "confirmed": signups.get((s.id, "confirmed"), 0),
            "waiting_list": signups.get((s.id, "waitlisted"), 0),
            "checked_in": checkins.get(s.id, 0),
        }
        for s in sessions
    ]
