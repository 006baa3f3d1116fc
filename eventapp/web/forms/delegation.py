"""The head of delegation's page (#17): several members at once, or one personal link."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, FieldList, Form, FormField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from eventapp.models import Category
from eventapp.services.admission.delegations import MAX_MEMBERS_AT_ONCE, MemberData
from eventapp.web.forms.registration import PUBLIC_CATEGORIES, plain_text, strip

ROWS = 5


class MemberRow(Form):
    """One member; a row left empty is no member."""

    email = EmailField(
        _l("Email"), validators=[Optional(), Email(), Length(max=254)], filters=[strip]
    )
    given_name = StringField(
        _l("Given name"), validators=[Length(max=100), plain_text], filters=[strip]
    )
    family_name = StringField(
        _l("Family name"), validators=[Length(max=100), plain_text], filters=[strip]
    )
    job_title = StringField(
        _l("Job title"), validators=[Length(max=200), plain_text], filters=[strip]
    )
    category = SelectField(
        _l("Attends as"), choices=PUBLIC_CATEGORIES, default=Category.GOVERNMENT.value
    )

    def is_empty(self) -> bool:
        return not (self.email.data or self.given_name.data or self.family_name.data)

    def validate(self, extra_validators: object = None) -> bool:
        ok = super().validate()
        if not self.is_empty():
            if not self.email.data:
                self.email.errors = [*self.email.errors, _l("An email, please.")]
                ok = False
            if not self.given_name.data:
                self.given_name.errors = [*self.given_name.errors, _l("A given name, please.")]
                ok = False
        return ok

    def to_member(self, organization: str | None) -> MemberData:
        return MemberData(
            email=self.email.data,
            given_name=self.given_name.data,
            family_name=self.family_name.data or "",
            job_title=self.job_title.data or None,
            organization_name=organization,
            category=Category(self.category.data),
        )


class MembersForm(FlaskForm):
    members = FieldList(FormField(MemberRow), min_entries=ROWS, max_entries=MAX_MEMBERS_AT_ONCE)
    organization_name = StringField(
        _l("Organization of the members"), validators=[Optional(), Length(max=200), plain_text]
    )
    consent = BooleanField(
        _l(
            "The members agreed that their details are used to run this event, "
            "as the privacy notice says."
        ),
        validators=[DataRequired(message=_l("Please confirm the members agreed."))],
    )

    def filled(self) -> list[MemberRow]:
        return [row.form for row in self.members if not row.form.is_empty()]


class MemberLinkForm(FlaskForm):
    email = EmailField(
        _l("Email"), validators=[DataRequired(), Email(), Length(max=254)], filters=[strip]
    )
    given_name = StringField(
        _l("Given name"), validators=[DataRequired(), Length(max=100), plain_text]
    )
    family_name = StringField(
        _l("Family name"), validators=[Optional(), Length(max=100), plain_text]
    )
