"""Rooms and tracks of an event: list, add, edit, delete (with confirmation)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from eventapp.errors import DomainError
from eventapp.models import Event, Room, Track
from eventapp.services.setup import events
from eventapp.web.admin import actor, bp, child_or_404, event_or_404
from eventapp.web.feedback import show_error
from eventapp.web.forms.admin import ConfirmForm, RoomForm, TrackForm

#: kind → (model, form, create, update, delete)
_KINDS: dict[str, Any] = {
    "rooms": (Room, RoomForm, events.create_room, events.update_room, events.delete_room),
    "tracks": (Track, TrackForm, events.create_track, events.update_track, events.delete_track),
}


def _kind_or_404(kind: str) -> Any:
    if kind not in _KINDS:
        abort(404)
    return _KINDS[kind]


@bp.get("/events/<slug>/places")
def places(slug: str) -> Any:
    event = event_or_404(slug)
    return _places_page(event, RoomForm(prefix="room"), TrackForm(prefix="track"))


def _places_page(event: Event, room_form: RoomForm, track_form: TrackForm) -> Any:
    status = 400 if room_form.errors or track_form.errors else 200
    return render_template(
        "admin/places.html", event=event, room_form=room_form, track_form=track_form
    ), status


@bp.post("/events/<slug>/<any(rooms, tracks):kind>")
def place_create(slug: str, kind: str) -> Any:
    event = event_or_404(slug)
    _model, form_class, create, _update, _delete = _kind_or_404(kind)
    prefix = kind[:-1]
    form = form_class(prefix=prefix)
    if form.validate_on_submit():
        try:
            create(event, form.to_data(), by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Added."), "success")
            return redirect(url_for("admin.places", slug=slug))
    room_form = form if kind == "rooms" else RoomForm(prefix="room", formdata=None)
    track_form = form if kind == "tracks" else TrackForm(prefix="track", formdata=None)
    return _places_page(event, room_form, track_form)


@bp.route("/events/<slug>/<any(rooms, tracks):kind>/<int:item_id>/edit", methods=["GET", "POST"])
def place_edit(slug: str, kind: str, item_id: int) -> Any:
    event = event_or_404(slug)
    model, form_class, _create, update, _delete = _kind_or_404(kind)
    item = child_or_404(model, item_id, event)
    form = form_class()
    if form.validate_on_submit():
        try:
            update(item, form.to_data(), by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.places", slug=slug))
    elif not form.is_submitted():
        form.load(item)
    heading = _("Edit room") if kind == "rooms" else _("Edit track")
    return render_template(
        "admin/form.html",
        form=form,
        heading=heading,
        event=event,
        back=url_for("admin.places", slug=slug),
    ), (400 if form.errors else 200)


@bp.route("/events/<slug>/<any(rooms, tracks):kind>/<int:item_id>/delete", methods=["GET", "POST"])
def place_delete(slug: str, kind: str, item_id: int) -> Any:
    event = event_or_404(slug)
    model, _form_class, _create, _update, delete = _kind_or_404(kind)
    item = child_or_404(model, item_id, event)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            delete(item, by=actor())
        except DomainError as error:
            show_error(None, error)
        else:
            flash(_("Deleted."), "success")
        return redirect(url_for("admin.places", slug=slug))
    heading = _("Delete this room?") if kind == "rooms" else _("Delete this track?")
    return render_template(
        "admin/confirm.html",
        form=form,
        event=event,
        heading=heading,
        subject=item.name,
        consequence=None,
        button=_("Delete"),
        back=url_for("admin.places", slug=slug),
    )
