"""What a page shows when a service refuses a change: the reason next to the field it
names, or at the top of the page."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from eventapp.errors import DomainError
from eventapp.models import db

#: Errors raised by services outside this area that do not name their field.
_FIELD_BY_CODE = {"account_exists": "email"}


def show_error(form: FlaskForm | None, error: DomainError) -> None:
    """Put a service's refusal next to the field it names, or at the top of the page.

    Rolls the database session back first: a refused change must not be flushed later by
    the page that shows the refusal (services raise before committing).
    """
    db.session.rollback()
    field_name = error.details.get("field") or _FIELD_BY_CODE.get(error.code)
    field = getattr(form, str(field_name), None) if form is not None and field_name else None
    message = _("Not saved: %(reason)s.", reason=error.message)
    if field is not None and hasattr(field, "errors"):
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        field.errors.append(message)
    else:
        flash(message, "error")
