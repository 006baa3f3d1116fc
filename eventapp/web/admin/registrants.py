"""Registrants of an event: search and filter, edit, CSV export; cancel, promote, resend."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventapp.errors import DomainError
from eventapp.models import Registration
from eventapp.services.checkin import attendance, badges
from eventapp.services.questions import event_questions
from eventapp.services.questions.answers import answers_of
from eventapp.services.registration import changes, registrants
from eventapp.web.admin import actor, bp, child_or_404, event_or_404, paginate
from eventapp.web.feedback import show_error
from eventapp.web.forms.admin import ConfirmForm
from eventapp.web.forms.admin_registrants import RegistrantFilterForm, RegistrantForm
from eventapp.web.forms.questions import with_questions
from eventapp.web.templating import current_language


@bp.get("/events/<slug>/registrants")
def registrant_list(slug: str) -> Any:
    event = event_or_404(slug)
    filter_form = RegistrantFilterForm(request.args, event=event)
    page = paginate(registrants.registrants_statement(event, filter_form.to_filter()))
    return render_template(
        "admin/registrants.html",
        event=event,
        filter_form=filter_form,
        page=page,
        checked_in=attendance.checked_in_ids([r.id for r in page.items]),
        query_args=filter_form.query_args(),
        confirm_form=ConfirmForm(),
    )


@bp.get("/events/<slug>/registrants.csv")
def registrant_csv(slug: str) -> Any:
    event = event_or_404(slug)
    flt = RegistrantFilterForm(request.args, event=event).to_filter()
    response = Response(registrants.export_csv(event, flt), mimetype="text/csv")
    name = re.sub(r"[^A-Za-z0-9_-]", "", event.slug) or "event"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-registrants.csv"'
    response.headers["Cache-Control"] = "no-store"  # personal data
    return response


@bp.route("/events/<slug>/registrants/<int:registration_id>/edit", methods=["GET", "POST"])
def registrant_edit(slug: str, registration_id: int) -> Any:
    event = event_or_404(slug)
    registration = child_or_404(Registration, registration_id, event)
    questions = event_questions(event)
    # Organizers may leave required questions unanswered (staff=True).
    form = with_questions(RegistrantForm, questions, current_language(), staff=True)()
    if form.validate_on_submit():
        data = form.to_data()
        if questions:
            data = replace(data, answers=form.checked_answers)
        try:
            registrants.update_registrant(registration, data, by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Registrant saved."), "success")
            return redirect(url_for("admin.registrant_list", slug=slug))
    elif not form.is_submitted():
        form.load(registration)
        if questions:
            form.load_answers(answers_of(registration))
    return render_template(
        "admin/registrant.html",
        event=event,
        registration=registration,
        checked_in=registration.id in attendance.checked_in_ids([registration.id]),
        left_off_badge=badges.left_off_badge(registration),
        form=form,
        confirm_form=ConfirmForm(),
    ), (400 if form.errors else 200)


@bp.route("/events/<slug>/registrants/<int:registration_id>/cancel", methods=["GET", "POST"])
def registrant_cancel(slug: str, registration_id: int) -> Any:
    event = event_or_404(slug)
    registration = child_or_404(Registration, registration_id, event)
    form = ConfirmForm()
    if form.validate_on_submit():
        changes.cancel_registration(registration, by=actor())
        flash(_("Registration cancelled; the person is told by email."), "success")
        return redirect(
            url_for("admin.registrant_edit", slug=slug, registration_id=registration_id)
        )
    return render_template(
        "admin/confirm.html",
        form=form,
        event=event,
        heading=_("Cancel this registration?"),
        subject=f"{registration.name} <{registration.email}>",
        consequence=_("Their seat goes to the first person on the waiting list."),
        button=_("Cancel registration"),
        back=url_for("admin.registrant_edit", slug=slug, registration_id=registration_id),
    )


@bp.post("/events/<slug>/registrants/<int:registration_id>/<any(promote, resend):action>")
def registrant_action(slug: str, registration_id: int, action: str) -> Any:
    event = event_or_404(slug)
    registration = child_or_404(Registration, registration_id, event)
    if ConfirmForm().validate_on_submit():
        try:
            if action == "promote":
                registrants.promote_registrant(registration, by=actor())
                flash(_("Promoted; the person is told by email."), "success")
            else:
                registrants.resend_confirmation(registration, by=actor())
                flash(_("The confirmation is queued in the outbox."), "success")
        except DomainError as error:
            show_error(None, error)
    return redirect(url_for("admin.registrant_edit", slug=slug, registration_id=registration_id))


@bp.post("/events/<slug>/registrants/promote-next")
def registrant_promote_next(slug: str) -> Any:
    event = event_or_404(slug)
    if ConfirmForm().validate_on_submit():
        promoted = changes.promote_next(event, by=actor())
        flash(_("%(n)d people promoted from the waiting list.", n=len(promoted)), "success")
    return redirect(url_for("admin.registrant_list", slug=slug))
