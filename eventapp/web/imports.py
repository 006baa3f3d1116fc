"""Organizers import an agenda from a calendar file (Google, Outlook, Apple, or ours)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from eventapp.errors import CalendarImportError
from eventapp.models import Role
from eventapp.services.ics_import import import_calendar
from eventapp.services.ics_import_report import (
    describe_left_out,
    describe_notice,
    refusal_message,
)
from eventapp.web.auth import role_required
from eventapp.web.forms.imports import ImportForm
from eventapp.web.lookups import staff_event_or_404

bp = Blueprint("imports", __name__)

#: How the preview names the fields an import changes.
FIELD_LABELS = {
    "title": _l("title"),
    "title_ko": _l("Korean title"),
    "description": _l("description"),
    "description_ko": _l("Korean description"),
    "starts_at": _l("start"),
    "ends_at": _l("end"),
    "status": _l("status"),
    "room": _l("room"),
    "track": _l("track"),
    "kind": _l("kind"),
}


@bp.route("/admin/events/<slug>/import", methods=["GET", "POST"])
@role_required(Role.ORGANIZER)
def upload(slug: str) -> Any:
    """The upload form; "Preview changes" lists the plan, "Import" applies it (PRG)."""
    event = staff_event_or_404(slug)
    form = ImportForm()
    summary = None
    if form.validate_on_submit():
        try:
            summary = import_calendar(
                event, form.file.data.read(), by=current_user, preview=bool(form.preview.data)
            )
        except CalendarImportError as error:
            why = refusal_message(error)
            form.file.errors.append(_("This file cannot be imported: %(why)s", why=why))
        else:
            if summary.applied:
                flash(_summary_message(summary), "success")
                for notice in summary.notices:
                    flash(describe_notice(notice, zone=event.timezone), "warning")
                for item in summary.left_out:
                    flash(_("Left out: %(why)s", why=describe_left_out(item)), "warning")
                return redirect(url_for("imports.upload", slug=slug))
    status = 400 if form.errors else 200
    page = render_template(
        "imports/upload.html",
        event=event,
        form=form,
        summary=summary,
        field_labels=FIELD_LABELS,
        describe_left_out=describe_left_out,
        describe_notice=describe_notice,
    )
    return page, status


def _summary_message(summary: Any) -> str:
    message = _(
        "Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged; "
        "%(notified)d update emails queued.",
        created=summary.count("create"),
        updated=summary.count("update"),
        unchanged=summary.count("unchanged"),
        notified=summary.notified,
    )
    if summary.left_out:
        message += " " + _("%(count)d left out.", count=summary.left_out_count)
    return message
