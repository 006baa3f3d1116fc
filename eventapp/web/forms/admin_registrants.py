"""Back-office forms for registrants, announcements and staff accounts."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from eventapp.labels import choices as label_choices
from eventapp.models import Category, Event, Registration, RegistrationStatus, Role
from eventapp.services.accounts import MIN_PASSWORD_LENGTH
from eventapp.services.admission import invitees
from eventapp.services.communications import Announcement
from eventapp.services.registrants import RegistrantData, RegistrantFilter
from eventapp.services.registration import PersonDetails
from eventapp.web.forms.admin import AdminForm, blank, country_choices, options
from eventapp.web.templating import localized

ANY = ("", "—")


def session_choices(event: Event) -> list[tuple[str, str]]:
    """The event's sessions in time order, as "2023-11-08 09:30 Title" (event's zone)."""
    zone = event.zone
    ordered = sorted(event.sessions, key=lambda s: (s.starts_at, s.id))
    return [
        (str(s.id), f"{s.starts_at.astimezone(zone):%Y-%m-%d %H:%M} {localized(s, 'title')}")
        for s in ordered
    ]


def delegation_choices(event: Event) -> list[tuple[str, str]]:
    """The event's delegations by name (#17)."""
    return [(str(d.id), d.name) for d in invitees.delegations(event)]


#: The filter's fields, in the order the filter bar shows them.
FILTER_FIELDS = (
    "q",
    "status",
    "category",
    "country",
    "organization",
    "checked_in",
    "language",
    "session",
    "delegation",
)


class RegistrantFilterForm(AdminForm):
    """The search/filter bar; sent with GET, so it carries no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Search name, email or organization"), validators=[Length(max=200)])
    status = SelectField(_l("Status"), validators=[Optional()])
    category = SelectField(_l("Category"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    organization = StringField(_l("Organization"), validators=[Length(max=200)])
    checked_in = SelectField(
        _l("Checked in"),
        choices=options([ANY, ("yes", _l("Yes")), ("no", _l("No"))]),
        validators=[Optional()],
    )
    language = SelectField(
        _l("Language"),
        choices=options([ANY, ("en", "English"), ("ko", "한국어")]),
        validators=[Optional()],
    )
    session = SelectField(_l("Holds a seat in"), validators=[Optional()])
    delegation = SelectField(_l("Delegation"), validators=[Optional()])

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [ANY, *label_choices(RegistrationStatus)]
        self.category.choices = [ANY, *label_choices(Category)]
        self.country.choices = country_choices()
        self.session.choices = [ANY, *session_choices(event)]
        self.delegation.choices = [ANY, *options(delegation_choices(event))]

    def to_filter(self) -> RegistrantFilter:
        """The filter; values that failed validation count as 'any' (never an error page)."""
        valid = self.validate()
        errors = self.errors if not valid else {}

        def value(name: str) -> str:
            return "" if name in errors else (getattr(self, name).data or "")

        return RegistrantFilter(
            query=value("q")[:200],
            status=RegistrationStatus(value("status")) if value("status") else None,
            category=Category(value("category")) if value("category") else None,
            country=value("country") or None,
            organization=value("organization")[:200],
            checked_in={"yes": True, "no": False}.get(value("checked_in")),
            language=value("language") or None,
            session_id=int(value("session")) if value("session") else None,
            delegation_id=int(value("delegation")) if value("delegation") else None,
        )

    def query_args(self) -> dict[str, str]:
        """The filter as query-string arguments (for pagination and export links)."""
        return {
            name: str(getattr(self, name).data)
            for name in FILTER_FIELDS
            if getattr(self, name).data
        }


class RegistrantForm(AdminForm):
    given_name = StringField(_l("Given name"), validators=[DataRequired(), Length(max=100)])
    family_name = StringField(_l("Family name"), validators=[Optional(), Length(max=100)])
    name_alt = StringField(_l("Name in a second script"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    organization_name = StringField(_l("Organization"), validators=[Optional(), Length(max=200)])
    job_title = StringField(_l("Job title"), validators=[Optional(), Length(max=200)])
    country = SelectField(_l("Country"), validators=[Optional()])
    category = SelectField(_l("Category"))
    locale = SelectField(
        _l("Language for emails"),
        choices=options([("en", "English"), ("ko", "한국어")]),
    )
    dietary_needs = TextAreaField(_l("Dietary needs"), validators=[Length(max=2000)])
    accessibility_needs = TextAreaField(_l("Accessibility needs"), validators=[Length(max=2000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()
        self.category.choices = label_choices(Category)

    def load(self, registration: Registration) -> None:
        self.process(obj=registration)
        self.category.data = registration.category.value

    def to_data(self) -> RegistrantData:
        details = PersonDetails(
            given_name=self.given_name.data.strip(),
            family_name=(self.family_name.data or "").strip(),
            name_alt=blank(self.name_alt.data),
            organization_name=blank(self.organization_name.data),
            job_title=blank(self.job_title.data),
            country=blank(self.country.data),
            category=Category(self.category.data),
            dietary_needs=blank(self.dietary_needs.data),
            accessibility_needs=blank(self.accessibility_needs.data),
        )
        return RegistrantData(email=self.email.data, details=details, locale=self.locale.data)


class AnnouncementForm(AdminForm):
    """The message; the audience comes from the filter fields sent alongside."""

    subject = StringField(_l("Subject (English)"), validators=[Length(max=200)])
    body = TextAreaField(
        _l("Message (English)"), validators=[Length(max=20000)], render_kw={"rows": 12}
    )
    subject_ko = StringField(
        _l("Subject (Korean)"), validators=[Length(max=200)], render_kw={"lang": "ko"}
    )
    body_ko = TextAreaField(
        _l("Message (Korean)"),
        validators=[Length(max=20000)],
        render_kw={"rows": 12, "lang": "ko"},
    )
    #: Given out with the preview; sending twice with it sends once (`send_announcement`).
    send_key = HiddenField()

    def to_announcement(self) -> Announcement:
        return Announcement(
            subject=(self.subject.data or "").strip(),
            body=self.body.data or "",
            subject_ko=(self.subject_ko.data or "").strip(),
            body_ko=self.body_ko.data or "",
        )


class AccountForm(AdminForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=lambda: label_choices(Role))
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class RoleForm(AdminForm):
    role = SelectField(_l("Role"), choices=lambda: label_choices(Role))
