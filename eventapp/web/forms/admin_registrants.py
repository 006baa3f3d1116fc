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
from eventapp.models import (
    Category,
    Event,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Role,
)
from eventapp.models.questions import CHOICE_KINDS
from eventapp.services.accounts import MIN_PASSWORD_LENGTH
from eventapp.services.admission import invitees
from eventapp.services.mail.communications import Announcement
from eventapp.services.questions import event_questions
from eventapp.services.registration import PersonDetails
from eventapp.services.registration.registrants import RegistrantData, RegistrantFilter
from eventapp.web.forms.admin import AdminForm, blank, country_choices, options
from eventapp.web.forms.name_order import chosen_order, name_order_field
from eventapp.web.templating import current_language, localized

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
    "answer",
    "answer_text",
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
    #: The event's questions (#17): "<question id>:<choice key | yes | no | * | ->".
    answer = SelectField(_l("Answer to a question"), validators=[Optional()])
    answer_text = StringField(_l("A written answer contains"), validators=[Length(max=200)])
    delegation = SelectField(_l("Delegation"), validators=[Optional()])

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [ANY, *label_choices(RegistrationStatus)]
        self.category.choices = [ANY, *label_choices(Category)]
        self.country.choices = country_choices()
        self.session.choices = [ANY, *session_choices(event)]
        self.questions = event_questions(event)
        self.answer.choices = [ANY, *answer_choices(self.questions)]
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
            answer_text=value("answer_text")[:200],
            **_answer_filter(value("answer")),
            delegation_id=int(value("delegation")) if value("delegation") else None,
        )

    def query_args(self) -> dict[str, str]:
        """The filter as query-string arguments (for pagination and export links)."""
        return {
            name: str(getattr(self, name).data)
            for name in FILTER_FIELDS
            if getattr(self, name).data
        }


def answer_choices(questions: list[Question]) -> list[tuple[str, str]]:
    """The answer filter's options: per question, answered or not, and each choice."""
    language = current_language()
    options_: list[tuple[str, str]] = []
    for q in questions:
        label = localized(q, "label")
        if q.kind in CHOICE_KINDS:
            for choice in q.choices:
                wording = (language == "ko" and choice.get("label_ko")) or choice["label"]
                options_.append((f"{q.id}:{choice['key']}", f"{label}: {wording}"))
        elif q.kind is QuestionKind.YES_NO:
            options_.append((f"{q.id}:yes", f"{label}: {_l('Yes')}"))
            options_.append((f"{q.id}:no", f"{label}: {_l('No')}"))
        options_.append((f"{q.id}:*", f"{label}: {_l('answered')}"))
        options_.append((f"{q.id}:-", f"{label}: {_l('not answered')}"))
    return options_


def _answer_filter(value: str) -> dict[str, Any]:
    """The RegistrantFilter arguments for an answer option ("12:c3", "12:-"…)."""
    question_id, _sep, key = value.partition(":")
    if not question_id.isdigit() or not key:
        return {}
    if key in ("*", "-"):
        return {"answer": (int(question_id), None), "unanswered": key == "-"}
    return {"answer": (int(question_id), key)}


class RegistrantForm(AdminForm):
    given_name = StringField(_l("Given name"), validators=[DataRequired(), Length(max=100)])
    family_name = StringField(_l("Family name"), validators=[Optional(), Length(max=100)])
    name_alt = StringField(_l("Name in a second script"), validators=[Optional(), Length(max=200)])
    name_order = name_order_field()
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
            name_order=chosen_order(self.name_order),
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
