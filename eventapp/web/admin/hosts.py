"""An event's hosts, co-organizers, sponsors and partners: list, add, edit, remove."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from eventapp.errors import DomainError
from eventapp.models import Event, EventHost
from eventapp.services.setup import hosts
from eventapp.services.setup.speakers import organizations
from eventapp.web.admin import actor, bp, child_or_404, event_or_404
from eventapp.web.feedback import show_error
from eventapp.web.forms.admin import ConfirmForm, HostForm


def _hosts_page(event: Event, form: HostForm) -> Any:
    return render_template("admin/hosts.html", event=event, form=form), (
        400 if form.errors else 200
    )


@bp.get("/events/<slug>/hosts")
def host_list(slug: str) -> Any:
    return _hosts_page(event_or_404(slug), HostForm(organizations()))


@bp.post("/events/<slug>/hosts")
def host_add(slug: str) -> Any:
    event = event_or_404(slug)
    form = HostForm(organizations())
    if form.validate_on_submit():
        try:
            hosts.add_host(event, form.to_data(), by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Added."), "success")
            return redirect(url_for("admin.host_list", slug=slug))
    return _hosts_page(event, form)


@bp.route("/events/<slug>/hosts/<int:host_id>/edit", methods=["GET", "POST"])
def host_edit(slug: str, host_id: int) -> Any:
    event = event_or_404(slug)
    host = child_or_404(EventHost, host_id, event)
    form = HostForm(organizations())
    if form.validate_on_submit():
        try:
            hosts.update_host(host, form.to_data(), by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.host_list", slug=slug))
    elif not form.is_submitted():
        form.load(host)
    return render_template(
        "admin/form.html",
        form=form,
        heading=_("Edit host"),
        event=event,
        back=url_for("admin.host_list", slug=slug),
    ), (400 if form.errors else 200)


@bp.route("/events/<slug>/hosts/<int:host_id>/delete", methods=["GET", "POST"])
def host_delete(slug: str, host_id: int) -> Any:
    event = event_or_404(slug)
    host = child_or_404(EventHost, host_id, event)
    form = ConfirmForm()
    if form.validate_on_submit():
        hosts.remove_host(host, by=actor())
        flash(_("Removed."), "success")
        return redirect(url_for("admin.host_list", slug=slug))
    return render_template(
        "admin/confirm.html",
        form=form,
        event=event,
        heading=_("Remove this host?"),
        subject=host.organization.name,
        consequence=_("The organization stays; it is no longer shown on this event's page."),
        button=_("Remove"),
        back=url_for("admin.host_list", slug=slug),
    )
