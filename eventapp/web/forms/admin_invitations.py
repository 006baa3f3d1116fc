"""Back-office forms of invitation-only events and delegations (#17): shapes here, rules
(duplicates, delegations of this event, seats) in `services/admission`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from eventapp.labels import choices
from eventapp.models import Category
from eventapp.web.forms.admin import AdminForm, count_field, options
from eventapp.web.forms.registration import plain_text

#: One per language of `LANGUAGES`, each named in itself.
_LANGUAGE_CHOICES = [SelectChoice("en", "English"), SelectChoice("ko", "한국어")]


def _name(label: object, limit: int, *, required: bool = False) -> StringField:
    first = DataRequired() if required else Optional()
    return StringField(label, validators=[first, Length(max=limit), plain_text])


class InviteForm(AdminForm):
    """One person invited by hand."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    given_name = _name(_l("Given name"), 100, required=True)
    family_name = _name(_l("Family name"), 100)
    organization_name = _name(_l("Organization"), 200)
    category = SelectField(_l("Category"), default=Category.OTHER.value)
    delegation_id = SelectField(_l("Delegation"), default="")
    locale = SelectField(_l("Language of the email"), choices=_LANGUAGE_CHOICES, default="en")

    def __init__(self, *args: object, delegations: list[tuple[str, str]], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.category.choices = options(choices(Category))
        self.delegation_id.choices = options([("", _l("None")), *delegations])


class UploadForm(AdminForm):
    """An invitation list: a CSV file, or the same text pasted."""

    csv_file = FileField(_l("CSV file (UTF-8)"))
    csv_text = TextAreaField(_l("Or paste the CSV here"), render_kw={"rows": 6})
    #: Set by the preview's "Invite them" button: only then is anything written.
    confirm = HiddenField()


class RemindForm(AdminForm):
    send_key = HiddenField()


class DelegationForm(AdminForm):
    name = _name(_l("Delegation name"), 200, required=True)
    seats = count_field(_l("Seats (most members holding a place; empty: no limit)"))
    head_given_name = _name(_l("Head's given name"), 100, required=True)
    head_family_name = _name(_l("Head's family name"), 100)
    head_email = EmailField(
        _l("Head's email"), validators=[DataRequired(), Email(), Length(max=254)]
    )
    locale = SelectField(_l("Language of the email"), choices=_LANGUAGE_CHOICES, default="en")


class SeatsForm(AdminForm):
    seats = count_field(_l("Seats"))
