"""Organizers import an agenda from a calendar file (Google, Outlook, Apple, or ours)."""

from __future__ import annotations

import contextlib
import re
import secrets
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from eventapp.errors import CalendarImportError
from eventapp.services.agenda.ics_import import import_calendar
from eventapp.services.agenda.ics_import_report import (
    describe_left_out,
    describe_notice,
    refusal_message,
)
from eventapp.web.admin import bp, event_or_404
from eventapp.web.forms.imports import ImportForm

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


@bp.route("/events/<slug>/import", methods=["GET", "POST"])
def calendar_import(slug: str) -> Any:
    """The upload form; "Preview changes" lists the plan, "Import" applies it (PRG)."""
    event = event_or_404(slug)
    form = ImportForm()
    summary = None
    kept = None
    if form.validate_on_submit():
        data = form.file.data.read() if form.file.data else _kept_file(form.previewed.data)
        if data is None:
            form.file.errors.append(_("Choose a calendar file."))
            return _page(event, form, None, None)
        preview = bool(form.preview.data)
        try:
            summary = import_calendar(event, data, by=current_user, preview=preview)
        except CalendarImportError as error:
            why = refusal_message(error)
            form.file.errors.append(_("This file cannot be imported: %(why)s", why=why))
        else:
            if preview:
                kept = _keep_file(data)
            else:
                _drop_file(form.previewed.data)
            if summary.applied:
                flash(_summary_message(summary), "success")
                for notice in summary.notices:
                    flash(describe_notice(notice, zone=event.timezone), "warning")
                for item in summary.left_out:
                    flash(_("Left out: %(why)s", why=describe_left_out(item)), "warning")
                for planned in summary.sessions:
                    if planned.outside_event:
                        flash(_("“%(title)s” is outside the event's hours: check its time.",
                                title=planned.title), "warning")  # fmt: skip
                return redirect(url_for(".calendar_import", slug=slug))
    return _page(event, form, summary, kept)


def _page(event: Any, form: ImportForm, summary: Any, kept: str | None) -> Any:
    status = 400 if form.errors else 200
    page = render_template(
        "admin/import.html",
        event=event,
        form=form,
        summary=summary,
        kept=kept,
        field_labels=FIELD_LABELS,
        describe_left_out=describe_left_out,
        describe_notice=describe_notice,
    )
    return page, status


#: How long a previewed file is kept for "Import these changes".
KEEP_PREVIEW = timedelta(hours=1)
_KEY = re.compile(r"[A-Za-z0-9_-]{32}")


def _kept_dir() -> Path:
    # The instance folder: shared by every worker of the host (gunicorn's too).
    return Path(current_app.instance_path) / "import-previews"


def _keep_file(data: bytes) -> str:
    """Keep a previewed file for an hour; its key goes into the preview's form."""
    folder = _kept_dir()
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - KEEP_PREVIEW.total_seconds()
    for old in folder.glob("*.ics"):  # tidy up the ones nobody imported
        with contextlib.suppress(OSError):
            if old.stat().st_mtime < cutoff:
                old.unlink()
    key = secrets.token_urlsafe(24)  # 32 characters, unguessable
    (folder / f"{key}.ics").write_bytes(data)
    return key


def _kept_file(key: str | None) -> bytes | None:
    """The previewed file of `key`, while it is kept; None for anything else."""
    if not key or not _KEY.fullmatch(key):
        return None
    path = _kept_dir() / f"{key}.ics"
    try:
        if path.stat().st_mtime < time.time() - KEEP_PREVIEW.total_seconds():
            return None
        return path.read_bytes()
    except OSError:
        return None


def _drop_file(key: str | None) -> None:
    if key and _KEY.fullmatch(key):
        with contextlib.suppress(OSError):
            (_kept_dir() / f"{key}.ics").unlink()


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
