"""First come, first served: a place on a waiting list (the event's or a session's)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func

from eventapp.models import RegistrationStatus, db


def place_in_queue(row: Any, scope: Any) -> int | None:
    """`row`'s 1-based place among the waitlisted rows of its model matching `scope`.

    Ordered by `waitlisted_at`, then id; None when the row is not on the waiting list.
    """
    if row.status is not RegistrationStatus.WAITLISTED or row.waitlisted_at is None:
        return None
    model = type(row)
    ahead = db.session.scalar(
        db.select(func.count(model.id)).where(
            scope,
            model.status == RegistrationStatus.WAITLISTED,
            db.or_(
                model.waitlisted_at < row.waitlisted_at,
                db.and_(model.waitlisted_at == row.waitlisted_at, model.id < row.id),
            ),
        )
    )
    return int(ahead or 0) + 1
