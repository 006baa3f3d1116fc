"""A short-lived cache of public pages and feeds for anonymous visitors ("micro-caching").

Public pages are the same for every anonymous visitor in one language, and the agenda
changes rarely, so each worker process keeps the rendered HTML for `PAGE_CACHE_SECONDS`
(default 5). No other worker depends on it: at worst a visitor sees a change a few seconds
late. Anyone with a session cookie (staff, someone with a flash message or a form in
progress) always gets a fresh page, so organizers see their edits at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Response, current_app, make_response, request
from werkzeug.http import unquote_etag

from eventapp.extensions import select_locale

#: Entries kept per process; the cache is emptied when it would grow past this.
MAX_ENTRIES = 512


#: Headers a 304 repeats (RFC 9110 §15.4.5), without the body's own.
_KEPT_ON_304 = frozenset({"etag", "last-modified", "cache-control", "vary", "expires"})
#: Headers that belong to one answer only and are never replayed from the cache.
_NOT_REPLAYED = frozenset({"set-cookie", "content-length", "date"})


@dataclass(frozen=True, slots=True)
class _Entry:
    expires: float
    body: bytes
    headers: tuple[tuple[str, str], ...]


def _store() -> dict[tuple[str, str], _Entry]:
    return current_app.extensions.setdefault("eventapp_page_cache", {})


def _cacheable_request() -> bool:
    ttl = current_app.config.get("PAGE_CACHE_SECONDS", 0)
    session_cookie = current_app.config.get("SESSION_COOKIE_NAME", "session")
    return ttl > 0 and request.method == "GET" and session_cookie not in request.cookies


def cached_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve the view's 200 answer from the cache for anonymous GETs; else call the view."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not _cacheable_request():
            return view(*args, **kwargs)
        # The language the page will be rendered in, chosen as Flask-Babel will choose it.
        key = (request.full_path, select_locale())
        store = _store()
        now = time.monotonic()
        entry = store.get(key)
        if entry is not None and entry.expires > now:
            # A cached feed keeps its ETag, so a polling client still gets its 304.
            etag = next((value for name, value in entry.headers if name.lower() == "etag"), None)
            if etag and request.if_none_match.contains(unquote_etag(etag)[0]):
                kept = [(n, v) for n, v in entry.headers if n.lower() in _KEPT_ON_304]
                return Response(status=304, headers=kept)
            return Response(entry.body, headers=list(entry.headers))
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not response.direct_passthrough:
            if len(store) >= MAX_ENTRIES:
                store.clear()
            ttl = current_app.config["PAGE_CACHE_SECONDS"]
            headers = tuple(
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in _NOT_REPLAYED
            )
            store[key] = _Entry(now + ttl, response.get_data(), headers)
        return response

    return wrapper
