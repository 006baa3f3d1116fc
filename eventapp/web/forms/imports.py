"""The organizer's calendar upload form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import SubmitField

#: An agenda of a thousand sessions is well under 1 MB.
MAX_IMPORT_BYTES = 2 * 1024 * 1024


class ImportForm(FlaskForm):
    file = FileField(
        _l("Calendar file (.ics)"),
        validators=[
            FileRequired(_l("Choose a calendar file.")),
            FileAllowed(["ics", "ical", "icalendar"], _l("Choose an .ics file.")),
            FileSize(MAX_IMPORT_BYTES, message=_l("The file is larger than 2 MB.")),
        ],
        render_kw={"accept": ".ics,text/calendar"},
    )
    preview = SubmitField(_l("Preview changes"))
    submit = SubmitField(_l("Import"))
