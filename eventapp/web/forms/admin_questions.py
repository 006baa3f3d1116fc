"""The organizer's form for one question of the registration form (#17)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from eventapp.labels import choices as label_choices
from eventapp.models import Category, Question, QuestionKind
from eventapp.services import questions
from eventapp.services.questions import ChoiceData, QuestionData
from eventapp.web.forms.admin import KO, AdminForm

#: Empty rows offered for new choices under the existing ones.
NEW_CHOICE_ROWS = 3


def _without_nul(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


class ChoiceRow(Form):
    """One choice: its stable key (hidden; empty for a new one) and its wording."""

    key = HiddenField(filters=[_without_nul])
    text = StringField(
        _l("Choice (English)"),
        validators=[Length(max=questions.MAX_CHOICE_LABEL)],
        filters=[_without_nul],
    )
    text_ko = StringField(
        _l("Choice (Korean)"),
        validators=[Length(max=questions.MAX_CHOICE_LABEL)],
        filters=[_without_nul],
        render_kw=KO,
    )


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuestionForm(AdminForm):
    class Meta(AdminForm.Meta):
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            # A FieldList takes no filters; its rows' fields strip NUL themselves.
            if unbound_field.field_class in (FieldList, FormField):
                return unbound_field.bind(form=form, **options)
            return super().bind_field(form, unbound_field, options)

    kind = SelectField(_l("Kind of answer"), choices=lambda: label_choices(QuestionKind))
    label = StringField(
        _l("Question (English)"), validators=[DataRequired(), Length(max=questions.MAX_LABEL)]
    )
    label_ko = StringField(
        _l("Question (Korean)"),
        validators=[Optional(), Length(max=questions.MAX_LABEL)],
        render_kw=KO,
    )
    help = TextAreaField(
        _l("Help text (English, optional)"),
        validators=[Length(max=questions.MAX_HELP)],
        render_kw={"rows": 2},
    )
    help_ko = TextAreaField(
        _l("Help text (Korean, optional)"),
        validators=[Length(max=questions.MAX_HELP)],
        render_kw={"rows": 2, **KO},
    )
    is_required = BooleanField(_l("An answer is required"))
    categories = _Checkboxes(
        _l("Ask only these categories (none ticked: ask everyone)"),
        choices=lambda: label_choices(Category),
    )
    min_value = IntegerField(
        _l("Smallest number accepted (number questions, optional)"),
        validators=[Optional(), NumberRange(-questions.NUMBER_LIMIT, questions.NUMBER_LIMIT)],
    )
    max_value = IntegerField(
        _l("Largest number accepted (number questions, optional)"),
        validators=[Optional(), NumberRange(-questions.NUMBER_LIMIT, questions.NUMBER_LIMIT)],
    )
    choices = FieldList(
        FormField(ChoiceRow),
        label=_l("Choices (choice questions)"),
        min_entries=NEW_CHOICE_ROWS,
        max_entries=questions.MAX_CHOICES + NEW_CHOICE_ROWS,
    )

    def load(self, question: Question) -> None:
        """Fill the form from a question, with empty rows for new choices below."""
        rows: list[dict[str, Any]] = [
            {"key": c["key"], "text": c["label"], "text_ko": c.get("label_ko", "")}
            for c in question.choices or ()
        ]
        rows += [{"key": "", "text": "", "text_ko": ""}] * NEW_CHOICE_ROWS
        self.process(
            data={
                "kind": question.kind.value,
                "label": question.label,
                "label_ko": question.label_ko or "",
                "help": question.help or "",
                "help_ko": question.help_ko or "",
                "is_required": question.is_required,
                "categories": sorted(question.category_values),
                "min_value": question.min_value,
                "max_value": question.max_value,
                "choices": rows,
            }
        )

    def to_data(self) -> QuestionData:
        return QuestionData(
            kind=QuestionKind(self.kind.data),
            label=self.label.data or "",
            label_ko=self.label_ko.data or None,
            help=self.help.data or None,
            help_ko=self.help_ko.data or None,
            is_required=bool(self.is_required.data),
            categories=frozenset(Category(value) for value in self.categories.data or ()),
            min_value=self.min_value.data,
            max_value=self.max_value.data,
            choices=tuple(
                ChoiceData(
                    label=(row.form.text.data or "").strip(),
                    label_ko=(row.form.text_ko.data or "").strip() or None,
                    key=(row.form.key.data or "").strip() or None,
                )
                for row in self.choices
            ),
        )
