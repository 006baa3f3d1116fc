"""JSON API for staff tools: check-in and statistics."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from eventapp.models import Event, Role, db
from eventapp.services import stats
from eventapp.web.auth import role_required

bp = Blueprint("api", __name__)


@bp.get("/api/events/<slug>/stats")
@role_required(Role.ORGANIZER)
def event_stats(slug: str) -> Any:
    """Registration counts for organizers (published or not); 401/403 JSON otherwise."""
    event = db.one_or_404(db.select(Event).where(Event.slug == slug))
    response = jsonify(stats.registration_stats(event))
    response.headers["Cache-Control"] = "no-store"
    return response
