"""The organizer back office under /admin."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from eventapp.models import Event, Role, db
from eventapp.web.auth import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@role_required(Role.ORGANIZER)
def index() -> Any:
    events = db.session.scalars(db.select(Event).order_by(Event.starts_at, Event.position)).all()
    return render_template("admin/index.html", events=events)
