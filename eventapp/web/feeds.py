"""Calendar feeds: the public agenda, one session, and an attendee's personal feed.

Every feed answers 304 to a client that already holds the current version (ETag and
Last-Modified come from the agenda's fingerprint), so subscribed calendars poll cheaply.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, request, url_for
from flask_babel import get_locale

from eventapp.languages import normalize_language
from eventapp.links import public_url
from eventapp.models import AgendaSession, Event
from eventapp.services import calendar
from eventapp.web.caching import conditional_response
from eventapp.web.lookups import (
    published_event_or_404,
    published_session_or_404,
    registration_or_404,
)
from eventapp.web.pagecache import cached_page

bp = Blueprint("feeds", __name__)

MIMETYPE = "text/calendar"


@bp.app_template_global()
def calendar_links(event: Event, session: AgendaSession | None = None) -> dict[str, str]:
    """Links for templates: `download` (a local path) and `subscribe` (webcal:// under
    PUBLIC_URL, which calendar apps open as a subscription), for the agenda or one session."""
    language = normalize_language(request.args.get("lang") or _interface_language())
    lang = language if language != "en" else None
    if session is None:
        values: dict[str, Any] = {"slug": event.slug, "lang": lang}
        endpoint = "feeds.agenda"
    else:
        values = {"slug": event.slug, "session_id": session.id, "lang": lang}
        endpoint = "feeds.session"
    path = url_for(endpoint, **values)
    absolute = public_url(endpoint, **values)
    return {"download": path, "subscribe": "webcal://" + absolute.split("://", 1)[-1]}


def _interface_language() -> str:
    locale = get_locale()
    return locale.language if locale else "en"


def _language() -> str:
    """Public feeds are English unless `?lang=ko` asks for Korean."""
    return normalize_language(request.args.get("lang"))


@bp.get("/e/<slug>/agenda.ics")
@cached_page
def agenda(slug: str) -> Any:
    """The published agenda, subscribable (METHOD:PUBLISH)."""
    event = published_event_or_404(slug)
    language = _language()
    return conditional_response(
        calendar.feed_version(event, language=language),
        lambda: calendar.agenda_feed(event, language=language),
        mimetype=MIMETYPE,
        filename=f"{event.slug}.ics",
    )


@bp.get("/e/<slug>/sessions/<int:session_id>.ics")
@cached_page
def session(slug: str, session_id: int) -> Any:
    """One published session as a calendar file."""
    event = published_event_or_404(slug)
    agenda_session = published_session_or_404(event, session_id)
    language = _language()
    return conditional_response(
        calendar.feed_version(event, language=language, scope=f"session-{agenda_session.id}"),
        lambda: calendar.session_feed(agenda_session, language=language),
        mimetype=MIMETYPE,
        filename=f"{event.slug}-session-{agenda_session.id}.ics",
    )


@bp.get("/me/<token>/agenda.ics")
def personal(token: str) -> Any:
    """The attendee's own calendar (the event and their seats), by the secret link."""
    registration = registration_or_404(token)
    if not registration.event.is_published:
        abort(404)
    response = conditional_response(
        calendar.personal_version(registration),
        lambda: calendar.personal_feed(registration),
        mimetype=MIMETYPE,
        filename=f"{registration.event.slug}-my-agenda.ics",
    )
    # The URL is a secret: shared caches must not keep a copy.
    response.cache_control.public = False
    response.cache_control.private = True
    return response
