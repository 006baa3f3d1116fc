"""The organizers' meeting scheduler (#20): run it as a preview, review the diff against the
published plan, publish; the matrix of a partnering session; one meeting placed, moved,
pinned, unscheduled or marked held by hand. Team-checked by `event_or_404`."""

from __future__ import annotations

import contextlib
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventapp.errors import DomainError, NotFound
from eventapp.models import Event, Meeting, MeetingOutcome, RunStatus, SchedulerRun
from eventapp.services.partnering import held, manual, meetings, publish, runs
from eventapp.services.partnering.problem import planned_meetings
from eventapp.web.admin import actor, bp, event_or_404
from eventapp.web.admin.scheduler_pages import matrix_rows, message_for
from eventapp.web.forms.admin import options
from eventapp.web.forms.scheduler import ActionForm, OutcomeForm, PinForm, PlaceForm


def _run_or_404(event: Event, run_id: int) -> SchedulerRun:
    try:
        return runs.run_of(event, run_id)
    except NotFound:
        abort(404)


def _meeting_or_404(event: Event, meeting_id: int) -> Meeting:
    try:
        return manual.meeting_of(event, meeting_id)
    except NotFound:
        abort(404)


@bp.get("/events/<slug>/partnering/scheduler")
def scheduler(slug: str) -> Any:
    event = event_or_404(slug)
    planned = planned_meetings(event)
    return render_template(
        "admin/scheduler.html",
        event=event,
        runs=runs.runs_of(event),
        running=runs.running_run(event),
        placed=sum(1 for m in planned if m.slot_id is not None),
        waiting=sum(1 for m in planned if m.slot_id is None),
        pinned=sum(1 for m in planned if m.pinned),
        time_limit=runs.time_limit_setting(),
        form=ActionForm(),
        is_stale=runs.is_stale,
    )


@bp.post("/events/<slug>/partnering/scheduler")
def scheduler_run(slug: str) -> Any:
    event = event_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        run = runs.start_run(event, by=actor(), time_limit=runs.time_limit_setting())
    except DomainError as error:
        flash(message_for(error), "error")
        return redirect(url_for("admin.scheduler", slug=slug))
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("PARTNERING_RUN_INLINE", app.testing):
        with contextlib.suppress(Exception):  # stored on the run, shown on its page
            runs.execute(run.id)
    else:
        runs.run_in_background(app, run.id)
    return redirect(url_for("admin.scheduler_result", slug=slug, run_id=run.id))


@bp.get("/events/<slug>/partnering/scheduler/runs/<int:run_id>")
def scheduler_result(slug: str, run_id: int) -> Any:
    event = event_or_404(slug)
    run = _run_or_404(event, run_id)
    diff = publish.diff_of(run) if run.status in {RunStatus.DONE, RunStatus.PUBLISHED} else None
    return render_template(
        "admin/scheduler_run.html",
        event=event,
        run=run,
        diff=diff,
        stale=runs.is_stale(run),
        elapsed=_elapsed(run),
        form=ActionForm(),
    )


def _elapsed(run: SchedulerRun) -> float:
    from eventapp.models import utcnow

    end = run.finished_at or utcnow()
    return round(max(0.0, (end - run.started_at).total_seconds()), 1)


@bp.post("/events/<slug>/partnering/scheduler/runs/<int:run_id>/publish")
def scheduler_publish(slug: str, run_id: int) -> Any:
    event = event_or_404(slug)
    run = _run_or_404(event, run_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        diff = publish.publish(run, by=actor())
    except DomainError as error:
        flash(message_for(error), "error")
        return redirect(url_for("admin.scheduler_result", slug=slug, run_id=run_id))
    flash(
        _(
            "Plan published: %(placed)d placed, %(moved)d moved, %(dropped)d cancelled; "
            "%(people)d messages queued.",
            placed=len(diff.placed),
            moved=len(diff.moved),
            dropped=len(diff.dropped),
            people=diff.people_told,
        ),
        "success",
    )
    return redirect(url_for("admin.scheduler_matrix", slug=slug))


@bp.get("/events/<slug>/partnering/matrix")
def scheduler_matrix(slug: str) -> Any:
    event = event_or_404(slug)
    sessions = meetings.sessions_of(event)
    chosen = request.args.get("session", type=int)
    current = next((s for s in sessions if s.id == chosen), sessions[0] if sessions else None)
    planned = planned_meetings(event)
    return render_template(
        "admin/scheduler_matrix.html",
        event=event,
        sessions=sessions,
        current=current,
        rows=matrix_rows(current, planned) if current else [],
        waiting=[m for m in planned if m.slot_id is None],
    )


@bp.get("/events/<slug>/partnering/meetings/<int:meeting_id>")
def scheduler_meeting(slug: str, meeting_id: int) -> Any:
    event = event_or_404(slug)
    meeting = _meeting_or_404(event, meeting_id)
    form = PlaceForm(formdata=request.args if "cell" in request.args else None)
    return _meeting_page(event, meeting, form, check="cell" in request.args)


def _meeting_page(event: Event, meeting: Meeting, form: PlaceForm, *, check: bool) -> Any:
    """The meeting with its move form; `check`: the conflicts of the chosen cell, unsaved."""
    from eventapp.web.admin.scheduler_pages import cell_choices

    form.cell.choices = options(cell_choices(event, meeting))
    found: list[str] | None = None
    cell = form.cell_ids()
    if check and cell is not None:
        try:
            found = manual.conflicts(meeting, *manual.cell_of(event, *cell))
        except NotFound:
            form.cell.errors = [_("Choose a time and table of this event.")]
    status = 400 if form.errors else 200
    return render_template(
        "admin/scheduler_meeting.html",
        event=event,
        meeting=meeting,
        form=form,
        conflicts=found,
        pin_form=PinForm(data={"pinned": not meeting.pinned}),
        outcome_form=OutcomeForm(
            data={"outcome": meeting.outcome.value if meeting.outcome else ""}
        ),
        action_form=ActionForm(),
    ), status


@bp.post("/events/<slug>/partnering/meetings/<int:meeting_id>/place")
def scheduler_place(slug: str, meeting_id: int) -> Any:
    event = event_or_404(slug)
    meeting = _meeting_or_404(event, meeting_id)
    form = PlaceForm()
    from eventapp.web.admin.scheduler_pages import cell_choices

    form.cell.choices = options(cell_choices(event, meeting))
    cell = form.cell_ids()
    if not form.validate_on_submit() or cell is None:
        return _meeting_page(event, meeting, form, check=False)
    try:
        slot, table = manual.cell_of(event, *cell)
        manual.place_at(meeting, slot, table, by=actor(), pinned=bool(form.pinned.data))
    except DomainError as error:
        from eventapp.models import db

        db.session.rollback()
        form.cell.errors = [message_for(error)]
        return _meeting_page(event, _meeting_or_404(event, meeting_id), form, check=False)
    flash(_("Meeting placed; both people are sent the invitation."), "success")
    return redirect(url_for("admin.scheduler_meeting", slug=slug, meeting_id=meeting_id))


@bp.post("/events/<slug>/partnering/meetings/<int:meeting_id>/pin")
def scheduler_pin(slug: str, meeting_id: int) -> Any:
    event = event_or_404(slug)
    meeting = _meeting_or_404(event, meeting_id)
    form = PinForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        manual.set_pinned(meeting, bool(form.pinned.data), by=actor())
    except DomainError as error:
        flash(message_for(error), "error")
    else:
        flash(_("Pinned.") if form.pinned.data else _("No longer pinned."), "success")
    return redirect(url_for("admin.scheduler_meeting", slug=slug, meeting_id=meeting_id))


@bp.post("/events/<slug>/partnering/meetings/<int:meeting_id>/unschedule")
def scheduler_unschedule(slug: str, meeting_id: int) -> Any:
    event = event_or_404(slug)
    meeting = _meeting_or_404(event, meeting_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        manual.unschedule(meeting, by=actor())
    except DomainError as error:
        flash(message_for(error), "error")
    else:
        flash(_("Meeting taken out of the plan; both people are sent a cancellation."), "success")
    return redirect(url_for("admin.scheduler_meeting", slug=slug, meeting_id=meeting_id))


@bp.post("/events/<slug>/partnering/meetings/<int:meeting_id>/outcome")
def scheduler_outcome(slug: str, meeting_id: int) -> Any:
    event = event_or_404(slug)
    meeting = _meeting_or_404(event, meeting_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        held.mark(
            meeting, MeetingOutcome(form.outcome.data) if form.outcome.data else None, by=actor()
        )
    except DomainError as error:
        flash(message_for(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("admin.scheduler_meeting", slug=slug, meeting_id=meeting_id))
