"""The public registration form. Shapes and lengths here; seats and duplicates in the service."""

from __future__ import annotations

import unicodedata
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from eventapp.countries import country_choices, country_codes
from eventapp.models import AgendaSession, Category, Event
from eventapp.services.registration import PersonDetails, RegistrationData, signups
from eventapp.web.forms.name_order import chosen_order, name_order_field
from eventapp.web.templating import local_time, localized

#: Categories offered on the public form (speaker and staff are set by organizers).
PUBLIC_CATEGORIES = [
    SelectChoice(Category.GOVERNMENT.value, _l("Government")),
    SelectChoice(Category.INDUSTRY.value, _l("Industry")),
    SelectChoice(Category.ACADEMIA.value, _l("Academia")),
    SelectChoice(Category.PRESS.value, _l("Press")),
    SelectChoice(Category.OTHER.value, _l("Other")),
]


def strip(value: object) -> object:
    """Filter: surrounding space dropped (a choice of "  " is no choice)."""
    return value.strip() if isinstance(value, str) else value


def _squeeze(value: object) -> object:
    """Names: surrounding space dropped, inner runs of spaces (any kind) made one space."""
    return " ".join(value.split()) if isinstance(value, str) else value


def has_controls(text: str, allowed: str = "") -> bool:
    """True when `text` holds a control character (Unicode Cc) other than those `allowed`:
    NUL breaks PostgreSQL, and the others have no business in what people type."""
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def plain_text(form: FlaskForm, field: Field) -> None:
    """Refuse control characters; a multi-line field keeps its line breaks and tabs."""
    allowed = "\n\r\t" if isinstance(field, TextAreaField) else ""
    if has_controls(field.data or "", allowed):
        raise ValidationError(_l("Please remove the invisible control characters."))


_TOO_LONG = _l("At most %(max)d characters, please (this has more).")


def _email_address(form: FlaskForm, field: Field) -> None:
    """A deliverable-looking address; the domain may be international, the local part ASCII."""
    try:
        result = validate_email(field.data or "", check_deliverability=False)
    except EmailNotValidError as error:
        raise ValidationError(_l("Please enter a valid email address.")) from error
    if result.ascii_email is None:
        raise ValidationError(
            _l("Please use an address written in Latin letters before the @ sign.")
        )
    field.data = result.ascii_email


# No `maxlength` on the inputs: a browser cuts a pasted name there without a word; the
# length check answers next to the field instead, with what was typed kept (#22).
def _text(label: object, max_length: int, *, required: bool = False, **attrs: object) -> Field:
    validators = [
        DataRequired() if required else Optional(),
        Length(max=max_length, message=_TOO_LONG),
        plain_text,
    ]
    # (WTForms adds `maxlength` from the Length check unless told not to.)
    return StringField(
        label, validators, filters=[_squeeze], render_kw={"maxlength": False, **attrs}
    )


def _long_text(label: object) -> Field:
    return TextAreaField(
        label,
        [Optional(), Length(max=1000, message=_TOO_LONG), plain_text],
        filters=[strip],
        render_kw={"rows": 3, "maxlength": False},
    )


def _known_country(form: FlaskForm, field: Field) -> None:
    if field.data not in country_codes():
        raise ValidationError(_l("Please choose a country from the list."))


@cache
def _country_select_choices(language: str) -> tuple[SelectChoice, ...]:
    return (
        SelectChoice("", _l("Choose a country")),
        *(SelectChoice(code, name) for code, name in country_choices(language)),
    )


class PersonForm(FlaskForm):
    """The details a registrant can change later on their own page."""

    given_name = _text(_l("Given name"), 100, required=True, autocomplete="given-name")
    family_name = _text(_l("Family name"), 100, autocomplete="family-name")
    name_alt = _text(_l("Your name in another script (optional)"), 200, autocomplete="off")
    name_order = name_order_field(_l("How to write your name in Latin letters"))
    organization_name = _text(_l("Organization"), 200, autocomplete="organization")
    job_title = _text(_l("Job title"), 200, autocomplete="organization-title")
    country = SelectField(
        _l("Country"),
        validators=[Optional(), _known_country],
        filters=[strip],
        choices=[],
        # Checked by _known_country in one set lookup, not a walk through 250 choices.
        validate_choice=False,
        render_kw={"autocomplete": "country"},
    )
    category = SelectField(
        _l("I attend as"), choices=PUBLIC_CATEGORIES, default=Category.OTHER.value
    )
    dietary_needs = _long_text(_l("Dietary needs (optional)"))
    accessibility_needs = _long_text(_l("Accessibility needs (optional)"))

    def set_countries(self, language: str) -> None:
        self.country.choices = list(_country_select_choices(language))

    def to_details(self) -> PersonDetails:
        return PersonDetails(
            given_name=self.given_name.data,
            family_name=self.family_name.data or "",
            name_alt=self.name_alt.data or None,
            organization_name=self.organization_name.data or None,
            job_title=self.job_title.data or None,
            country=self.country.data or None,
            category=Category(self.category.data),
            dietary_needs=self.dietary_needs.data or None,
            accessibility_needs=self.accessibility_needs.data or None,
            name_order=chosen_order(self.name_order),
        )


class SessionChoiceField(SelectMultipleField):
    """Check boxes, one per session that needs a sign-up."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RegistrationForm(PersonForm):
    email = EmailField(
        _l("Email"),
        validators=[InputRequired(), Length(max=254), _email_address],
        filters=[strip],
        render_kw={"autocomplete": "email", "maxlength": 254},
    )
    sessions = SessionChoiceField(_l("Sessions"), coerce=int, choices=[])
    #: Shown only when the event has partnering on (the view says so).
    partnering = BooleanField(
        _l("List me in the partnering directory, to request and accept meetings")
    )
    consent = BooleanField(
        _l("I have read the privacy notice and agree that my details are used to run this event."),
        validators=[DataRequired(message=_l("Please agree to the privacy notice to register."))],
    )

    def validate_partnering(self, field: Field) -> None:
        if field.data and not (self.organization_name.data or "").strip():
            raise ValidationError(_l("Give your organization above to take part in partnering."))

    def to_data(self, *, locale: str) -> RegistrationData:
        return RegistrationData(
            email=self.email.data,
            details=self.to_details(),
            session_ids=tuple(self.sessions.data or ()),
            locale=locale,
            # Set by `forms/questions.py` when the event has questions (#17).
            answers=tuple(getattr(self, "checked_answers", ())),
        )


def session_label(item: AgendaSession, taken: int, zone: str) -> str:
    """'10:30 Panel 2 (12 seats left)' in the interface language."""
    seats = (item.capacity or 0) - taken
    note = _("%(n)s seats left", n=seats) if seats > 0 else _("full: waiting list")
    return f"{local_time(item.starts_at, zone)} {localized(item, 'title')} ({note})"


def session_choices(event: Event) -> list[SelectChoice]:
    """The sessions one may sign up for, labelled with the seats left."""
    choosable = signups.choosable_sessions(event.id)
    taken = signups.seats_taken([item.id for item in choosable])
    return [
        SelectChoice(s.id, session_label(s, taken.get(s.id, 0), event.timezone)) for s in choosable
    ]
