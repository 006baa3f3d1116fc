"""Back-office form for event teams: which events a staff account acts on."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from eventapp.web.forms.admin import AdminForm
from eventapp.web.forms.registration import SessionChoiceField


class TeamForm(AdminForm):
    #: Check boxes, one per event (the registration form's kind of field); ids of events.
    events = SessionChoiceField(_l("Events"), coerce=int, choices=[])
