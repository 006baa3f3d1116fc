"""Badges: the attendee's own badge by the secret link (organizers print them from
`admin/badges.py`)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from eventapp.web.lookups import registration_or_404
from eventapp.web.resources import badge_response

bp = Blueprint("badges", __name__)


def _badge(token: str, kind: str) -> Any:
    return badge_response(registration_or_404(token), kind)


@bp.get("/me/<token>/badge.png")
def badge_png(token: str) -> Any:
    return _badge(token, "png")


@bp.get("/me/<token>/badge.svg")
def badge_svg(token: str) -> Any:
    return _badge(token, "svg")


@bp.get("/me/<token>/badge.pdf")
def badge_pdf(token: str) -> Any:
    return _badge(token, "pdf")
