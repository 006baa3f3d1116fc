"""Approvals (#17): an approval-required event's pending registrations, approved or
declined one by one or many at once, with an optional message. Organizers of the event's
team only (`event_or_404`); every decision is audited and emailed by the service."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from eventapp.errors import DomainError
from eventapp.labels import CATEGORY_LABELS
from eventapp.models import Category
from eventapp.services import admission
from eventapp.web.admin import actor, bp, event_or_404, paginate
from eventapp.web.feedback import show_error
from eventapp.web.forms.admin import AdminForm, count_field


class DecisionForm(AdminForm):
    """The selected registrations' decision: approve or decline, with a message."""

    note = TextAreaField(
        _l("Message to include in the email (optional)"),
        validators=[Length(max=admission.MAX_NOTE_LENGTH)],
    )


def _selected_ids() -> list[int]:
    return [int(value) for value in request.form.getlist("ids") if value.isdigit()][:500]


@bp.route("/events/<slug>/approvals", methods=["GET", "POST"])
def approvals(slug: str) -> Any:
    event = event_or_404(slug)
    form = DecisionForm()
    selected = _selected_ids()
    decision = request.form.get("decision")
    errors: list[str] = []
    if form.validate_on_submit():
        if decision not in ("approve", "decline"):
            errors.append(_("Choose to approve or to decline."))
        elif not selected:
            errors.append(_("Select at least one registration."))
        else:
            note = form.note.data
            if decision == "approve":
                done = admission.approve(event, selected, note=note, by=actor())
                flash(
                    _(
                        "%(seated)d approved with a seat, %(waiting)d approved onto the "
                        "waiting list; each person is told by email.",
                        seated=len(done.confirmed),
                        waiting=len(done.waitlisted),
                    ),
                    "success",
                )
            else:
                done = admission.decline(event, selected, note=note, by=actor())
                flash(
                    _("%(n)d declined; each person is told by email.", n=len(done.declined)),
                    "success",
                )
            if done.skipped:
                flash(
                    _(
                        "%(n)d were no longer awaiting approval and were left as they are.",
                        n=len(done.skipped),
                    ),
                    "warning",
                )
            return redirect(url_for("admin.approvals", slug=slug))
    page = paginate(admission.pending_statement(event))
    failed = bool(errors or form.errors)
    return render_template(
        "admin/approvals.html",
        event=event,
        form=form,
        page=page,
        selected=set(selected),
        errors=errors,
    ), (400 if failed else 200)


class QuotaForm(AdminForm):
    """One optional seat count per category (empty: no quota, only the capacity)."""


for _category in Category:
    setattr(
        QuotaForm,
        f"quota_{_category.value}",
        count_field(CATEGORY_LABELS[_category]),
    )


@bp.route("/events/<slug>/quotas", methods=["GET", "POST"])
def quotas(slug: str) -> Any:
    event = event_or_404(slug)
    form = QuotaForm()
    if form.validate_on_submit():
        wanted = {c: getattr(form, f"quota_{c.value}").data for c in Category}
        try:
            admission.set_quotas(event, wanted, by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Quotas saved; freed seats went to the waiting list."), "success")
            return redirect(url_for("admin.quotas", slug=slug))
    elif not form.is_submitted():
        for category, seats in admission.quotas(event).items():
            getattr(form, f"quota_{category.value}").data = seats
    return render_template(
        "admin/form.html",
        form=form,
        event=event,
        heading=_("Seats per category"),
        zone_hint=_(
            "At most this many confirmed registrations of a category, on top of the "
            "event's capacity; empty: no quota. The others wait on the waiting list."
        ),
        back=url_for("admin.approvals", slug=slug),
    ), (400 if form.errors else 200)
