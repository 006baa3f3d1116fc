"""Forms of the attendee's self-service pages (/me/<token>)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from eventapp.web.forms.registration import PersonForm, SessionChoiceField


class DetailsForm(PersonForm):
    """Change one's details; the email stays (it identifies the registration)."""


class SessionsForm(FlaskForm):
    sessions = SessionChoiceField(_l("Sessions"), coerce=int, choices=[])


class ConfirmForm(FlaskForm):
    """A confirmation step (cancel, delete): only the CSRF token."""
