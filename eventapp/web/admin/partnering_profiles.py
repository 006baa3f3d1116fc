"""Organizers edit any partnering profile of their event (#16): its fields, the tags it
offers and seeks, and its logo. Delegates edit the profile they created from their page."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventapp.errors import DomainError
from eventapp.models import Event, Organization, Participant, db
from eventapp.services import pictures
from eventapp.services.partnering import logos, profiles
from eventapp.web.admin import actor, bp, event_or_404
from eventapp.web.feedback import show_error
from eventapp.web.forms.admin import ConfirmForm
from eventapp.web.forms.partnering import LogoForm, ProfileForm, profile_form
from eventapp.web.resources import photos_dir


def _taking_part_or_404(event: Event, profile_id: int) -> Organization:
    """An organization with a delegate in the event's partnering (withdrawn or not)."""
    organization = db.session.get(Organization, profile_id)
    taking_part = organization is not None and db.session.scalar(
        db.select(Participant.id)
        .where(Participant.event_id == event.id, Participant.organization_id == profile_id)
        .limit(1)
    )
    if not taking_part:
        abort(404)
    return organization  # type: ignore[return-value]


def _page(event: Event, organization: Organization, form: ProfileForm, logo_form: LogoForm) -> Any:
    status = 400 if form.errors or logo_form.errors or request.method == "POST" else 200
    return render_template(
        "admin/partnering_profile.html",
        event=event,
        organization=organization,
        form=form,
        logo_form=logo_form,
        confirm_form=ConfirmForm(),
    ), status


@bp.route("/events/<slug>/partnering/profiles/<int:profile_id>", methods=["GET", "POST"])
def partnering_profile(slug: str, profile_id: int) -> Any:
    event = event_or_404(slug)
    organization = _taking_part_or_404(event, profile_id)
    form = profile_form(event, organization, posted=request.method == "POST")
    if form.validate_on_submit():
        try:
            profiles.update_organization(
                event,
                organization,
                form.details(),
                offers=form.offers.data or [],
                seeks=form.seeks.data or [],
                by=actor(),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Profile saved."), "success")
            return redirect(url_for(".partnering", slug=slug))
    return _page(event, organization, form, LogoForm())


@bp.post("/events/<slug>/partnering/profiles/<int:profile_id>/logo")
def partnering_profile_logo(slug: str, profile_id: int) -> Any:
    event = event_or_404(slug)
    organization = _taking_part_or_404(event, profile_id)
    form = LogoForm()
    if form.validate_on_submit():
        try:
            upload = form.logo.data.read(pictures.MAX_BYTES + 1)
            logos.save_logo(organization, upload, photos_dir=photos_dir(), by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Logo saved."), "success")
            return redirect(url_for(".partnering_profile", slug=slug, profile_id=profile_id))
    return _page(event, organization, profile_form(event, organization, posted=False), form)


@bp.post("/events/<slug>/partnering/profiles/<int:profile_id>/logo/remove")
def partnering_profile_logo_remove(slug: str, profile_id: int) -> Any:
    event = event_or_404(slug)
    organization = _taking_part_or_404(event, profile_id)
    if ConfirmForm().validate_on_submit():
        try:
            logos.remove_logo(organization, photos_dir=photos_dir(), by=actor())
        except DomainError as error:
            show_error(None, error)
        else:
            flash(_("Logo removed."), "success")
    return redirect(url_for(".partnering_profile", slug=slug, profile_id=profile_id))
