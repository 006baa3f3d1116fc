"""The one check of each kind of question, and answers that outlive edits (#17)."""

from __future__ import annotations

import pytest

from eventapp.errors import InvalidInput
from eventapp.models import Answer, QuestionKind, db
from eventapp.services import questions
from eventapp.services.questions import ChoiceData, QuestionData
from eventapp.services.questions.answers import (
    AnswerProblem,
    add_answers,
    answer_text,
    check_answer,
    check_answers,
    choice_labels,
)
from tests.factories import make_event, make_registration
from tests.questions.support import add

K = QuestionKind


def _problem(question, raw, **kwargs):
    with pytest.raises(AnswerProblem) as caught:
        check_answer(question, raw, **kwargs)
    return caught.value.problem


@pytest.mark.parametrize(
    ("kind", "overrides", "raw", "stored"),
    [
        (K.SHORT_TEXT, {}, "  Seoul   Office ", "Seoul Office"),
        (K.LONG_TEXT, {}, "line one\nline two", "line one\nline two"),
        (K.ONE_CHOICE, {}, "c2", "c2"),
        (K.SEVERAL_CHOICES, {}, ["c3", "c1", "c3"], "c1 c3"),
        (K.YES_NO, {}, "no", "no"),
        (K.DATE, {}, "2024-02-29", "2024-02-29"),
        (K.COUNTRY, {}, "us", "US"),
        (K.NUMBER, {"min_value": -5, "max_value": 5}, "-5", "-5"),
        (K.NUMBER, {}, "1,200", "1200"),
    ],
)
def test_each_kind_stores_its_canonical_answer(ctx, kind, overrides, raw, stored):
    question = add(make_event(), kind, **overrides)

    answer = check_answer(question, raw)

    assert answer is not None
    assert answer.value == stored


@pytest.mark.parametrize(
    ("kind", "overrides", "raw", "problem"),
    [
        (K.SHORT_TEXT, {}, "x" * 301, "too_long"),
        (K.SHORT_TEXT, {}, "nul\x00byte", "controls"),
        (K.LONG_TEXT, {}, "bell\x07", "controls"),
        (K.ONE_CHOICE, {}, "c9", "not_a_choice"),
        (K.ONE_CHOICE, {}, ["c1", "c2"], "one_choice"),
        (K.SEVERAL_CHOICES, {}, ["c1", "nope"], "not_a_choice"),
        (K.YES_NO, {}, "maybe", "yes_no"),
        (K.DATE, {}, "2023-02-30", "not_a_date"),
        (K.DATE, {}, "31/12/2023", "not_a_date"),
        (K.DATE, {}, "0001-01-01", "not_a_date"),
        (K.COUNTRY, {}, "XX", "not_a_country"),
        (K.NUMBER, {}, "12abc", "not_a_number"),
        (K.NUMBER, {}, "1.5", "not_a_number"),
        (K.NUMBER, {}, "9" * 40, "not_a_number"),
        (K.NUMBER, {}, "١٢", "not_a_number"),  # Arabic-Indic digits are not ours to guess
        (K.NUMBER, {"min_value": 1, "max_value": 3}, "4", "out_of_range"),
        (K.NUMBER, {"min_value": 1}, "0", "too_small"),
        (K.NUMBER, {"max_value": 10}, "11", "too_large"),
    ],
)
def test_each_kind_refuses_what_does_not_fit(ctx, kind, overrides, raw, problem):
    question = add(make_event(), kind, **overrides)

    assert _problem(question, raw) == problem


@pytest.mark.parametrize("kind", list(QuestionKind))
def test_a_required_question_needs_an_answer_and_an_optional_one_does_not(ctx, kind):
    event = make_event()
    required = add(event, kind, "Required", is_required=True)
    optional = add(event, kind, "Optional")

    assert _problem(required, "  ") == "required"
    assert _problem(required, []) == "required"
    assert check_answer(optional, "") is None
    assert check_answer(required, None, required=False) is None  # organizers may skip it


def test_bounds_are_inclusive(ctx):
    question = add(make_event(), K.NUMBER, min_value=2, max_value=4)

    assert [check_answer(question, str(n)).value for n in (2, 3, 4)] == ["2", "3", "4"]


def test_a_question_for_the_press_counts_for_the_press_only(ctx):
    event = make_event()
    card = add(event, K.SHORT_TEXT, "Press card", is_required=True, categories={"press"})
    everyone = add(event, K.YES_NO, "Lunch?")

    industry, industry_problems = check_answers(
        [card, everyone], {card.id: "PC-1", everyone.id: "yes"}, "industry"
    )
    _press, press_problems = check_answers([card, everyone], {everyone.id: "yes"}, "press")

    assert [a.question_id for a in industry] == [everyone.id]  # the card is dropped
    assert industry_problems == {}
    assert list(press_problems) == [card.id]
    assert press_problems[card.id].problem == "required"


def _store(registration, question, raw):
    add_answers(registration, [check_answer(question, raw)])
    db.session.commit()
    return db.session.scalar(db.select(Answer).where(Answer.question_id == question.id))


def test_answers_keep_their_meaning_when_choices_are_reworded_reordered_or_removed(ctx):
    event = make_event()
    question = add(event, K.SEVERAL_CHOICES, "Colours")
    answer = _store(make_registration(event), question, ["c1", "c3"])

    questions.update_question(
        question,
        QuestionData(
            kind=K.SEVERAL_CHOICES,
            label="Favourite colours",
            choices=(
                ChoiceData("Navy blue", "남색", key="c3"),  # reworded and moved first
                ChoiceData("Green", key="c2"),
                ChoiceData("Yellow"),  # new; "Red" (c1) removed
            ),
        ),
    )
    db.session.refresh(answer)

    assert [c["key"] for c in question.choices] == ["c3", "c2", "c4"]  # c1 is never reused
    assert choice_labels(question, answer, "en") == ["Red", "Navy blue"]
    assert choice_labels(question, answer, "ko") == ["빨강", "남색"]
    assert answer_text(question, answer) == "Red; Navy blue"


def test_a_key_the_question_never_gave_out_makes_a_new_choice(ctx):
    question = add(make_event(), K.ONE_CHOICE)

    questions.update_question(
        question,
        QuestionData(
            kind=K.ONE_CHOICE,
            label="Pick",
            choices=(ChoiceData("Red", key="c1"), ChoiceData("Forged", key="c1")),
        ),
    )

    assert [c["key"] for c in question.choices] == ["c1", "c4"]


def test_the_kind_cannot_change_once_answered(ctx):
    event = make_event()
    question = add(event, K.SHORT_TEXT, "Badge name")
    change = QuestionData(kind=K.NUMBER, label="Badge name")
    questions.update_question(question, change)  # no answers yet: allowed
    _store(make_registration(event), question, "12")

    with pytest.raises(InvalidInput) as caught:
        questions.update_question(question, QuestionData(kind=K.DATE, label="Badge name"))

    assert caught.value.details["field"] == "kind"
    db.session.refresh(question)
    assert question.kind is K.NUMBER


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (QuestionData(kind=K.SHORT_TEXT, label="   "), "label"),
        (QuestionData(kind=K.NUMBER, label="n", min_value=5, max_value=1), "max_value"),
        (QuestionData(kind=K.ONE_CHOICE, label="c", choices=(ChoiceData("Only"),)), "choices"),
        (
            QuestionData(
                kind=K.SEVERAL_CHOICES, label="c", choices=(ChoiceData("A"), ChoiceData("a"))
            ),
            "choices",
        ),
        (
            QuestionData(kind=K.SEVERAL_CHOICES, label="c", choices=(ChoiceData("", "만"),)),
            "choices",
        ),
    ],
)
def test_definitions_that_break_a_rule_are_refused_with_their_field(ctx, data, field):
    event = make_event()

    with pytest.raises(InvalidInput) as caught:
        questions.add_question(event, data)

    assert caught.value.details["field"] == field
    assert questions.event_questions(event) == []


def test_the_event_knows_whether_it_has_questions(ctx):
    event = make_event()
    first = add(event, K.YES_NO)
    second = add(event, K.DATE)
    assert event.has_questions is True

    questions.delete_question(first)
    assert event.has_questions is True
    questions.delete_question(second)

    db.session.refresh(event)
    assert event.has_questions is False


def test_moving_swaps_neighbours_and_stops_at_the_ends(ctx):
    event = make_event()
    a, _b, c = (add(event, K.YES_NO, label) for label in "abc")

    assert questions.move_question(c, -1) is True
    assert questions.move_question(a, -1) is False

    assert [q.label for q in questions.event_questions(event)] == ["a", "c", "b"]
    assert questions.move_question(a, 1) is True
    assert [q.label for q in questions.event_questions(event)] == ["c", "a", "b"]
