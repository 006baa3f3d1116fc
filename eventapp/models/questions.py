"""Questions organizers add to an event's registration form (#17), and the answers.

Answers outlive edits of their question. A choice is kept by a stable key (`c1`, `c2`…)
that never changes and is never given to another choice, so an answer keeps meaning the
choice it chose when the wording is corrected; each answer also keeps the wording of the
choices it chose when it was given (`choice_text`), shown when the organizer later
removes such a choice. A question's kind cannot change once it has answers
(`services/questions`): what an answer holds always fits its question's kind.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import Model, UTCDateTime, str_enum, utcnow


class QuestionKind(StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    ONE_CHOICE = "one_choice"
    SEVERAL_CHOICES = "several_choices"
    YES_NO = "yes_no"
    DATE = "date"
    COUNTRY = "country"
    NUMBER = "number"


#: Kinds whose answers are keys of the question's choices.
CHOICE_KINDS = frozenset({QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES})


class Question(Model):
    """One question of an event's registration form, bilingual, in `position` order."""

    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint(
            "min_value IS NULL OR max_value IS NULL OR min_value <= max_value",
            name="bounds_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: Order on the form, smallest first (moved up and down by the organizer).
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind))
    label: Mapped[str] = mapped_column(String(300))
    label_ko: Mapped[str | None] = mapped_column(String(300))
    help: Mapped[str | None] = mapped_column(Text)
    help_ko: Mapped[str | None] = mapped_column(Text)
    is_required: Mapped[bool] = mapped_column(default=False)
    #: Categories (their values, space-separated) the question is asked of; "" asks everyone.
    categories: Mapped[str] = mapped_column(String(200), default="")
    #: Number questions: the smallest and largest whole number accepted (None: no bound).
    min_value: Mapped[int | None]
    max_value: Mapped[int | None]
    #: Choice questions: [{"key": "c1", "label": "…", "label_ko": "…"}, …] in order.
    choices: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: The last choice key given out: keys are never reused, even after a removal.
    choice_serial: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def category_values(self) -> frozenset[str]:
        return frozenset(self.categories.split())

    def is_asked_of(self, category: str | None) -> bool:
        """Whether someone of this category is asked the question."""
        return not self.categories or (category or "") in self.category_values

    def choice(self, key: str) -> dict[str, Any] | None:
        return next((c for c in self.choices or () if c.get("key") == key), None)

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.kind}>"


class Answer(Model):
    """One registration's answer to one question, in the canonical form of its kind:
    the text; "yes"/"no"; an ISO date; a country code; a whole number; the chosen
    choice keys separated by spaces."""

    __tablename__ = "registration_answers"
    __table_args__ = (UniqueConstraint("registration_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(Text)
    #: Choice answers: {key: [English, Korean]} of the chosen choices when answered.
    choice_text: Mapped[dict[str, list[str]] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    question: Mapped[Question] = relationship()

    @property
    def keys(self) -> list[str]:
        return self.value.split()
