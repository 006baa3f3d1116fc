"""A short-lived cache of public pages and feeds for anonymous visitors ("micro-caching").

Public pages are the same for every anonymous visitor in one language, and the agenda
changes rarely, so each worker process keeps the answers for `PAGE_CACHE_SECONDS`
(default 5). No other worker depends on it: at worst a visitor sees a change a few seconds
late. Anyone with a session or remember-me cookie (staff, someone with a flash message or
a form in progress) always gets a fresh page, so organizers see their edits at once.

The cache is WSGI middleware in front of Flask. It keeps the final answer, with every
header the app's hooks added (security headers, Vary), and replays it before a request
context exists: a hit costs none of the per-request work of locale selection, login,
CSRF or the hooks, which was most of the time of a cached page. Views opt in with
`@cached_page`; an answer that sets a cookie is someone's own and is never kept.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import TYPE_CHECKING, Any

from flask import Flask, request
from werkzeug.http import is_entity_header, parse_cookie, parse_date, parse_etags, unquote_etag

from eventapp.extensions import LOCALE_COOKIE, choose_language
from eventapp.web.caching import is_not_modified

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

#: Answers kept per process, and the bytes they may hold (a feed of 1,000 sessions is about
#: 1 MB). Past either, the oldest answers go first: expired ones, then by age. Without the
#: byte bound, feeds asked for with 512 different query strings held 512 MB per worker.
MAX_ENTRIES = 512
MAX_BYTES = 32 * 1024 * 1024
#: A larger answer is passed on, not kept.
MAX_BODY_BYTES = MAX_BYTES // 4
#: What an entry costs besides its body (headers, key, bookkeeping), roughly.
ENTRY_OVERHEAD = 1024
#: Set in the WSGI environ by `@cached_page`: the view's answer may be kept.
CACHEABLE = "eventapp.page_cache"

#: Key: scheme (HSTS depends on it), host, path, query string, interface language.
_Key = tuple[str, str, str, str, str]
_Headers = list[tuple[str, str]]


def cached_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let the page cache keep this view's 200 answer (or its 304 to a conditional GET)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        request.environ[CACHEABLE] = True
        return view(*args, **kwargs)

    return wrapper


@dataclass(frozen=True, slots=True)
class _Entry:
    expires: float
    #: The validators of the representation, unquoted ETag and Last-Modified.
    etag: str | None
    last_modified: datetime | None
    #: Headers of the 304 answer to a client that holds the current version.
    not_modified: _Headers
    #: The 200 answer; None when only a 304 was seen (polling clients send If-None-Match).
    status: str | None = None
    headers: _Headers | None = None
    body: bytes | None = None


class PageCache:
    """The middleware: answers cached pages itself, passes everything else to `wsgi_app`."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        #: Oldest first (insertion order): eviction takes from the front.
        self.entries: dict[_Key, _Entry] = {}
        #: What the entries cost, in bytes (`_cost`).
        self.size = 0
        self._lock = threading.Lock()  # threaded workers share one cache

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        ttl = self.app.config.get("PAGE_CACHE_SECONDS", 0)
        key = self._key(environ) if ttl > 0 else None
        if key is None:
            return self.wsgi_app(environ, start_response)
        now = time.monotonic()
        entry = self.entries.get(key)
        if entry is not None and entry.expires > now:
            if is_not_modified(
                parse_etags(environ.get("HTTP_IF_NONE_MATCH")),
                parse_date(environ.get("HTTP_IF_MODIFIED_SINCE")),
                entry.etag,
                entry.last_modified,
            ):
                start_response("304 NOT MODIFIED", list(entry.not_modified))
                return []
            if entry.body is not None and entry.status and entry.headers is not None:
                start_response(entry.status, list(entry.headers))
                return [entry.body]
        return self._fill(key, now + ttl, environ, start_response)

    def clear(self) -> None:
        """Forget every kept answer."""
        with self._lock:
            self.entries.clear()
            self.size = 0

    def _store(self, key: _Key, entry: _Entry, now: float) -> None:
        """Keep `entry`, making room within MAX_ENTRIES and MAX_BYTES."""
        cost = _cost(entry)
        with self._lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= _cost(old)
            if len(self.entries) >= MAX_ENTRIES or self.size + cost > MAX_BYTES:
                for stale in [k for k, e in self.entries.items() if e.expires <= now]:
                    self.size -= _cost(self.entries.pop(stale))
            while self.entries and (
                len(self.entries) >= MAX_ENTRIES or self.size + cost > MAX_BYTES
            ):
                self.size -= _cost(self.entries.pop(next(iter(self.entries))))
            self.entries[key] = entry
            self.size += cost

    def _key(self, environ: WSGIEnvironment) -> _Key | None:
        """The cache key of an anonymous GET, or None when the request must reach the app."""
        if environ.get("REQUEST_METHOD") != "GET" or "HTTP_AUTHORIZATION" in environ:
            return None
        language_cookie = None
        if "HTTP_COOKIE" in environ:
            cookies = parse_cookie(environ)
            config = self.app.config
            for name in (
                config.get("SESSION_COOKIE_NAME", "session"),
                config.get("REMEMBER_COOKIE_NAME", "remember_token"),
            ):
                if name in cookies:
                    return None
            language_cookie = cookies.get(LOCALE_COOKIE)
        # The language the page will be rendered in, chosen as Flask-Babel will choose it.
        language = choose_language(
            language_cookie, environ.get("HTTP_ACCEPT_LANGUAGE"), self.app.config["LANGUAGES"]
        )
        return (
            environ.get("wsgi.url_scheme", "http"),
            environ.get("HTTP_HOST", ""),
            environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            language,
        )

    def _fill(
        self, key: _Key, expires: float, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        """Ask the app, and keep its answer when the view allowed it and it is anyone's."""
        seen: list[tuple[str, _Headers]] = []

        def capture(status: str, headers: _Headers, exc_info: Any = None) -> Any:
            seen.append((status, headers))
            return start_response(status, headers, exc_info)

        answer = self.wsgi_app(environ, capture)
        if not environ.get(CACHEABLE) or not seen:
            return answer
        status, headers = seen[-1]
        if not status.startswith(("200 ", "304 ")) or any(
            name.lower() == "set-cookie" for name, _ in headers
        ):
            return answer
        try:
            body = b"".join(answer)
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        if len(body) <= MAX_BODY_BYTES:
            self._store(key, _entry(expires, status, headers, body), time.monotonic())
        return [body]


def _cost(entry: _Entry) -> int:
    return ENTRY_OVERHEAD + len(entry.body or b"")


def _entry(expires: float, status: str, headers: _Headers, body: bytes) -> _Entry:
    """An entry from one answer of the app: a whole 200, or the 304 alone."""
    etag = next((value for name, value in headers if name.lower() == "etag"), None)
    modified = next((value for name, value in headers if name.lower() == "last-modified"), None)
    unquoted = unquote_etag(etag)[0] if etag else None
    last_modified = parse_date(modified)
    if status.startswith("304 "):
        return _Entry(expires, unquoted, last_modified, not_modified=list(headers))
    return _Entry(
        expires,
        unquoted,
        last_modified,
        not_modified=_not_modified_headers(headers),
        status=status,
        headers=list(headers),
        body=body,
    )


def _not_modified_headers(headers: _Headers) -> _Headers:
    """The headers the app's own 304 carries: the 200's, less those describing the body.

    Werkzeug drops entity headers from every 304 (keeping Expires and Content-Location), and
    our conditional responses add Content-Disposition only to a 200.
    """
    return [
        (name, value)
        for name, value in headers
        if name.lower() != "content-disposition"
        and (not is_entity_header(name) or name.lower() in {"expires", "content-location"})
    ]
