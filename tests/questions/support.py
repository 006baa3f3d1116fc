"""Helpers of the questions tests: questions made through the service, as organizers do."""

from __future__ import annotations

from typing import Any

from eventapp.models import Category, Event, Question, QuestionKind
from eventapp.services import questions
from eventapp.services.questions import ChoiceData, QuestionData


def add(event: Event, kind: QuestionKind, label: str = "", **overrides: Any) -> Question:
    """A question of `kind` on the event's form (choices: Red, Green, Blue for choice kinds)."""
    values: dict[str, Any] = {"label": label or f"{kind.value} question"}
    if kind in (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES):
        values["choices"] = (
            ChoiceData("Red", "빨강"),
            ChoiceData("Green", "초록"),
            ChoiceData("Blue", "파랑"),
        )
    values.update(overrides)
    if "categories" in values:
        values["categories"] = frozenset(Category(c) for c in values["categories"])
    return questions.add_question(event, QuestionData(kind=kind, **values))


def form_data(**overrides: Any) -> dict[str, Any]:
    """A valid public registration form, before the answers."""
    data: dict[str, Any] = {
        "given_name": "Minji",
        "family_name": "Kim",
        "email": "minji@example.org",
        "country": "KR",
        "category": "industry",
        "consent": "y",
    }
    data.update(overrides)
    return data
