"""A participant's organization logo and the times they cannot meet, and the logo as the
directory shows it."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from eventapp.errors import DomainError
from eventapp.models import Organization, Participant, db
from eventapp.services import pictures
from eventapp.services.partnering import logos, meetings, profiles
from eventapp.web.forms.attendee import ConfirmForm
from eventapp.web.forms.partnering import LogoForm, UnavailableForm, profile_form
from eventapp.web.lookups import published_event_or_404
from eventapp.web.partnering import (
    bp,
    message_for,
    own_participant,
    profile_page,
    refusal,
    slot_label,
    viewer_or_404,
)
from eventapp.web.resources import photos_dir


@bp.post("/me/<token>/partnering/logo")
def logo_upload(token: str) -> Any:
    registration, participant = own_participant(token)
    organization = participant.organization
    if not profiles.can_edit(organization, participant):
        abort(404)
    form = LogoForm()
    if form.validate_on_submit():
        try:
            upload = form.logo.data.read(pictures.MAX_BYTES + 1)
            logos.save_logo(organization, upload, photos_dir=photos_dir(), participant=participant)
        except DomainError as error:
            db.session.rollback()
            form.logo.errors = [message_for(error)]
        else:
            flash(_("Logo saved."), "success")
            return redirect(url_for(".profile", token=token))
    page_form = profile_form(registration.event, organization, posted=False)
    return profile_page(registration, participant, page_form, form), 400


@bp.post("/me/<token>/partnering/logo/remove")
def logo_remove(token: str) -> Any:
    participant = own_participant(token)[1]
    if ConfirmForm().validate_on_submit():
        try:
            logos.remove_logo(
                participant.organization, photos_dir=photos_dir(), participant=participant
            )
        except DomainError as error:
            refusal(error)
        else:
            flash(_("Logo removed."), "success")
    return redirect(url_for(".profile", token=token))


@bp.get("/e/<slug>/partnering/logos/<int:organization_id>.jpg")
def logo(slug: str, organization_id: int) -> Any:
    """An organization's logo, for those who may see the directory (a delegate of it takes
    part in the event, or took part: its logo is no secret, but the list of who is)."""
    event = published_event_or_404(slug)
    viewer_or_404(event)
    organization = db.session.get(Organization, organization_id)
    listed = organization is not None and db.session.scalar(
        db.select(Participant.id).where(
            Participant.event_id == event.id,
            Participant.organization_id == organization_id,
            Participant.withdrawn.is_(False),
        )
    )
    if organization is None or not listed:
        abort(404)
    path = logos.logo_path(organization, photos_dir=photos_dir())
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=3600)


@bp.route("/me/<token>/partnering/unavailable", methods=["GET", "POST"])
def unavailable(token: str) -> Any:
    """The meeting times a participant cannot meet in (the scheduler leaves them free)."""
    registration, participant = own_participant(token)
    event = registration.event
    slots = meetings.event_slots(event.id)
    form = UnavailableForm()
    form.slots.choices = [(slot.id, slot_label(slot, event.timezone)) for slot in slots]
    problem = None
    if form.validate_on_submit():
        try:
            meetings.set_unavailable(participant, form.slots.data or [])
        except DomainError as error:
            db.session.rollback()
            problem = message_for(error)
        else:
            flash(_("Your unavailable times are saved."), "success")
            return redirect(url_for(".me", token=token))
    chosen = (
        set(form.slots.data or [])
        if request.method == "POST"
        else meetings.unavailable_slot_ids(participant)
    )
    return render_template(
        "partnering/unavailable.html",
        registration=registration,
        event=event,
        form=form,
        groups=[(s, list(group)) for s, group in groupby(slots, key=lambda slot: slot.session)],
        chosen=chosen,
        booked=meetings.meeting_slot_ids(participant),
        label=lambda slot: slot_label(slot, event.timezone),
        problem=problem,
    ), 400 if request.method == "POST" else 200
