"""The organizer's calendar upload form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import HiddenField, SubmitField

#: An agenda of a thousand sessions is well under 1 MB.
MAX_IMPORT_BYTES = 2 * 1024 * 1024


class ImportForm(FlaskForm):
    file = FileField(
        _l("Calendar file (.ics)"),
        # Required unless `previewed` names the file of a preview (the view checks).
        validators=[
            FileAllowed(["ics", "ical", "icalendar"], _l("Choose an .ics file.")),
            FileSize(MAX_IMPORT_BYTES, message=_l("The file is larger than 2 MB.")),
        ],
        render_kw={"accept": ".ics,text/calendar"},
    )
    #: The file of the preview just shown, kept on the server: "Import these changes" sends
    #: this instead of asking for the file again.
    previewed = HiddenField()
    preview = SubmitField(_l("Preview changes"))
    submit = SubmitField(_l("Import"))
