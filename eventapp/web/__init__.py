"""Blueprints, one per audience, plus the response rules every page shares."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from eventapp.web import (
    admin,
    api,
    attendee,
    auth,
    badges,
    checkin,
    checkin_tables,  # noqa: F401  (its door routes join the checkin blueprint)
    delegation,
    feeds,
    outcomes,
    partnering,
    partnering_print,  # noqa: F401  (its PDF route joins the partnering blueprint)
    public,
    register,
    schedule,
    summary,
    templating,
)

# Strict: no inline script or style anywhere (STYLE.md C14).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class PlainConverter(BaseConverter):
    """A URL part (slug, token, name) without control characters: `%00` in a slug or a
    token is nothing we could have made, so it is a 404 here instead of reaching
    PostgreSQL, whose text cannot hold NUL."""

    regex = r"[^/\x00-\x1f\x7f-\x9f]+"


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint, the template helpers, security headers and error pages."""
    # Before any rule is added: `<slug>` and `<string:…>` use it from then on.
    app.url_map.converters["default"] = app.url_map.converters["string"] = PlainConverter
    for module in (
        public,
        auth,
        attendee,
        admin,
        checkin,
        api,
        register,
        schedule,
        badges,
        feeds,
        outcomes,
        summary,
        partnering,
        delegation,
    ):
        app.register_blueprint(module.bp)
    templating.init_app(app)
    app.after_request(_security_headers)
    app.register_error_handler(HTTPException, _http_error)


#: Blueprints whose pages are for staff: the back office, the door, the login.
STAFF_BLUEPRINTS = frozenset({"admin", "checkin", "auth", "outcomes"})


def _security_headers(response: Response) -> Response:
    headers = response.headers
    # Staff pages show personal data and secrets: no browser or proxy may keep a copy (a
    # shared computer's back button after logout, a proxy's cache).
    if request.blueprint in STAFF_BLUEPRINTS and response.mimetype == "text/html":
        headers["Cache-Control"] = "no-store"
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # Self-service links carry a secret: never leak it to another site.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def wants_json() -> bool:
    """API paths and JSON clients get JSON errors; browsers get a page."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not request.accept_mimetypes.accept_html


def _http_error(error: HTTPException) -> tuple[Response | str, int, list[tuple[str, str]]]:
    code = error.code or 500
    # The error's own headers that say what to do next (429's Retry-After, 405's Allow).
    headers = [(k, v) for k, v in error.get_headers() if k in {"Retry-After", "Allow"}]
    if wants_json():
        name = (error.name or "error").lower().replace(" ", "_")
        return jsonify(error=name, message=error.description), code, headers
    template = (
        f"errors/{code}.html" if code in {400, 403, 404, 405, 413, 429} else "errors/generic.html"
    )
    return render_template(template, error=error, code=code), code, headers
