"""The door of a partnering table (#20): the meetings at that table, each marked held or a
no-show by door staff (or organizers) of the event's team. Routes on the checkin blueprint."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.errors import DomainError
from eventapp.models import Meeting, MeetingOutcome, PartneringTable, db
from eventapp.services.partnering import held, meetings
from eventapp.web.checkin import bp, door_staff_required
from eventapp.web.forms.scheduler import OutcomeForm
from eventapp.web.lookups import staff_event_or_404


@bp.get("/checkin/<slug>/partnering")
@door_staff_required
def partnering_tables(slug: str) -> Any:
    """The event's partnering sessions and their tables, each linking to its door page."""
    event = staff_event_or_404(slug)
    return render_template(
        "checkin/partnering_tables.html", event=event, sessions=meetings.sessions_of(event)
    )


def _table_or_404(event_id: int, table_id: int) -> PartneringTable:
    table = db.session.get(PartneringTable, table_id)
    if table is None or table.session.event_id != event_id:
        abort(404)
    return table


@bp.get("/checkin/<slug>/partnering/tables/<int:table_id>")
@door_staff_required
def partnering_table(slug: str, table_id: int) -> Any:
    event = staff_event_or_404(slug)
    table = _table_or_404(event.id, table_id)
    return render_template(
        "checkin/partnering_table.html",
        event=event,
        table=table,
        meetings=held.table_meetings(table),
        form=OutcomeForm(formdata=None),
        Held=MeetingOutcome.HELD,
        NoShow=MeetingOutcome.NO_SHOW,
    )


@bp.post("/checkin/<slug>/partnering/meetings/<int:meeting_id>/outcome")
@door_staff_required
def partnering_outcome(slug: str, meeting_id: int) -> Any:
    event = staff_event_or_404(slug)
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.event_id != event.id:
        abort(404)
    form = OutcomeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outcome = MeetingOutcome(form.outcome.data) if form.outcome.data else None
        held.mark(meeting, outcome, by=current_user._get_current_object())
    except DomainError as error:
        db.session.rollback()
        flash(_("Not saved: %(reason)s", reason=_("This meeting is not placed.")), "error")
        if meeting.table_id is None:
            return redirect(url_for("checkin.partnering_tables", slug=slug))
        del error
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("checkin.partnering_table", slug=slug, table_id=meeting.table_id))
