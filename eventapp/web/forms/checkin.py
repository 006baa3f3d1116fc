"""Door forms: checking someone in by hand is a POST with its CSRF token and the scanner's
place (the session and door it works at), as the scanner page has them."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput


class CheckinByHandForm(FlaskForm):
    #: The session scanned at (none: the event door).
    session = IntegerField(widget=HiddenInput(), validators=[Optional()])
    location = HiddenField(validators=[Optional(), Length(max=120)])
    #: Where to go afterwards (a same-site path; checked with `safe_next`).
    next = HiddenField()
