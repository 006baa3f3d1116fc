"""Speakers (with photos) and organizations: list, add, edit, delete (with confirmation)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from eventapp.errors import DomainError
from eventapp.models import Organization, Speaker, db
from eventapp.services.setup import speakers
from eventapp.web.admin import actor, bp, paginate, shared_or_403, text_arg
from eventapp.web.feedback import show_error
from eventapp.web.forms.admin import ConfirmForm
from eventapp.web.forms.admin_people import OrganizationForm, PhotoForm, SpeakerForm
from eventapp.web.resources import photos_dir


@bp.get("/speakers")
def speaker_list() -> Any:
    query = text_arg("q")
    statement = speakers.speakers_statement(query).options(joinedload(Speaker.organization))
    return render_template("admin/speakers.html", page=paginate(statement), query=query)


@bp.route("/speakers/new", methods=["GET", "POST"])
def speaker_new() -> Any:
    form = SpeakerForm(speakers.organizations())
    if form.validate_on_submit():
        try:
            speaker = speakers.create_speaker(form.to_data(), by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Speaker added."), "success")
            return redirect(url_for("admin.speaker_edit", speaker_id=speaker.id))
    return render_template(
        "admin/form.html", form=form, heading=_("New speaker"), back=url_for("admin.speaker_list")
    ), (400 if form.errors else 200)


@bp.route("/speakers/<int:speaker_id>/edit", methods=["GET", "POST"])
def speaker_edit(speaker_id: int) -> Any:
    speaker = shared_or_403(Speaker, speaker_id)
    form = SpeakerForm(speakers.organizations())
    if form.validate_on_submit():
        try:
            speakers.update_speaker(speaker, form.to_data(), by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Speaker saved."), "success")
            return redirect(url_for("admin.speaker_edit", speaker_id=speaker.id))
    elif not form.is_submitted():
        form.load(speaker)
    return _speaker_page(speaker, form, PhotoForm(formdata=None))


def _speaker_page(speaker: Speaker, form: SpeakerForm, photo_form: PhotoForm) -> Any:
    status = 400 if form.errors or photo_form.errors else 200
    return render_template(
        "admin/speaker.html",
        speaker=speaker,
        form=form,
        photo_form=photo_form,
        confirm_form=ConfirmForm(),
    ), status


@bp.post("/speakers/<int:speaker_id>/photo")
def speaker_photo_upload(speaker_id: int) -> Any:
    speaker = shared_or_403(Speaker, speaker_id)
    photo_form = PhotoForm()
    if photo_form.validate_on_submit():
        try:
            upload = photo_form.photo.data.read(speakers.MAX_PHOTO_BYTES + 1)
            speakers.save_photo(speaker, upload, by=actor(), photos_dir=photos_dir())
        except DomainError as error:
            show_error(photo_form, error)
        else:
            flash(_("Photo saved."), "success")
            return redirect(url_for("admin.speaker_edit", speaker_id=speaker.id))
    form = SpeakerForm(speakers.organizations(), formdata=None)
    form.load(speaker)
    return _speaker_page(speaker, form, photo_form)


@bp.post("/speakers/<int:speaker_id>/photo/remove")
def speaker_photo_remove(speaker_id: int) -> Any:
    speaker = shared_or_403(Speaker, speaker_id)
    if ConfirmForm().validate_on_submit():
        speakers.remove_photo(speaker, by=actor(), photos_dir=photos_dir())
        flash(_("Photo removed."), "success")
    return redirect(url_for("admin.speaker_edit", speaker_id=speaker.id))


@bp.get("/speakers/<int:speaker_id>/photo/<int:size>.jpg")
def speaker_photo(speaker_id: int, size: int) -> Any:
    speaker = db.get_or_404(Speaker, speaker_id)
    path = speakers.photo_path(speaker, size, photos_dir=photos_dir())
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=3600)


@bp.route("/speakers/<int:speaker_id>/delete", methods=["GET", "POST"])
def speaker_delete(speaker_id: int) -> Any:
    speaker = shared_or_403(Speaker, speaker_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        speakers.delete_speaker(speaker, by=actor(), photos_dir=photos_dir())
        flash(_("Speaker deleted."), "success")
        return redirect(url_for("admin.speaker_list"))
    return render_template(
        "admin/confirm.html",
        form=form,
        heading=_("Delete this speaker?"),
        subject=speaker.name,
        consequence=_("They are removed from every session they appear in."),
        button=_("Delete speaker"),
        back=url_for("admin.speaker_edit", speaker_id=speaker.id),
    )


@bp.get("/organizations")
def organization_list() -> Any:
    return render_template(
        "admin/organizations.html", page=paginate(speakers.organizations_statement())
    )


@bp.route("/organizations/new", methods=["GET", "POST"])
@bp.route("/organizations/<int:organization_id>/edit", methods=["GET", "POST"])
def organization_edit(organization_id: int | None = None) -> Any:
    organization = shared_or_403(Organization, organization_id) if organization_id else None
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            if organization is None:
                speakers.create_organization(form.to_data(), by=actor())
            else:
                speakers.update_organization(organization, form.to_data(), by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Organization saved."), "success")
            return redirect(url_for("admin.organization_list"))
    elif not form.is_submitted() and organization is not None:
        form.load(organization)
    heading = _("New organization") if organization is None else _("Edit organization")
    return render_template(
        "admin/form.html", form=form, heading=heading, back=url_for("admin.organization_list")
    ), (400 if form.errors else 200)


@bp.route("/organizations/<int:organization_id>/delete", methods=["GET", "POST"])
def organization_delete(organization_id: int) -> Any:
    organization = shared_or_403(Organization, organization_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        speakers.delete_organization(organization, by=actor())
        flash(_("Organization deleted."), "success")
        return redirect(url_for("admin.organization_list"))
    return render_template(
        "admin/confirm.html",
        form=form,
        heading=_("Delete this organization?"),
        subject=organization.name,
        consequence=_("Its speakers stay, without an organization."),
        button=_("Delete organization"),
        back=url_for("admin.organization_list"),
    )
