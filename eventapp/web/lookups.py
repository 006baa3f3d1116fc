"""`*_or_404` lookups shared by the blueprints (STYLE.md C18: they live only in web/)."""

from __future__ import annotations

from flask import abort

from eventapp.models import AgendaSession, Event, Registration, db
from eventapp.services import agenda
from eventapp.services import registration as registrations


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
    """The registration whose self-service token this is; 404 otherwise, with no hint why."""
    registration = registrations.find_by_manage_token(token)
    if registration is None:
        abort(404)
    return registration
