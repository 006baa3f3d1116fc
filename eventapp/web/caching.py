"""Conditional responses for feeds and exports: ETag / Last-Modified, 304 before any work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Response, request
from werkzeug.datastructures import ETags

from eventapp.services.agenda import AgendaVersion


def conditional_response(
    version: AgendaVersion,
    build: Callable[[], bytes],
    *,
    mimetype: str,
    filename: str | None = None,
) -> Response:
    """Answer 304 when the client holds `version`; otherwise call `build()` and send it.

    `no-cache`: a browser or proxy may keep the copy but asks again (a 304 is cheap) before
    each use, so an unpublished or cancelled session never lingers in a cache for minutes.
    """
    response = Response(mimetype=mimetype)
    response.set_etag(version.etag)
    response.last_modified = version.last_modified
    response.cache_control.public = True
    response.cache_control.no_cache = True
    if is_not_modified(
        request.if_none_match, request.if_modified_since, version.etag, version.last_modified
    ):
        response.status_code = 304
        return response
    response.set_data(build())
    if filename:
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def is_not_modified(
    if_none_match: ETags,
    if_modified_since: datetime | None,
    etag: str | None,
    last_modified: datetime | None,
) -> bool:
    """True when the client's copy is current: If-None-Match decides when it is sent, else
    If-Modified-Since (RFC 9110 §13.2.2). The page cache applies the same rule."""
    if if_none_match:
        return etag is not None and if_none_match.contains(etag)
    return bool(
        if_modified_since
        and last_modified
        and if_modified_since >= last_modified.replace(microsecond=0)
    )
