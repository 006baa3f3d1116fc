"""Answers to an event's questions (#17): the one check of each kind (the public form,
self-service and the back office all use it), storing them with the registration,
reading them back, filtering registrants by them, and their CSV cells.

An answer is stored in the canonical form of its kind (`models/questions.py`); choices by
their stable keys with the wording they had when chosen.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, literal

from eventapp.countries import country_codes
from eventapp.errors import InvalidInput
from eventapp.models import Answer, Question, QuestionKind, Registration, db
from eventapp.models.questions import CHOICE_KINDS

#: Longest answer accepted, by kind.
MAX_SHORT_TEXT = 300
MAX_LONG_TEXT = 4000

#: Kinds whose answers are free text (searched by "answer contains").
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})

#: The words of each problem, next to the field (lazy: translated when shown).
PROBLEMS = {
    "required": _l("Please answer this question."),
    "too_long": _l("At most %(max)d characters, please (this has more)."),
    "not_a_choice": _l("Please choose among the answers listed."),
    "one_choice": _l("Please choose one answer only."),
    "controls": _l("Please remove the invisible control characters."),
    "yes_no": _l("Please answer yes or no."),
    "not_a_date": _l("Please enter a date as YYYY-MM-DD, for example 2024-05-31."),
    "not_a_country": _l("Please choose a country from the list."),
    "not_a_number": _l("Please enter a whole number, for example 12."),
    "too_small": _l("Please enter a number of at least %(min)d."),
    "too_large": _l("Please enter a number of at most %(max)d."),
    "out_of_range": _l("Please enter a number from %(min)d to %(max)d."),
}


class AnswerProblem(InvalidInput):
    """An answer that does not fit its question; `problem` is a key of PROBLEMS."""

    code = "invalid_answer"

    def __init__(self, question: Question, problem: str, **params: Any) -> None:
        super().__init__(problem, field=f"q_{question.id}")
        self.problem = problem
        self.params = params

    @property
    def text(self) -> str:
        """The problem in words, in the interface language."""
        return (
            str(PROBLEMS[self.problem]) % self.params
            if self.params
            else str(PROBLEMS[self.problem])
        )


@dataclass(frozen=True, slots=True)
class AnswerValue:
    """A checked answer, ready to store (made only by `check_answer`)."""

    question_id: int
    value: str
    choice_text: dict[str, list[str]] | None = None


Raw = str | Sequence[str] | None


def _one(raw: Raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw.strip()
    values = [v.strip() for v in raw if isinstance(v, str) and v.strip()]
    return values[0] if values else ""


def _many(raw: Raw) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw.strip()] if raw.strip() else []
    return list(dict.fromkeys(v.strip() for v in raw if isinstance(v, str) and v.strip()))


def check_answer(
    question: Question, raw: Raw, *, required: bool | None = None
) -> AnswerValue | None:
    """The answer in its canonical form, or None for no answer. Raises AnswerProblem.

    `required` overrides the question's own flag (organizers may leave one unanswered)."""
    must = question.is_required if required is None else required
    kind = question.kind
    if kind is QuestionKind.SEVERAL_CHOICES:
        keys = _many(raw)
        if not keys:
            if must:
                raise AnswerProblem(question, "required")
            return None
        return _chosen(question, keys)
    value = _one(raw)
    if not value:
        if must:
            raise AnswerProblem(question, "required")
        return None
    if kind is QuestionKind.ONE_CHOICE:
        if not isinstance(raw, str) and len(_many(raw)) > 1:
            raise AnswerProblem(question, "one_choice")
        return _chosen(question, [value])
    return AnswerValue(question.id, _scalar(question, value))


def _scalar(question: Question, value: str) -> str:
    kind = question.kind
    if kind in TEXT_KINDS:
        limit = MAX_SHORT_TEXT if kind is QuestionKind.SHORT_TEXT else MAX_LONG_TEXT
        if len(value) > limit:
            raise AnswerProblem(question, "too_long", max=limit)
        allowed = "\n\r\t" if kind is QuestionKind.LONG_TEXT else ""
        # NUL breaks PostgreSQL; the other control characters have no business here either.
        if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
            raise AnswerProblem(question, "controls")
        return value if kind is QuestionKind.LONG_TEXT else " ".join(value.split())
    if kind is QuestionKind.YES_NO:
        if value not in ("yes", "no"):
            raise AnswerProblem(question, "yes_no")
        return value
    if kind is QuestionKind.DATE:
        return _date(question, value)
    if kind is QuestionKind.COUNTRY:
        if value.upper() not in country_codes():
            raise AnswerProblem(question, "not_a_country")
        return value.upper()
    return str(_number(question, value))


def _date(question: Question, value: str) -> str:
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise AnswerProblem(question, "not_a_date") from None
    if not 1900 <= parsed.year <= 2100 or len(value) != 10:
        raise AnswerProblem(question, "not_a_date")
    return parsed.isoformat()


def _number(question: Question, value: str) -> int:
    text = value.replace(",", "").replace(" ", "")
    sign = (text[:1] in "+-" and text[:1]) or ""
    digits = text[len(sign) :]
    if not digits.isascii() or not digits.isdigit() or len(digits) > 12:
        raise AnswerProblem(question, "not_a_number")
    number = int(sign + digits)
    low, high = question.min_value, question.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            raise AnswerProblem(question, "out_of_range", min=low, max=high)
        if low is not None:
            raise AnswerProblem(question, "too_small", min=low)
        raise AnswerProblem(question, "too_large", max=high)
    return number


def _chosen(question: Question, keys: list[str]) -> AnswerValue:
    text: dict[str, list[str]] = {}
    for key in keys:
        choice = question.choice(key)
        if choice is None:
            raise AnswerProblem(question, "not_a_choice")
        text[key] = [choice["label"], choice.get("label_ko") or ""]
    ordered = [c["key"] for c in question.choices if c["key"] in text]
    return AnswerValue(question.id, " ".join(ordered), text)


def check_answers(
    questions: Iterable[Question],
    raw: Mapping[int, Raw],
    category: str | None,
    *,
    staff: bool = False,
) -> tuple[list[AnswerValue], dict[int, AnswerProblem]]:
    """Check every question asked of `category`; the others' answers are dropped (a
    category-specific question never counts for someone else, with or without JS).
    Staff (`staff=True`) may leave required questions unanswered."""
    values: list[AnswerValue] = []
    problems: dict[int, AnswerProblem] = {}
    for question in questions:
        if not question.is_asked_of(category):
            continue
        try:
            answer = check_answer(question, raw.get(question.id), required=False if staff else None)
        except AnswerProblem as problem:
            problems[question.id] = problem
        else:
            if answer is not None:
                values.append(answer)
    return values, problems


# Storing: private to the registration services' units of work (they flush, never commit).


def add_answers(registration: Registration, answers: Sequence[AnswerValue]) -> None:
    """Store a new registration's answers (its id is known)."""
    for answer in answers:
        db.session.add(
            Answer(
                registration_id=registration.id,
                question_id=answer.question_id,
                value=answer.value,
                choice_text=answer.choice_text,
            )
        )


def replace_answers(registration: Registration, answers: Sequence[AnswerValue]) -> dict[str, str]:
    """Make `answers` the registration's whole set of answers (one left out is removed).
    Returns what changed, by question id, for the audit log."""
    current = {a.question_id: a for a in answers_of(registration).values()}
    wanted = {a.question_id: a for a in answers}
    changed: dict[str, str] = {}
    for question_id, answer in current.items():
        if question_id not in wanted:
            db.session.delete(answer)
            changed[str(question_id)] = ""
    for question_id, new in wanted.items():
        old = current.get(question_id)
        if old is None:
            add_answers(registration, [new])
        elif old.value != new.value:
            old.value = new.value
            old.choice_text = new.choice_text
        else:
            continue
        changed[str(question_id)] = new.value
    return changed


# Reading.


def answers_of(registration: Registration) -> dict[int, Answer]:
    """The registration's answers by question id; no query when its event has no questions."""
    if not registration.event.has_questions:
        return {}
    found = db.session.scalars(db.select(Answer).where(Answer.registration_id == registration.id))
    return {answer.question_id: answer for answer in found}


def answers_by_registration(registration_ids: Sequence[int]) -> dict[int, dict[int, Answer]]:
    """Answers of many registrations at once: {registration id: {question id: answer}}."""
    result: dict[int, dict[int, Answer]] = {}
    for chunk in range(0, len(registration_ids), 500):
        ids = registration_ids[chunk : chunk + 500]
        for answer in db.session.scalars(db.select(Answer).where(Answer.registration_id.in_(ids))):
            result.setdefault(answer.registration_id, {})[answer.question_id] = answer
    return result


def raw_value(question: Question, answer: Answer | None) -> str | list[str] | None:
    """What a form field shows for a stored answer (keys for choice questions)."""
    if answer is None:
        return [] if question.kind is QuestionKind.SEVERAL_CHOICES else None
    if question.kind is QuestionKind.SEVERAL_CHOICES:
        return answer.keys
    return answer.value


def choice_labels(question: Question, answer: Answer, language: str) -> list[str]:
    """The chosen choices' wording in `language`: today's wording for a choice that still
    exists, the wording at the time of answering for one removed since."""
    labels = []
    for key in answer.keys:
        choice = question.choice(key)
        if choice is not None:
            labels.append((language == "ko" and choice.get("label_ko")) or choice["label"])
        else:
            english, korean = ((answer.choice_text or {}).get(key) or [key, ""])[:2]
            labels.append((language == "ko" and korean) or english)
    return labels


def answer_text(question: Question, answer: Answer | None, language: str = "en") -> str:
    """An answer as plain text (CSV cells): choice wording joined by '; ', else the value."""
    if answer is None:
        return ""
    if question.kind in CHOICE_KINDS:
        return "; ".join(choice_labels(question, answer, language))
    return answer.value


def csv_headers(questions: Sequence[Question], taken: Iterable[str] = ()) -> list[str]:
    """One CSV column name per question: its English label, made unique ("Label (2)")."""
    seen = set(taken)
    headers = []
    for question in questions:
        name, n = question.label, 1
        while name in seen:
            n += 1
            name = f"{question.label} ({n})"
        seen.add(name)
        headers.append(name)
    return headers


# Filtering the registrants list.


def answered(question_id: int, key: str | None = None) -> ColumnElement[bool]:
    """Registrations that answered the question (with this choice key, or yes/no)."""
    clause = exists().where(
        Answer.registration_id == Registration.id, Answer.question_id == question_id
    )
    if key is not None:
        spaced = literal(" ") + Answer.value + literal(" ")
        clause = clause.where(spaced.contains(f" {key} ", autoescape=True))
    return clause


def answer_contains(text: str) -> ColumnElement[bool]:
    """Registrations with a free-text answer containing `text` (case-insensitive)."""
    return exists().where(
        Answer.registration_id == Registration.id,
        Answer.question_id == Question.id,
        Question.kind.in_(TEXT_KINDS),
        Answer.value.icontains(text, autoescape=True),
    )
