"""Questions organizers add to an event's registration form (#17): their definitions here,
the answers (checking, storing, reading, filtering, CSV cells) in `answers.py`.

`Event.has_questions` is kept here, in the same transaction as every addition and
removal: the registration form of an event without questions reads nothing more.
Choices carry stable keys (`models/questions.py`), so an edit never changes what an
existing answer means; a question's kind cannot change once someone has answered it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func

from eventapp.errors import InvalidInput
from eventapp.models import (
    Account,
    Answer,
    Category,
    Event,
    Question,
    QuestionKind,
    db,
)
from eventapp.models.questions import CHOICE_KINDS
from eventapp.services.accounts import record
from eventapp.services.units import transaction

#: At most this many choices per question, and this many questions per event.
MAX_CHOICES = 50
MAX_QUESTIONS = 100
MAX_LABEL = 300
MAX_CHOICE_LABEL = 200
MAX_HELP = 2000
#: Bounds of number questions stay within what every database's integer holds.
NUMBER_LIMIT = 1_000_000_000


@dataclass(frozen=True, slots=True)
class ChoiceData:
    """One choice as the organizer wrote it; `key` names an existing choice (None: new)."""

    label: str
    label_ko: str | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class QuestionData:
    """A question as the organizer defines it."""

    kind: QuestionKind
    label: str
    label_ko: str | None = None
    help: str | None = None
    help_ko: str | None = None
    is_required: bool = False
    #: Asked only of these categories; empty: of everyone.
    categories: frozenset[Category] = field(default_factory=frozenset)
    min_value: int | None = None
    max_value: int | None = None
    choices: tuple[ChoiceData, ...] = ()


def event_questions(event: Event) -> list[Question]:
    """The event's questions in form order; no query at all for an event without any."""
    if not event.has_questions:
        return []
    return list(
        db.session.scalars(
            db.select(Question)
            .where(Question.event_id == event.id)
            .order_by(Question.position, Question.id)
        )
    )


def answer_counts(event: Event) -> dict[int, int]:
    """How many registrations answered each of the event's questions."""
    rows = db.session.execute(
        db.select(Answer.question_id, func.count())
        .join(Question, Question.id == Answer.question_id)
        .where(Question.event_id == event.id)
        .group_by(Answer.question_id)
    )
    return {question_id: count for question_id, count in rows}


def add_question(event: Event, data: QuestionData, *, by: Account | None = None) -> Question:
    """Add a question at the end of the event's form. Raises InvalidInput (with `field`)."""
    _check(data)
    with transaction():
        count, last = db.session.execute(
            db.select(func.count(), func.max(Question.position)).where(
                Question.event_id == event.id
            )
        ).one()
        if count >= MAX_QUESTIONS:
            raise InvalidInput(f"at most {MAX_QUESTIONS} questions per event", field="label")
        question = Question(event_id=event.id, position=(last or 0) + 1, choices=[])
        _apply(question, data)
        db.session.add(question)
        event.has_questions = True
        db.session.flush()
        record(by, "question.add", question, {"label": question.label})
    return question


def update_question(question: Question, data: QuestionData, *, by: Account | None = None) -> None:
    """Change a question; its answers keep their meaning. Raises InvalidInput (with
    `field`), also for a change of kind once the question has answers."""
    _check(data)
    with transaction():
        if data.kind is not question.kind and _has_answers(question):
            raise InvalidInput(
                "the kind of a question cannot change once people have answered it", field="kind"
            )
        _apply(question, data)
        record(by, "question.update", question, {"label": question.label})


def delete_question(question: Question, *, by: Account | None = None) -> None:
    """Remove a question and every answer to it."""
    with transaction():
        event_id = question.event_id
        record(by, "question.delete", question, {"label": question.label})
        db.session.delete(question)
        db.session.flush()
        left = db.session.scalar(
            db.select(func.count()).select_from(Question).where(Question.event_id == event_id)
        )
        event = db.session.get(Event, event_id)
        if event is not None:
            event.has_questions = bool(left)


def move_question(question: Question, step: int, *, by: Account | None = None) -> bool:
    """Move a question one place up (step -1) or down (+1) on the form; False at an end."""
    with transaction():
        ordered = list(
            db.session.scalars(
                db.select(Question)
                .where(Question.event_id == question.event_id)
                .order_by(Question.position, Question.id)
                .with_for_update()
            )
        )
        index = next(i for i, q in enumerate(ordered) if q.id == question.id)
        target = index + (1 if step > 0 else -1)
        if not 0 <= target < len(ordered):
            return False
        ordered[index], ordered[target] = ordered[target], ordered[index]
        for position, item in enumerate(ordered, start=1):
            item.position = position
        record(by, "question.move", question, {"position": question.position})
    return True


def _has_answers(question: Question) -> bool:
    found = db.session.scalar(
        db.select(Answer.id).where(Answer.question_id == question.id).limit(1)
    )
    return found is not None


def _check(data: QuestionData) -> None:
    """The rules a definition must keep; InvalidInput names the field."""
    if not data.label.strip():
        raise InvalidInput("a question needs a label", field="label")
    for name, limit in (("label", MAX_LABEL), ("label_ko", MAX_LABEL), ("help", MAX_HELP),
                        ("help_ko", MAX_HELP)):  # fmt: skip
        if len(getattr(data, name) or "") > limit:
            raise InvalidInput(f"at most {limit} characters", field=name)
    if data.kind is QuestionKind.NUMBER:
        for name in ("min_value", "max_value"):
            value = getattr(data, name)
            if value is not None and abs(value) > NUMBER_LIMIT:
                raise InvalidInput(f"a bound between ±{NUMBER_LIMIT:,}", field=name)
        if (
            data.min_value is not None
            and data.max_value is not None
            and data.min_value > data.max_value
        ):
            raise InvalidInput("the smallest number is above the largest", field="max_value")
    if data.kind in CHOICE_KINDS:
        _check_choices(data)


def _check_choices(data: QuestionData) -> None:
    choices = [c for c in data.choices if c.label.strip() or (c.label_ko or "").strip()]
    needed = 2 if data.kind is QuestionKind.ONE_CHOICE else 1
    if len(choices) < needed:
        raise InvalidInput(f"give at least {needed} choices", field="choices")
    if len(choices) > MAX_CHOICES:
        raise InvalidInput(f"at most {MAX_CHOICES} choices", field="choices")
    seen: set[str] = set()
    for choice in choices:
        if not choice.label.strip():
            raise InvalidInput("every choice needs its English wording", field="choices")
        if len(choice.label) > MAX_CHOICE_LABEL or len(choice.label_ko or "") > MAX_CHOICE_LABEL:
            raise InvalidInput(
                f"a choice has at most {MAX_CHOICE_LABEL} characters", field="choices"
            )
        wording = choice.label.strip().casefold()
        if wording in seen:
            raise InvalidInput("two choices have the same wording", field="choices")
        seen.add(wording)


def _apply(question: Question, data: QuestionData) -> None:
    question.kind = data.kind
    question.label = data.label.strip()
    question.label_ko = (data.label_ko or "").strip() or None
    question.help = (data.help or "").strip() or None
    question.help_ko = (data.help_ko or "").strip() or None
    question.is_required = data.is_required
    question.categories = " ".join(sorted(c.value for c in data.categories))
    is_number = data.kind is QuestionKind.NUMBER
    question.min_value = data.min_value if is_number else None
    question.max_value = data.max_value if is_number else None
    if data.kind in CHOICE_KINDS:
        question.choices = _keyed_choices(question, data.choices)


def _keyed_choices(question: Question, wanted: Iterable[ChoiceData]) -> list[dict[str, str]]:
    """The new list of choices: an existing key is kept (answers keep their meaning), a
    new choice gets the next unused key. A key the question never gave out is ignored."""
    known = {c["key"] for c in question.choices or ()}
    serial = question.choice_serial or 0
    result: list[dict[str, str]] = []
    for choice in wanted:
        label = choice.label.strip()
        if not label:
            continue
        if choice.key in known:
            key = choice.key
            known.discard(key)  # one choice per key
        else:
            serial += 1
            key = f"c{serial}"
        entry = {"key": str(key), "label": label}
        if (choice.label_ko or "").strip():
            entry["label_ko"] = (choice.label_ko or "").strip()
        result.append(entry)
    question.choice_serial = serial
    return result


def question_or_none(event: Event, question_id: int) -> Question | None:
    """The event's question with this id, or None (never another event's)."""
    question = db.session.get(Question, question_id)
    return question if question is not None and question.event_id == event.id else None


def categories_of(question: Question) -> Sequence[Category]:
    """The categories a question is restricted to (empty: everyone), in enum order."""
    values = question.category_values
    return [c for c in Category if c.value in values]
