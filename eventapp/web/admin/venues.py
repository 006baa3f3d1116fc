"""Venues: list, add, edit, delete (with confirmation; refused while events are held there)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from eventapp.errors import DomainError
from eventapp.models import Venue
from eventapp.services.setup import venues
from eventapp.web.admin import actor, bp, paginate, shared_or_403
from eventapp.web.feedback import show_error
from eventapp.web.forms.admin import ConfirmForm, VenueForm


@bp.get("/venues")
def venue_list() -> Any:
    page = paginate(venues.venues_statement())
    held = venues.event_counts([venue.id for venue in page.items])
    return render_template("admin/venues.html", page=page, held=held)


@bp.route("/venues/new", methods=["GET", "POST"])
@bp.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
def venue_edit(venue_id: int | None = None) -> Any:
    venue = shared_or_403(Venue, venue_id) if venue_id else None
    form = VenueForm()
    if form.validate_on_submit():
        try:
            if venue is None:
                venues.create_venue(form.to_data(), by=actor())
            else:
                venues.update_venue(venue, form.to_data(), by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Venue saved."), "success")
            return redirect(url_for("admin.venue_list"))
    elif not form.is_submitted() and venue is not None:
        form.load(venue)
    held = venues.events_at(venue) if venue is not None else []
    return render_template(
        "admin/venue.html",
        form=form,
        venue=venue,
        held=held,
        heading=_("New venue") if venue is None else _("Edit venue"),
        back=url_for("admin.venue_list"),
    ), (400 if form.errors else 200)


@bp.route("/venues/<int:venue_id>/delete", methods=["GET", "POST"])
def venue_delete(venue_id: int) -> Any:
    venue = shared_or_403(Venue, venue_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            venues.delete_venue(venue, by=actor())
        except DomainError as error:
            show_error(None, error)
        else:
            flash(_("Venue deleted."), "success")
            return redirect(url_for("admin.venue_list"))
    held = venues.events_at(venue)
    return render_template("admin/venue_delete.html", form=form, venue=venue, held=held), (
        409 if form.is_submitted() and held else 200
    )
