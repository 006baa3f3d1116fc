"""Badge forms: re-issuing a badge is a POST with nothing but its CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class ReissueBadgeForm(FlaskForm):
    #: Where to go afterwards (a same-site path; checked with `safe_next`).
    next = HiddenField()
