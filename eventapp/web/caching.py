"""Conditional responses for feeds and exports: ETag / Last-Modified, 304 before any work."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, request

from eventapp.services.agenda import AgendaVersion


def conditional_response(
    version: AgendaVersion,
    build: Callable[[], bytes],
    *,
    mimetype: str,
    filename: str | None = None,
    max_age: int = 300,
) -> Response:
    """Answer 304 when the client holds `version`; otherwise call `build()` and send it."""
    response = Response(mimetype=mimetype)
    response.set_etag(version.etag)
    response.last_modified = version.last_modified
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.cache_control.must_revalidate = True
    if request.if_none_match.contains(version.etag) or (
        not request.if_none_match
        and request.if_modified_since
        and request.if_modified_since >= version.last_modified.replace(microsecond=0)
    ):
        response.status_code = 304
        return response
    response.set_data(build())
    if filename:
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
