"""The agenda editor: a day view per room; add, edit, move, cancel and delete sessions.

Conflicts are shown before saving; the organizer may then save anyway, knowingly.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from eventapp.errors import DomainError
from eventapp.models import AgendaSession, Event, Room, SessionStatus, SpeakerRole, db
from eventapp.services.agenda import conflicts, scheduling, sessions
from eventapp.services.registration import changes
from eventapp.services.setup import speakers
from eventapp.web.admin import actor, bp, child_or_404, event_or_404
from eventapp.web.feedback import show_error
from eventapp.web.forms.admin import ConfirmForm, to_local
from eventapp.web.forms.admin_agenda import SessionForm, SpeakerLinkForm


def _days(event: Event, extra: list[date]) -> list[date]:
    zone = event.zone
    day, last = event.starts_at.astimezone(zone).date(), event.ends_at.astimezone(zone).date()
    days: list[date] = []
    while day <= last and len(days) < 60:
        days.append(day)
        day += timedelta(days=1)
    return sorted(set(days) | set(extra))


@bp.get("/events/<slug>/agenda")
def agenda(slug: str) -> Any:
    event = event_or_404(slug)
    zone = event.zone
    all_sessions = db.session.scalars(
        db.select(AgendaSession).where(AgendaSession.event_id == event.id)
    ).all()
    days = _days(event, [s.starts_at.astimezone(zone).date() for s in all_sessions])
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        day = days[0]
    on_day = sessions.sessions_on_day(event, day)
    columns: list[tuple[Room | None, list[AgendaSession]]] = [
        (room, [s for s in on_day if s.room_id == room.id]) for room in event.rooms
    ]
    unplaced = [s for s in on_day if s.room_id is None]
    if unplaced:
        columns.append((None, unplaced))
    return render_template(
        "admin/agenda.html",
        event=event,
        days=days,
        day=day,
        columns=columns,
        conflicts=conflicts.agenda_conflicts(event),
        confirm_form=ConfirmForm(),
    )


def _session_or_404(event: Event, session_id: int) -> AgendaSession:
    return child_or_404(AgendaSession, session_id, event)


def _slot(form: SessionForm, session: AgendaSession | None) -> conflicts.Slot:
    data = form.to_data()
    return conflicts.Slot(
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        room_id=data.room_id,
        speaker_ids=[link.speaker_id for link in session.speaker_links] if session else [],
        session_id=session.id if session else None,
    )


def _save(event: Event, form: SessionForm, session: AgendaSession | None) -> Any:
    """Check conflicts, then create or update; returns a response, or None to re-render."""
    found = conflicts.find_conflicts(event, _slot(form, session))
    if found and not form.save_anyway.data:
        return found
    try:
        if session is None:
            session = sessions.create_session(event, form.to_data(), by=actor())
        else:
            sessions.update_session(session, form.to_data(), by=actor())
    except DomainError as error:
        show_error(form, error)
        return []
    flash(_("Session saved."), "success")
    day = session.starts_at.astimezone(event.zone).date().isoformat()
    return redirect(url_for("admin.agenda", slug=event.slug, day=day))


def _editor(event: Event, form: SessionForm, session: Any, found: list, heading: str) -> Any:
    speaker_form = None
    if session is not None:
        all_speakers = list(db.session.scalars(speakers.speakers_statement()))
        speaker_form = SpeakerLinkForm(all_speakers, formdata=None)
    status = 400 if form.errors else 200
    return render_template(
        "admin/session.html",
        event=event,
        form=form,
        session=session,
        conflicts=found,
        heading=heading,
        speaker_form=speaker_form,
        confirm_form=ConfirmForm(),
    ), status


@bp.route("/events/<slug>/sessions/new", methods=["GET", "POST"])
def session_new(slug: str) -> Any:
    event = event_or_404(slug)
    form = SessionForm(event)
    found: Any = []
    if form.validate_on_submit():
        found = _save(event, form, None)
        if not isinstance(found, list):
            return found
    elif not form.is_submitted():
        form.starts_at.data = to_local(event.starts_at, event.timezone)
        form.ends_at.data = to_local(event.starts_at + timedelta(hours=1), event.timezone)
    return _editor(event, form, None, found, _("New session"))


@bp.route("/events/<slug>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def session_edit(slug: str, session_id: int) -> Any:
    event = event_or_404(slug)
    session = _session_or_404(event, session_id)
    form = SessionForm(event)
    found: Any = []
    if form.validate_on_submit():
        found = _save(event, form, session)
        if not isinstance(found, list):
            return found
    elif not form.is_submitted():
        form.load(session)
        found = conflicts.find_conflicts(event, conflicts.slot_of(session))
    return _editor(event, form, session, found, _("Edit session"))


@bp.route("/events/<slug>/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
def session_cancel(slug: str, session_id: int) -> Any:
    event = event_or_404(slug)
    session = _session_or_404(event, session_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        sessions.set_status(session, SessionStatus.CANCELLED, by=actor())
        flash(_("Session cancelled; attendees' calendars will be updated."), "success")
        return redirect(url_for("admin.session_edit", slug=slug, session_id=session.id))
    return render_template(
        "admin/confirm.html",
        form=form,
        event=event,
        heading=_("Cancel this session?"),
        subject=session.title,
        consequence=ngettext(
            "%(num)d person has it in their calendar and gets a cancellation.",
            "%(num)d people have it in their calendars and get a cancellation.",
            scheduling.people_told(session),
        ),
        button=_("Cancel session"),
        back=url_for("admin.session_edit", slug=slug, session_id=session.id),
    )


@bp.route("/events/<slug>/sessions/<int:session_id>/restore", methods=["GET", "POST"])
def session_restore(slug: str, session_id: int) -> Any:
    event = event_or_404(slug)
    session = _session_or_404(event, session_id)
    back = url_for("admin.session_edit", slug=slug, session_id=session.id)
    if not session.is_cancelled:
        return redirect(back)
    form = ConfirmForm()
    if form.validate_on_submit():
        sessions.set_status(session, SessionStatus.CONFIRMED, by=actor())
        flash(_("Session restored."), "success")
        return redirect(back)
    return render_template(
        "admin/confirm.html",
        form=form,
        event=event,
        heading=_("Restore this session?"),
        subject=session.title,
        consequence=ngettext(
            "%(num)d person holding a seat gets it back in their calendar, by email.",
            "%(num)d people holding seats get it back in their calendars, by email.",
            scheduling.people_told(session),
        ),
        button=_("Restore session"),
        back=back,
    )


@bp.post("/events/<slug>/sessions/<int:session_id>/fill-seats")
def session_fill_seats(slug: str, session_id: int) -> Any:
    event = event_or_404(slug)
    session = _session_or_404(event, session_id)
    if ConfirmForm().validate_on_submit():
        seated = changes.fill_session_seats(session, by=actor())
        flash(_("%(n)d people seated from the waiting list.", n=len(seated)), "success")
    return redirect(url_for("admin.session_edit", slug=slug, session_id=session.id))


@bp.route("/events/<slug>/sessions/<int:session_id>/delete", methods=["GET", "POST"])
def session_delete(slug: str, session_id: int) -> Any:
    event = event_or_404(slug)
    session = _session_or_404(event, session_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            sessions.delete_session(session, by=actor())
        except DomainError as error:
            show_error(None, error)
            return redirect(url_for("admin.session_edit", slug=slug, session_id=session.id))
        flash(_("Session deleted."), "success")
        return redirect(url_for("admin.agenda", slug=slug))
    return render_template(
        "admin/confirm.html",
        form=form,
        event=event,
        heading=_("Delete this session?"),
        subject=session.title,
        consequence=_("Only unpublished or cancelled sessions can be deleted."),
        button=_("Delete session"),
        back=url_for("admin.session_edit", slug=slug, session_id=session.id),
    )


@bp.post("/events/<slug>/sessions/<int:session_id>/speakers")
def session_speaker_add(slug: str, session_id: int) -> Any:
    event = event_or_404(slug)
    session = _session_or_404(event, session_id)
    all_speakers = list(db.session.scalars(speakers.speakers_statement()))
    form = SpeakerLinkForm(all_speakers)
    if form.validate_on_submit():
        speaker = next(s for s in all_speakers if s.id == form.speaker_id.data)
        sessions.add_speaker(session, speaker, SpeakerRole(form.role.data), by=actor())
        clashes = conflicts.find_conflicts(event, conflicts.slot_of(session))
        if any(c.kind is conflicts.ConflictKind.SPEAKER for c in clashes):
            flash(_("Added, but this speaker is booked elsewhere at that time."), "warning")
        else:
            flash(_("Speaker added."), "success")
    else:
        flash(_("Choose a speaker and a role."), "error")
    return redirect(url_for("admin.session_edit", slug=slug, session_id=session.id))


@bp.post("/events/<slug>/sessions/<int:session_id>/speakers/<int:speaker_id>/remove")
def session_speaker_remove(slug: str, session_id: int, speaker_id: int) -> Any:
    event = event_or_404(slug)
    session = _session_or_404(event, session_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        sessions.remove_speaker(session, speaker_id, by=actor())
    except DomainError:
        abort(404)
    flash(_("Speaker removed."), "success")
    return redirect(url_for("admin.session_edit", slug=slug, session_id=session.id))
