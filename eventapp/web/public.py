"""Public pages: events, agenda, sessions, speakers; the language switch."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from eventapp.extensions import LOCALE_COOKIE
from eventapp.models import Event, db
from eventapp.web.auth import safe_next
from eventapp.web.lookups import published_event_or_404

bp = Blueprint("public", __name__)


@bp.get("/")
def index() -> Any:
    events = db.session.scalars(
        db.select(Event).where(Event.is_published).order_by(Event.starts_at, Event.position)
    ).all()
    return render_template("public/index.html", events=events)


@bp.get("/lang/<code>")
def switch_language(code: str) -> Any:
    """The visible language switch: remembered in a cookie for a year."""
    if code not in current_app.config["LANGUAGES"]:
        code = current_app.config["BABEL_DEFAULT_LOCALE"]
    response = redirect(safe_next(request.args.get("next")) or url_for("public.index"))
    response.set_cookie(
        LOCALE_COOKIE,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.get("/e/<slug>/")
def event(slug: str) -> Any:
    return render_template("public/event.html", event=published_event_or_404(slug))
