"""Questions of an event's registration form (#17): list, add, edit, delete, and move up
or down with buttons (keyboard-usable, no script). Organizers of the event's team only
(`event_or_404`); every change is audited by the service."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventapp.errors import DomainError
from eventapp.models import Event, Question
from eventapp.services import questions
from eventapp.web.admin import actor, bp, event_or_404
from eventapp.web.feedback import show_error
from eventapp.web.forms.admin import ConfirmForm
from eventapp.web.forms.admin_questions import QuestionForm


def _question_or_404(event: Event, question_id: int) -> Question:
    question = questions.question_or_none(event, question_id)
    if question is None:
        abort(404)
    return question


@bp.get("/events/<slug>/questions")
def question_list(slug: str) -> Any:
    event = event_or_404(slug)
    return render_template(
        "admin/questions.html",
        event=event,
        questions=questions.event_questions(event),
        counts=questions.answer_counts(event) if event.has_questions else {},
        confirm_form=ConfirmForm(),
    )


def _edit_page(event: Event, form: QuestionForm, question: Question | None) -> Any:
    return render_template("admin/question.html", event=event, form=form, question=question), (
        400 if form.errors else 200
    )


@bp.route("/events/<slug>/questions/new", methods=["GET", "POST"])
def question_new(slug: str) -> Any:
    event = event_or_404(slug)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            questions.add_question(event, form.to_data(), by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Question added to the registration form."), "success")
            return redirect(url_for("admin.question_list", slug=slug))
    return _edit_page(event, form, None)


@bp.route("/events/<slug>/questions/<int:question_id>/edit", methods=["GET", "POST"])
def question_edit(slug: str, question_id: int) -> Any:
    event = event_or_404(slug)
    question = _question_or_404(event, question_id)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            questions.update_question(question, form.to_data(), by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Question saved; earlier answers keep their meaning."), "success")
            return redirect(url_for("admin.question_list", slug=slug))
    elif not form.is_submitted():
        form.load(question)
    return _edit_page(event, form, question)


@bp.route("/events/<slug>/questions/<int:question_id>/delete", methods=["GET", "POST"])
def question_delete(slug: str, question_id: int) -> Any:
    event = event_or_404(slug)
    question = _question_or_404(event, question_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        questions.delete_question(question, by=actor())
        flash(_("Question deleted, with its answers."), "success")
        return redirect(url_for("admin.question_list", slug=slug))
    answered = questions.answer_counts(event).get(question.id, 0)
    return render_template(
        "admin/confirm.html",
        form=form,
        event=event,
        heading=_("Delete this question?"),
        subject=question.label,
        consequence=_(
            "It leaves the registration form, and the %(n)d answers given to it are deleted.",
            n=answered,
        ),
        button=_("Delete the question"),
        back=url_for("admin.question_list", slug=slug),
    )


@bp.post("/events/<slug>/questions/<int:question_id>/move")
def question_move(slug: str, question_id: int) -> Any:
    event = event_or_404(slug)
    question = _question_or_404(event, question_id)
    if ConfirmForm().validate_on_submit():
        step = -1 if request.form.get("direction") == "up" else 1
        questions.move_question(question, step, by=actor())
    # Back to the moved row, so keyboard users can press the button again.
    return redirect(url_for("admin.question_list", slug=slug, _anchor=f"question-{question_id}"))
