"""What several blueprints serve from the settings: where photos live, the badge signing
keys, and a person's badge file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Response, current_app, render_template, url_for

from eventapp.builders.badge_pdf import build_badge_pdf
from eventapp.builders.badge_png import build_badge_png
from eventapp.builders.badge_svg import build_badge_svg
from eventapp.errors import BadgeUnavailable
from eventapp.models import Registration
from eventapp.services.checkin import badges


def photos_dir() -> Path:
    """Where speaker photos live: `PHOTOS_DIR` if set, else instance/photos."""
    configured = current_app.config.get("PHOTOS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "photos"


def badge_keys() -> badges.BadgeKeys:
    """Sign with SECRET_KEY; also accept badges signed with the old BADGE_SIGNING_KEYS."""
    config = current_app.config
    return badges.BadgeKeys.from_secrets(config["SECRET_KEY"], config.get("BADGE_SIGNING_KEYS"))


#: An SVG opened on its own is a document: let it use its own font rules and nothing else.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'"


def _private(response: Response, filename: str) -> Response:
    # A badge carries a person's name and a door pass: keep it out of shared caches.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def badge_response(registration: Registration, kind: str) -> Any:
    """The person's current badge as PNG, SVG or PDF, never cached; a page saying why when
    it cannot be printed."""
    try:
        data = badges.badge_data(registration, badge_keys())
    except BadgeUnavailable:
        page = render_template("badges/unavailable.html", registration=registration)
        return page, 404
    if kind == "png":
        return _private(Response(build_badge_png(data), mimetype="image/png"), "badge.png")
    if kind == "svg":
        svg = build_badge_svg(
            data,
            font_url=url_for("static", filename="fonts/NanumSquareR.ttf"),
            bold_font_url=url_for("static", filename="fonts/NanumSquareB.ttf"),
            code_font_url=url_for("static", filename="fonts/DejaVuSansMono.ttf"),
        )
        response = _private(Response(svg, mimetype="image/svg+xml"), "badge.svg")
        response.headers["Content-Security-Policy"] = SVG_POLICY
        return response
    return _private(Response(build_badge_pdf(data), mimetype="application/pdf"), "badge.pdf")
