"""Forms of the attendee's self-service pages (/me/<token>)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields import EmailField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from eventapp.models import Category, Registration
from eventapp.web.forms.registration import PersonForm, SessionChoiceField

#: Categories organizers give (not offered on the public form), shown when already set.
_STAFF_SET_CATEGORIES = {Category.SPEAKER: _l("Speaker"), Category.STAFF: _l("Staff")}


class DetailsForm(PersonForm):
    """Change one's details; the email stays (it identifies the registration)."""

    def keep_current(self, registration: Registration) -> None:
        """Keep values an organizer set that the public choices lack (e.g. 'speaker')."""
        category = registration.category
        if category in _STAFF_SET_CATEGORIES:
            label = _STAFF_SET_CATEGORIES[category]
            self.category.choices = [*self.category.choices, SelectChoice(category.value, label)]
        country = registration.country
        if country and country not in {choice.value for choice in self.country.choices}:
            self.country.choices = [*self.country.choices, SelectChoice(country, country)]


class SessionsForm(FlaskForm):
    sessions = SessionChoiceField(_l("Sessions"), coerce=int, choices=[])


class EmailChangeForm(FlaskForm):
    email = EmailField(
        _l("New email address"),
        validators=[InputRequired(), Length(max=254, message=_l("At most 254 characters."))],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        render_kw={"autocomplete": "email"},
    )


class ConfirmForm(FlaskForm):
    """A confirmation step (cancel, delete): only the CSRF token."""
