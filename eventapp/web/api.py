"""JSON API for staff tools: check-in and statistics."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from eventapp.models import Role
from eventapp.services.reports import stats
from eventapp.web.access import role_required
from eventapp.web.lookups import staff_event_or_404

bp = Blueprint("api", __name__)


@bp.get("/api/events/<slug>/stats")
@role_required(Role.ORGANIZER)
def event_stats(slug: str) -> Any:
    """Registration counts for organizers (published or not); 401/403 JSON otherwise."""
    event = staff_event_or_404(slug)
    response = jsonify(stats.registration_stats(event))
    response.headers["Cache-Control"] = "no-store"
    return response
