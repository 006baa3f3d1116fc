"""Forms of the organizers' scheduler pages: runs, publishing, placing, pins, outcomes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField
from wtforms.validators import DataRequired

from eventapp.web.forms.admin import options


class ActionForm(FlaskForm):
    """A button that posts nothing but the CSRF token (run, publish, unschedule)."""


class PlaceForm(FlaskForm):
    #: "slot_id:table_id" of a cell of the meeting's event.
    cell = SelectField(
        _l("Time and table"), choices=[], validators=[DataRequired()], validate_choice=False
    )
    pinned = BooleanField(_l("Pin it here (the scheduler leaves it where it is)"), default=True)

    def cell_ids(self) -> tuple[int, int] | None:
        slot, _, table = str(self.cell.data or "").partition(":")
        return (int(slot), int(table)) if slot.isdigit() and table.isdigit() else None


class PinForm(FlaskForm):
    pinned = BooleanField(_l("Pinned"))


class OutcomeForm(FlaskForm):
    outcome = SelectField(
        _l("What happened"),
        choices=options([("held", _l("Held")), ("no_show", _l("No-show")), ("", _l("Not marked"))]),
    )
