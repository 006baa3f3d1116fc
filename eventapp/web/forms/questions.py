"""The event's questions (#17) as fields of a form: the public registration form, the
self-service details form and the organizer's registrant form.

`with_questions(Form, questions, language)` adds one field `q_<id>` per question. Checking
is the service's (`services/questions/answers.check_answers`), run after the form's own
checks, with the category chosen on that same form: a question asked only of the press
counts for the press alone, whether or not the browser ran the script that hides it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from eventapp.countries import country_choices
from eventapp.languages import pick
from eventapp.models import Answer, Question, QuestionKind
from eventapp.services.questions.answers import AnswerValue, check_answers, raw_value

#: Kinds shown as a group of radio buttons or check boxes (a fieldset with a legend).
GROUP_KINDS = frozenset(
    {QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES, QuestionKind.YES_NO}
)


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choice_label(choice: dict[str, Any], language: str) -> str:
    return str((language == "ko" and choice.get("label_ko")) or choice["label"])


def question_field(question: Question, language: str) -> Any:
    """An unbound field for one question, labelled in `language`; no validators (the
    service checks the answer, see `QuestionsMixin.validate`)."""
    label = pick(question, "label", language)[0]
    kind = question.kind
    choices = [SelectChoice(c["key"], _choice_label(c, language)) for c in question.choices or ()]
    plain = {"maxlength": False}
    if kind is QuestionKind.SHORT_TEXT:
        return StringField(label, render_kw=plain)
    if kind is QuestionKind.LONG_TEXT:
        return TextAreaField(label, render_kw={"rows": 3, **plain})
    if kind is QuestionKind.ONE_CHOICE:
        return RadioField(label, choices=choices, validate_choice=False)
    if kind is QuestionKind.SEVERAL_CHOICES:
        return _Checkboxes(label, choices=choices, validate_choice=False)
    if kind is QuestionKind.YES_NO:
        yes_no = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]
        return RadioField(label, choices=yes_no, validate_choice=False)
    if kind is QuestionKind.DATE:
        return StringField(label, render_kw={"type": "date", "placeholder": "YYYY-MM-DD"})
    if kind is QuestionKind.COUNTRY:
        countries = [SelectChoice("", _l("Choose a country"))]
        countries += [SelectChoice(code, name) for code, name in country_choices(language)]
        return SelectField(label, choices=countries, validate_choice=False)
    # A number: typed as text, so what was typed comes back as typed when it is refused.
    return StringField(label, render_kw={"inputmode": "numeric", "autocomplete": "off"})


class QuestionsMixin:
    """What `with_questions` adds to a form: the questions and their checked answers."""

    questions: Sequence[Question] = ()
    #: Organizers may leave a required question unanswered.
    staff_form: bool = False
    checked_answers: tuple[AnswerValue, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.staff_form:  # marks the field (and its label) as required
            for question, field in self.question_fields():
                field.flags.required = question.is_required

    def question_fields(self) -> list[tuple[Question, Field]]:
        return [(q, getattr(self, f"q_{q.id}")) for q in self.questions]

    def load_answers(self, answers: dict[int, Answer]) -> None:
        """Show stored answers in the fields (for a form that is not submitted)."""
        for question, field in self.question_fields():
            field.data = raw_value(question, answers.get(question.id))

    def _raw_answers(self) -> dict[int, Any]:
        raw: dict[int, Any] = {}
        for question, field in self.question_fields():
            given = field.raw_data if field.raw_data is not None else []
            raw[question.id] = (
                list(given)
                if question.kind is QuestionKind.SEVERAL_CHOICES
                else (given[0] if given else None)
            )
        return raw

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)  # type: ignore[misc]
        category = getattr(self, "category").data  # noqa: B009  (every such form has one)
        values, problems = check_answers(
            self.questions, self._raw_answers(), category, staff=self.staff_form
        )
        for question_id, problem in problems.items():
            field = getattr(self, f"q_{question_id}")
            field.errors = [*field.errors, problem.text]
        self.checked_answers = tuple(values)
        return bool(valid and not problems)


def with_questions(
    form_class: type[FlaskForm],
    questions: Sequence[Question],
    language: str,
    *,
    staff: bool = False,
) -> type[FlaskForm]:
    """`form_class` with one field per question, in form order (the class itself when
    there are none: an event without questions pays nothing)."""
    if not questions:
        return form_class
    fields = {f"q_{q.id}": question_field(q, language) for q in questions}
    attributes = {"questions": tuple(questions), "staff_form": staff, **fields}
    return type(form_class.__name__, (QuestionsMixin, form_class), attributes)
