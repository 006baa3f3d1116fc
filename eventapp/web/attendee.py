"""Attendee self-service by the secret link in their email: /me/<token>…

Every page answers 404 for an unknown token (no hint whether an email is registered),
is never cached and never indexed, and every change is a CSRF-protected POST followed by
a redirect.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventapp.errors import (
    DuplicateName,
    InvalidInput,
    NotFound,
    RegistrationCancelled,
    RegistrationClosed,
)
from eventapp.models import Delegation, Registration, RegistrationStatus, db
from eventapp.services import registration as registrations
from eventapp.services.admission import delegations
from eventapp.services.checkin import badges
from eventapp.services.partnering.printout import placed_count
from eventapp.services.questions import event_questions
from eventapp.services.questions.answers import answers_of
from eventapp.services.registration import changes, email_change, personal_data, signups
from eventapp.web.forms.attendee import ConfirmForm, DetailsForm, EmailChangeForm, SessionsForm
from eventapp.web.forms.questions import with_questions
from eventapp.web.forms.registration import session_choices
from eventapp.web.lookups import registration_or_404
from eventapp.web.templating import current_language

bp = Blueprint("attendee", __name__)


@bp.after_request
def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _sessions_form(registration: Registration) -> SessionsForm:
    form = SessionsForm(data={"sessions": [s.session_id for s in registration.signups]})
    form.sessions.choices = session_choices(registration.event)
    return form


@bp.get("/me/<token>")
def manage(token: str) -> Any:
    registration = registration_or_404(token)
    signup_rows = [
        (signup, signups.session_position(signup)) for signup in signups.shown_signups(registration)
    ]
    return render_template(
        "attendee/manage.html",
        registration=registration,
        event=registration.event,
        position=registrations.waitlist_position(registration),
        signup_rows=signup_rows,
        left_off_badge=badges.left_off_badge(registration),
        sessions_form=_sessions_form(registration),
        is_active=registration.status is not RegistrationStatus.CANCELLED,
        confirm_form=ConfirmForm(),
        **_questions_and_answers(registration),
        placed_meetings=placed_count(registration),
        **_delegation_context(registration),
    )


def _questions_and_answers(registration: Registration) -> dict[str, Any]:
    """The questions asked of the registrant (or answered by them) and their answers."""
    questions = event_questions(registration.event)
    if not questions:
        return {"questions": [], "answers": {}}
    answers = answers_of(registration)
    asked = [q for q in questions if q.is_asked_of(registration.category) or q.id in answers]
    return {"questions": asked, "answers": answers}


def _delegation_context(registration: Registration) -> dict[str, Any]:
    """The member's delegation, and for its head every member's status (#17)."""
    led = delegations.led_by(registration)
    member_of = (
        db.session.get(Delegation, registration.delegation_id)
        if registration.delegation_id
        else None
    )
    return {
        "member_of": member_of,
        "led": led,
        "led_members": delegations.members(led) if led else None,
    }


@bp.post("/me/<token>/register-again")
def register_again(token: str) -> Any:
    """Take a cancelled registration up again: only the holder of its link may (#15)."""
    registration = registration_or_404(token)
    if ConfirmForm().validate_on_submit():
        try:
            outcome = registrations.register_again(registration)
        except RegistrationClosed:
            flash(_("Registration is closed."), "error")
        else:
            if outcome.status is RegistrationStatus.CONFIRMED:
                flash(_("You are registered again. We have sent you an email."), "success")
            else:
                flash(_("The event is full: you are on the waiting list again."), "success")
    return redirect(url_for(".manage", token=token))


@bp.post("/me/<token>/sessions")
def choose_sessions(token: str) -> Any:
    registration = registration_or_404(token)
    form = _sessions_form(registration)
    if not form.validate_on_submit():
        flash(_("Please choose among the sessions listed."), "error")
        return redirect(url_for(".manage", token=token))
    chosen = form.sessions.data or []
    given_up = signups.seats_given_up(registration, chosen)
    if given_up and request.form.get("give_up") != "yes":
        # A seat given up goes to the next person waiting at once: ask first.
        waiting = signups.signup_counts(
            [s.session_id for s in given_up], RegistrationStatus.WAITLISTED
        )
        return render_template(
            "attendee/give_up.html",
            registration=registration,
            event=registration.event,
            form=form,
            chosen=chosen,
            given_up=[(signup, waiting.get(signup.session_id, 0)) for signup in given_up],
        )
    try:
        changes.choose_sessions(registration, chosen)
    except (InvalidInput, RegistrationCancelled):
        flash(_("These sessions cannot be chosen."), "error")
    else:
        flash(_("Your sessions are saved."), "success")
    return redirect(url_for(".manage", token=token))


@bp.route("/me/<token>/email", methods=["GET", "POST"])
def change_email(token: str) -> Any:
    """Ask for a new address; a link sent to it confirms it (`registration.email_change`)."""
    registration = registration_or_404(token)
    form = EmailChangeForm()
    if form.validate_on_submit():
        try:
            email_change.request_change(registration, form.email.data)
        except InvalidInput:
            form.email.errors = [
                _("Please give a valid email address other than your current one.")
            ]
        else:
            flash(
                _(
                    "We sent a link to %(email)s. Your address changes when you open it.",
                    email=form.email.data,
                ),
                "success",
            )
            return redirect(url_for(".manage", token=token))
    status = 400 if form.errors else 200
    return render_template("attendee/email.html", registration=registration, form=form), status


@bp.route("/me/<token>/email/confirm", methods=["GET", "POST"])
def confirm_email(token: str) -> Any:
    """The link from the new address: a page with a button (a GET changes nothing)."""
    registration = registration_or_404(token)
    change = request.args.get("change", "")
    form = ConfirmForm()
    try:
        new = email_change.pending_address(registration, change)
    except NotFound:
        return render_template("attendee/email_confirm.html", registration=registration,
                               form=form, new=None), 404  # fmt: skip
    if form.validate_on_submit():
        try:
            email_change.confirm_change(registration, change)
        except NotFound:
            return redirect(url_for(".confirm_email", token=token, change=change))
        except DuplicateName:
            flash(_("%(email)s is already registered for this event.", email=new), "error")
            return redirect(url_for(".manage", token=token))
        flash(_("Your email address is now %(email)s.", email=new), "success")
        return redirect(url_for(".manage", token=token))
    return render_template(
        "attendee/email_confirm.html", registration=registration, form=form, new=new
    )


@bp.route("/me/<token>/details", methods=["GET", "POST"])
def details(token: str) -> Any:
    registration = registration_or_404(token)
    questions = event_questions(registration.event)  # none and no query without any (#17)
    form = with_questions(DetailsForm, questions, current_language())(obj=registration)
    form.set_countries(current_language())
    form.keep_current(registration)
    if questions and not form.is_submitted():
        form.load_answers(answers_of(registration))
    if form.validate_on_submit():
        answers = form.checked_answers if questions else None
        try:
            changes.update_details(registration, form.to_details(), answers=answers)
        except RegistrationCancelled:
            flash(_("A cancelled registration cannot be changed."), "error")
        else:
            flash(_("Your details are saved."), "success")
        return redirect(url_for(".manage", token=token))
    status = 400 if form.errors else 200
    template = "attendee/details.html"
    return render_template(template, registration=registration, form=form), status


@bp.route("/me/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str) -> Any:
    registration = registration_or_404(token)
    form = ConfirmForm()
    if form.validate_on_submit():
        changes.cancel_registration(registration)
        flash(_("Your registration is cancelled. We have sent you an email."), "success")
        return redirect(url_for(".manage", token=token))
    return render_template("attendee/cancel.html", registration=registration, form=form)


@bp.get("/me/<token>/data.json")
def export(token: str) -> Any:
    """Everything we hold about the registrant, as a JSON download."""
    registration = registration_or_404(token)
    body = json.dumps(personal_data.export_data(registration), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    filename = f"registration-{registration.event.slug}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/me/<token>/delete", methods=["GET", "POST"])
def delete(token: str) -> Any:
    registration = registration_or_404(token)
    form = ConfirmForm()
    if form.validate_on_submit():
        event = registration.event
        personal_data.delete_registration(registration)
        flash(_("Your data is deleted. The link in your emails no longer works."), "success")
        if event.is_published:
            return redirect(url_for("public.event", slug=event.slug))
        return redirect(url_for("public.index"))
    return render_template("attendee/delete.html", registration=registration, form=form)
