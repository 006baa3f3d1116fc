"""Public pages: events, agenda, sessions, speakers; the language switch."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from eventapp.extensions import LOCALE_COOKIE
from eventapp.models import AgendaSession, Event, Speaker
from eventapp.services import agenda as agenda_service
from eventapp.services.registration import availability
from eventapp.services.setup import speakers as speaker_service
from eventapp.web.access import safe_next
from eventapp.web.lookups import published_event_or_404
from eventapp.web.pagecache import cached_page
from eventapp.web.resources import photos_dir
from eventapp.web.templating import current_language

bp = Blueprint("public", __name__)

#: Edge of the photo on speaker pages, in pixels (one of `speakers.PHOTO_SIZES`).
PHOTO_SIZE = 512


def _session_or_404(event: Event, session_id: int) -> AgendaSession:
    found = agenda_service.published_session(event, session_id)
    if found is None:
        abort(404)
    return found


def _speaker_or_404(event: Event, speaker_id: int) -> Speaker:
    speaker = agenda_service.event_speaker(event, speaker_id)
    if speaker is None:
        abort(404)
    return speaker


@bp.after_request
def _vary_by_language(response: Response) -> Response:
    """The language comes from a cookie or Accept-Language: caches must keep them apart."""
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


@bp.get("/")
@cached_page
def index() -> Any:
    """Published events, soonest first."""
    events = agenda_service.published_events()
    return render_template(
        "public/index.html", events=events, availability=availability.events_availability(events)
    )


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
@cached_page
def event(slug: str) -> Any:
    """The event page: titles, date and times in the event's zone, venue, hosts, links."""
    found = published_event_or_404(slug, with_hosts=True)
    return render_template(
        "public/event.html", event=found, availability=availability.event_availability(found)
    )


@bp.get("/e/<slug>/agenda")
@cached_page
def agenda(slug: str) -> Any:
    """The agenda grouped by local day; cancelled sessions stay, marked as such."""
    event = published_event_or_404(slug)
    days = agenda_service.group_by_day(agenda_service.published_sessions(event), event.timezone)
    return render_template("public/agenda.html", event=event, days=days)


@bp.get("/e/<slug>/sessions/<int:session_id>")
@cached_page
def session(slug: str, session_id: int) -> Any:
    """One published session with its description, place and speakers."""
    event = published_event_or_404(slug)
    found = _session_or_404(event, session_id)
    seats = availability.session_availability(found)
    return render_template("public/session.html", event=event, session=found, seats=seats)


@bp.get("/e/<slug>/speakers")
@cached_page
def speakers(slug: str) -> Any:
    """Speakers with a published session in this event, by family name."""
    event = published_event_or_404(slug)
    return render_template(
        "public/speakers.html",
        event=event,
        speakers=agenda_service.event_speakers(event, current_language()),
    )


@bp.get("/e/<slug>/speakers/<int:speaker_id>")
@cached_page
def speaker(slug: str, speaker_id: int) -> Any:
    """One speaker's profile and their sessions in this event (404 if not in it)."""
    event = published_event_or_404(slug)
    person = _speaker_or_404(event, speaker_id)
    sessions = agenda_service.speaker_sessions(event, person)
    return render_template("public/speaker.html", event=event, speaker=person, sessions=sessions)


@bp.get("/e/<slug>/speakers/<int:speaker_id>/photo")
def speaker_photo(slug: str, speaker_id: int) -> Any:
    """The speaker's photo, resized for the page (stored by the back office)."""
    person = _speaker_or_404(published_event_or_404(slug), speaker_id)
    path = speaker_service.photo_path(person, PHOTO_SIZE, photos_dir=photos_dir())
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/jpeg")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
