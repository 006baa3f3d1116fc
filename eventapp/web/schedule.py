"""Schedule exports for conference apps: `schedule.xml` (frab) and `schedule.json` (c3voc).

`?lang=ko` gives the Korean content fields and speakers' Hangul names; anything else
gives the default language. Both answer 304 from the agenda's version before any work.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from eventapp.services import schedule
from eventapp.web.caching import conditional_response
from eventapp.web.lookups import published_event_or_404

bp = Blueprint("schedule", __name__)


def _language() -> str:
    language = request.args.get("lang", "")
    return language if language in schedule.LANGUAGES else schedule.LANGUAGES[0]


@bp.get("/e/<slug>/schedule.xml")
def xml(slug: str) -> Response:
    """frab schedule XML of the event's published, not cancelled sessions."""
    event = published_event_or_404(slug)
    language = _language()
    version = schedule.export_version(event, language)
    return conditional_response(
        version,
        lambda: schedule.build_xml(
            event,
            public_url=current_app.config["PUBLIC_URL"],
            language=language,
            version=version,
        ),
        mimetype="application/xml",
        filename=f"{slug}-schedule.xml",
    )


@bp.get("/e/<slug>/schedule.json")
def json(slug: str) -> Response:
    """c3voc schedule JSON of the same content as `schedule.xml`."""
    event = published_event_or_404(slug)
    language = _language()
    version = schedule.export_version(event, language)
    return conditional_response(
        version,
        lambda: schedule.build_json(
            event,
            public_url=current_app.config["PUBLIC_URL"],
            language=language,
            version=version,
        ),
        mimetype="application/json",
        filename=f"{slug}-schedule.json",
    )
