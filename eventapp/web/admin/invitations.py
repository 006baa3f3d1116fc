"""Invitations and delegations (#17): the invitation list of an event (uploaded as CSV
with a preview that writes nothing, or one person at a time), each invitee's state,
resend, revoke, remind; and the event's delegations. Organizers of the event's team
only (`event_or_404`); the rules are in `services/admission`."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventapp.errors import DomainError
from eventapp.models import Category, Delegation, Invitation, InvitationState
from eventapp.services.admission import delegations as delegation_service
from eventapp.services.admission import invitation_list, invitees
from eventapp.services.mail import communications
from eventapp.web.admin import actor, bp, child_or_404, event_or_404, paginate
from eventapp.web.feedback import show_error
from eventapp.web.forms.admin_invitations import (
    DelegationForm,
    InviteForm,
    RemindForm,
    SeatsForm,
    UploadForm,
)


def _delegation_choices(event: Any) -> list[tuple[str, str]]:
    return [(str(d.id), d.name) for d in invitees.delegations(event)]


def _state_arg() -> InvitationState | None:
    try:
        return InvitationState(request.args.get("state", ""))
    except ValueError:
        return None


@bp.route("/events/<slug>/invitations", methods=["GET", "POST"])
def invitations(slug: str) -> Any:
    event = event_or_404(slug)
    form = InviteForm(delegations=_delegation_choices(event))
    if form.validate_on_submit():
        data = invitees.InviteeData(
            email=form.email.data,
            given_name=form.given_name.data,
            family_name=form.family_name.data or "",
            organization_name=form.organization_name.data or None,
            category=Category(form.category.data),
            delegation_id=int(form.delegation_id.data) if form.delegation_id.data else None,
            locale=form.locale.data,
        )
        try:
            invitees.invite(event, data, by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Invited; the invitation is in the outbox."), "success")
            return redirect(url_for("admin.invitations", slug=slug))
    return _list_page(event, form=form), (400 if form.errors else 200)


def _list_page(event: Any, **forms: Any) -> str:
    state = _state_arg()
    remind = RemindForm()
    remind.send_key.data = communications.new_send_key()
    return render_template(
        "admin/invitations.html",
        event=event,
        page=paginate(invitees.invitations_statement(event, state)),
        counts=invitees.counts(event),
        state=state,
        states=list(InvitationState),
        upload=forms.get("upload") or UploadForm(formdata=None),
        remind=remind,
        form=forms["form"],
    )


@bp.post("/events/<slug>/invitations/upload")
def invitations_upload(slug: str) -> Any:
    """First the preview (nothing written), then, with `confirm`, the import."""
    event = event_or_404(slug)
    upload = UploadForm()
    if not upload.validate_on_submit():
        return _list_page(event, form=InviteForm(formdata=None, delegations=[]), upload=upload), 400
    raw: bytes | str = upload.csv_text.data or ""
    if upload.csv_file.data:
        raw = upload.csv_file.data.read(invitation_list.MAX_CSV_BYTES + 1)
    if upload.confirm.data == "1":
        try:
            made = invitation_list.import_csv(event, raw, by=actor())
        except DomainError as error:
            show_error(None, error)
        else:
            flash(_("%(n)d invited; the invitations are in the outbox.", n=len(made)), "success")
            return redirect(url_for("admin.invitations", slug=slug))
    preview = invitation_list.parse_csv(event, raw)
    text = raw.decode("utf-8-sig", "replace") if isinstance(raw, bytes) else raw
    return render_template(
        "admin/invitations_preview.html",
        event=event,
        preview=preview,
        upload=upload,
        csv_text=text,
    ), (400 if preview.has_errors else 200)


@bp.post("/events/<slug>/invitations/<int:invitation_id>/resend")
def invitation_resend(slug: str, invitation_id: int) -> Any:
    event = event_or_404(slug)
    invitation = child_or_404(Invitation, invitation_id, event)
    if RemindForm().validate_on_submit():
        try:
            invitees.resend(invitation, by=actor())
        except DomainError as error:
            show_error(None, error)
        else:
            flash(
                _("The invitation was sent again to %(email)s.", email=invitation.email), "success"
            )
    return redirect(url_for("admin.invitations", slug=slug))


@bp.post("/events/<slug>/invitations/<int:invitation_id>/revoke")
def invitation_revoke(slug: str, invitation_id: int) -> Any:
    event = event_or_404(slug)
    invitation = child_or_404(Invitation, invitation_id, event)
    if RemindForm().validate_on_submit():
        invitees.revoke(invitation, by=actor())
        flash(_("The invitation of %(email)s no longer works.", email=invitation.email), "success")
    return redirect(url_for("admin.invitations", slug=slug))


@bp.post("/events/<slug>/invitations/remind")
def invitations_remind(slug: str) -> Any:
    event = event_or_404(slug)
    form = RemindForm()
    if form.validate_on_submit():
        try:
            n = invitees.remind(event, send_key=form.send_key.data or "", by=actor())
        except DomainError as error:
            show_error(None, error)
        else:
            flash(_("%(n)d reminders are in the outbox.", n=n), "success")
    return redirect(url_for("admin.invitations", slug=slug))


@bp.route("/events/<slug>/delegations", methods=["GET", "POST"])
def delegations(slug: str) -> Any:
    event = event_or_404(slug)
    form = DelegationForm()
    if form.validate_on_submit():
        data = delegation_service.DelegationData(
            name=form.name.data,
            seats=form.seats.data,
            head_given_name=form.head_given_name.data,
            head_family_name=form.head_family_name.data or "",
            head_email=form.head_email.data,
            locale=form.locale.data,
        )
        try:
            delegation_service.create_delegation(event, data, by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Delegation created; its head was emailed the link to its page."), "success")
            return redirect(url_for("admin.delegations", slug=slug))
    rows = [(d, delegation_service.members(d)) for d in invitees.delegations(event)]
    return render_template(
        "admin/delegations.html", event=event, form=form, rows=rows, seats_form=SeatsForm
    ), (400 if form.errors else 200)


@bp.post("/events/<slug>/delegations/<int:delegation_id>/seats")
def delegation_seats(slug: str, delegation_id: int) -> Any:
    event = event_or_404(slug)
    delegation = child_or_404(Delegation, delegation_id, event)
    form = SeatsForm()
    if form.validate_on_submit():
        delegation_service.set_seats(delegation, form.seats.data, by=actor())
        flash(_("Seats saved."), "success")
    else:
        flash(_("Seats: a whole number from 0, or empty for no limit."), "error")
    return redirect(url_for("admin.delegations", slug=slug))
