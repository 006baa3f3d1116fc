"""Schedule exports for conference apps: `schedule.xml` (frab) and `schedule.json` (c3voc).

`?lang=ko` gives the Korean content fields and speakers' Hangul names; anything else
gives the default language. Both answer 304 from the agenda's version before any work.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, request

from eventapp.languages import LANGUAGES
from eventapp.services.agenda import schedule
from eventapp.web.caching import conditional_response
from eventapp.web.lookups import published_event_or_404
from eventapp.web.pagecache import cached_page

bp = Blueprint("schedule", __name__)


def _language() -> str:
    language = request.args.get("lang", "")
    return language if language in LANGUAGES else LANGUAGES[0]


@bp.get("/e/<slug>/schedule.xml")
@cached_page
def xml(slug: str) -> Response:
    """frab schedule XML of the event's published, not cancelled sessions."""
    return _export(slug, schedule.build_xml, "application/xml", "xml")


@bp.get("/e/<slug>/schedule.json")
@cached_page
def json(slug: str) -> Response:
    """c3voc schedule JSON of the same content as `schedule.xml`."""
    return _export(slug, schedule.build_json, "application/json", "json")


def _export(slug: str, build: Callable[..., bytes], mimetype: str, extension: str) -> Response:
    event = published_event_or_404(slug)
    language = _language()
    version = schedule.export_version(event, language)
    return conditional_response(
        version,
        lambda: build(event, language=language, version=version),
        mimetype=mimetype,
        filename=f"{slug}-schedule.{extension}",
    )
