"""The door: the check-in scanner page for staff."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from eventapp.models import Role
from eventapp.web.auth import role_required

bp = Blueprint("checkin", __name__)


@bp.get("/checkin")
@role_required(Role.CHECKIN)
def scan() -> Any:
    return render_template("checkin/scan.html")
