"""`*_or_404` lookups shared by the blueprints (STYLE.md C18: they live only in web/)."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_login import current_user

from eventapp.extensions import REGISTRANT_LANGUAGE
from eventapp.models import AgendaSession, Event, Registration, db
from eventapp.services import agenda
from eventapp.services import registration as registrations
from eventapp.services.accounts import teams


def published_event_or_404(slug: str, *, with_hosts: bool = False) -> Event:
    """The published event with this slug (its venue loaded, and its hosts when asked), or
    a 404 page."""
    event = agenda.published_event(slug, with_hosts=with_hosts)
    if event is None:
        abort(404)
    return event


def published_session_or_404(event: Event, session_id: int) -> AgendaSession:
    """A published session of `event`, or a 404 page."""
    return db.one_or_404(
        db.select(AgendaSession).where(
            AgendaSession.id == session_id,
            AgendaSession.event_id == event.id,
            AgendaSession.is_published,
        )
    )


def registration_or_404(token: str) -> Registration:
    """The registration whose self-service token this is; otherwise 404, saying how to get
    the link again. Its pages speak the language the person registered in, unless they
    chose another (the language cookie)."""
    registration = registrations.find_by_manage_token(token)
    if registration is None:
        from eventapp.web import wants_json  # the package imports this module

        if wants_json():
            abort(404)
        page = render_template("attendee/unknown_link.html", code=404)
        abort(Response(page, status=404, headers={"Cache-Control": "no-store"}))
    request.environ[REGISTRANT_LANGUAGE] = registration.locale
    return registration


def staff_event_or_404(slug: str) -> Event:
    """Any event (published or not) by slug, if the logged-in staff account acts on it (its
    team's, or any for an admin: `teams.can_act_on`); otherwise 404, as if it did not exist."""
    event = db.one_or_404(db.select(Event).where(Event.slug == slug))
    acts_on_or_404(event.id)
    return event


def acts_on_or_404(event_id: int | None) -> None:
    """404 unless the logged-in account acts on the event `event_id` (a registration's,
    a message's…); something of no event (None) is for admins only."""
    account = current_user._get_current_object()
    allowed = current_user.is_authenticated and (
        teams.sees_every_event(account) if event_id is None else teams.can_act_on(account, event_id)
    )
    if not allowed:
        abort(404)
