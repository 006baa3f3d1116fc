"""Forms of the partnering pages (participants' and organizers')."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from eventapp.models import Event, Organization, TagDirection
from eventapp.models.partnering import DISCUSS_MAX, NOTE_MAX
from eventapp.services.partnering import profiles
from eventapp.services.partnering.profiles import OrganizationDetails
from eventapp.web.forms.admin import AdminForm
from eventapp.web.templating import current_language


class OptInForm(FlaskForm):
    organization_id = SelectField(_l("Your organization"), coerce=int, choices=[])
    name = StringField(_l("New organization's name"), validators=[Optional(), Length(max=200)])
    name_ko = StringField(_l("Name in Korean"), validators=[Optional(), Length(max=200)])
    country = StringField(
        _l("Country (two letters, e.g. KR)"), validators=[Optional(), Length(2, 2)]
    )
    website = StringField(_l("Website"), validators=[Optional(), URL(), Length(max=300)])
    role_line = StringField(_l("Your role"), validators=[Optional(), Length(max=200)])
    discuss = TextAreaField(
        _l("What you want to discuss"), validators=[Optional(), Length(max=DISCUSS_MAX)]
    )


class TagChoiceField(SelectMultipleField):
    """Check boxes, one per tag of the event (easier than a multiple select on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProfileForm(FlaskForm):
    name = StringField(_l("Organization name"), validators=[DataRequired(), Length(max=200)])
    name_ko = StringField(_l("Name in Korean"), validators=[Optional(), Length(max=200)])
    country = StringField(
        _l("Country (two letters, e.g. KR)"), validators=[Optional(), Length(2, 2)]
    )
    website = StringField(_l("Website"), validators=[Optional(), URL(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    description_ko = TextAreaField(
        _l("Description in Korean"), validators=[Optional(), Length(max=2000)]
    )
    offers = TagChoiceField(_l("Offers"), choices=[], validate_choice=False)
    seeks = TagChoiceField(_l("Seeks"), choices=[], validate_choice=False)

    def details(self) -> OrganizationDetails:
        """The profile's fields as the service takes them."""
        return OrganizationDetails(
            name=self.name.data or "",
            name_ko=self.name_ko.data,
            country=self.country.data,
            website=self.website.data,
            description=self.description.data,
            description_ko=self.description_ko.data,
        )


def profile_form(event: Event, organization: Organization, *, posted: bool) -> ProfileForm:
    """The profile form of `organization`, for the delegate's page and the back office alike:
    the posted values (`posted`), or the stored ones with the tags it offers and seeks; the
    event's tags as the choices, in the interface language."""
    if posted:
        form = ProfileForm(obj=organization)
    else:
        current = profiles.organization_tags(event, organization.id)
        form = ProfileForm(
            formdata=None,
            obj=organization,
            data={
                "offers": [t.key for t in current[TagDirection.OFFERS]],
                "seeks": [t.key for t in current[TagDirection.SEEKS]],
            },
        )
    form.offers.choices = form.seeks.choices = [
        (t.key, t.label(current_language())) for t in profiles.tags_of(event)
    ]
    return form


class SlotChoiceField(SelectMultipleField):
    """Check boxes, one per meeting slot (choices are set by the view)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RequestForm(FlaskForm):
    """A meeting request to one person (`recipient_id`) or an organization."""

    recipient_id = HiddenField()
    organization_id = HiddenField()
    note = TextAreaField(
        _l("A short note"),
        validators=[Optional(), Length(max=NOTE_MAX)],
        render_kw={"maxlength": NOTE_MAX, "rows": 4},
    )
    preferred = SlotChoiceField(
        _l("Times you would prefer (optional)"), coerce=int, choices=[], validate_choice=False
    )


class LogoForm(FlaskForm):
    logo = FileField(
        _l("Logo (JPEG, PNG, WebP or GIF, at most 5 MB)"),
        validators=[FileRequired()],
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"},
    )


class UnavailableForm(FlaskForm):
    """The slots a participant cannot meet in (check boxes, grouped by the template)."""

    slots = SelectMultipleField(coerce=int, choices=[], validate_choice=False)


class IdForm(FlaskForm):
    """A POST naming one request or meeting (accept, decline, cancel, place)."""

    item_id = HiddenField(validators=[DataRequired()])
    slot_id = HiddenField()


class SettingsForm(AdminForm):
    enabled = BooleanField(_l("Partnering is on"))
    requests_open_at = DateTimeLocalField(_l("Requests open (UTC)"), validators=[Optional()])
    requests_close_at = DateTimeLocalField(_l("Requests close (UTC)"), validators=[Optional()])
    request_limit = IntegerField(
        _l("Requests per person"), default=12, validators=[NumberRange(0, 200)]
    )
    needs_acceptance = BooleanField(_l("Requests need acceptance"), default=True)
    cross_country_first = BooleanField(_l("Other country's counterparts first"))


class TagForm(AdminForm):
    key = StringField(_l("Key"), validators=[DataRequired(), Length(max=80)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    name_ko = StringField(_l("Name in Korean"), validators=[Optional(), Length(max=120)])


class SessionForm(AdminForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    starts_at = DateTimeLocalField(_l("Starts (UTC)"), validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends (UTC)"), validators=[DataRequired()])
    meeting_minutes = IntegerField(
        _l("Meeting minutes"), default=20, validators=[NumberRange(5, 240)]
    )
    break_minutes = IntegerField(_l("Break minutes"), default=5, validators=[NumberRange(0, 120)])
    tables = IntegerField(_l("Tables"), default=10, validators=[NumberRange(1, 500)])


class PairForm(AdminForm):
    first_id = SelectField(_l("First person"), coerce=int, choices=[])
    second_id = SelectField(_l("Second person"), coerce=int, choices=[])
