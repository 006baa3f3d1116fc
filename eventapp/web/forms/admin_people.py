"""Back-office forms for speakers, their photos, and organizations."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Email, Length, Optional

from eventapp.labels import choices
from eventapp.models import Organization, OrganizationKind, Speaker
from eventapp.services.setup.speakers import OrganizationData, SpeakerData
from eventapp.web.forms.admin import KO, AdminForm, blank, country_choices, optional_id
from eventapp.web.forms.name_order import chosen_order, name_order_field


class SpeakerForm(AdminForm):
    given_name = StringField(_l("Given name"), validators=[DataRequired(), Length(max=100)])
    family_name = StringField(_l("Family name"), validators=[Optional(), Length(max=100)])
    name_alt = StringField(
        _l("Name in a second script (e.g. Hangul)"), validators=[Optional(), Length(max=200)]
    )
    name_order = name_order_field()
    position = StringField(_l("Position (English)"), validators=[Optional(), Length(max=300)])
    position_ko = StringField(
        _l("Position (Korean)"), validators=[Optional(), Length(max=300)], render_kw=KO
    )
    organization_id = SelectField(_l("Organization"), coerce=optional_id)
    country = SelectField(_l("Country"), validators=[Optional()])
    bio = TextAreaField(_l("Biography (English)"), validators=[Length(max=10000)])
    bio_ko = TextAreaField(_l("Biography (Korean)"), validators=[Length(max=10000)], render_kw=KO)
    email = EmailField(
        _l("Private email (never shown publicly)"),
        validators=[Optional(), Email(), Length(max=254)],
    )
    key = StringField(_l("Key (for seed files)"), validators=[Optional(), Length(max=80)])

    def __init__(self, organizations: list[Organization], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization_id.choices = [(None, "—")] + [(o.id, o.name) for o in organizations]
        self.country.choices = country_choices()

    def load(self, speaker: Speaker) -> None:
        self.process(obj=speaker)

    def to_data(self) -> SpeakerData:
        return SpeakerData(
            given_name=self.given_name.data.strip(),
            family_name=(self.family_name.data or "").strip(),
            key=(self.key.data or "").strip(),
            name_alt=blank(self.name_alt.data),
            position=blank(self.position.data),
            position_ko=blank(self.position_ko.data),
            organization_id=self.organization_id.data,
            country=blank(self.country.data),
            bio=blank(self.bio.data),
            bio_ko=blank(self.bio_ko.data),
            email=blank(self.email.data),
            name_order=chosen_order(self.name_order),
        )


class PhotoForm(AdminForm):
    photo = FileField(
        _l("Photo (JPEG, PNG, WebP or GIF, at most 5 MB)"),
        validators=[FileRequired()],
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"},
    )


class OrganizationForm(AdminForm):
    name = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    name_ko = StringField(
        _l("Name (Korean)"), validators=[Optional(), Length(max=200)], render_kw=KO
    )
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=40)])
    country = SelectField(_l("Country"), validators=[Optional()])
    kind = SelectField(_l("Kind"), default=OrganizationKind.OTHER.value)
    website = URLField(_l("Website"), validators=[Optional(), Length(max=300)])
    key = StringField(_l("Key (for seed files)"), validators=[Optional(), Length(max=80)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()
        self.kind.choices = choices(OrganizationKind)

    def load(self, organization: Organization) -> None:
        self.process(obj=organization)
        self.kind.data = organization.kind.value

    def to_data(self) -> OrganizationData:
        return OrganizationData(
            name=self.name.data.strip(),
            key=(self.key.data or "").strip(),
            name_ko=blank(self.name_ko.data),
            short_name=blank(self.short_name.data),
            country=blank(self.country.data),
            kind=OrganizationKind(self.kind.data),
            website=blank(self.website.data),
        )
