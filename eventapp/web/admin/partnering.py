"""Organizers' partnering pages: settings, tags, sessions and tables, every request and
meeting, a meeting between two participants, and the CSV export. Team-checked by
`event_or_404`; every change is audited by the services."""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from eventapp.errors import DomainError
from eventapp.models import Event, Meeting, Participant, Registration, db
from eventapp.services.partnering import export, meetings, profiles, requests
from eventapp.web.admin import actor, bp, event_or_404
from eventapp.web.feedback import show_error
from eventapp.web.forms.partnering import PairForm, SessionForm, SettingsForm, TagForm


def _participants(event: Event) -> list[Participant]:
    return list(
        db.session.scalars(
            db.select(Participant)
            .join(Registration, Registration.id == Participant.registration_id)
            .where(Participant.event_id == event.id, Participant.withdrawn.is_(False))
            .order_by(Registration.family_name, Registration.given_name)
        )
    )


def _page(event: Event, **forms: Any) -> Any:
    settings = profiles.settings_for(event)
    people = _participants(event)
    settings_form = forms.get("settings_form") or SettingsForm(
        data={
            "enabled": settings.enabled,
            "requests_open_at": settings.requests_open_at
            and settings.requests_open_at.replace(tzinfo=None),
            "requests_close_at": settings.requests_close_at
            and settings.requests_close_at.replace(tzinfo=None),
            "request_limit": settings.request_limit,
            "needs_acceptance": settings.needs_acceptance,
            "cross_country_first": settings.cross_country_first,
        }
    )
    pair_form = forms.get("pair_form") or PairForm()
    choices = [(p.id, f"{p.registration.name} · {p.organization.name}") for p in people]
    pair_form.first_id.choices = pair_form.second_id.choices = choices
    status = (
        400
        if any(getattr(f, "errors", None) for f in forms.values()) or forms.get("failed")
        else 200
    )
    return render_template(
        "admin/partnering.html",
        event=event,
        settings_form=settings_form,
        tag_form=forms.get("tag_form") or TagForm(),
        session_form=forms.get("session_form") or SessionForm(),
        pair_form=pair_form,
        tags=profiles.tags_of(event),
        sessions=meetings.sessions_of(event),
        requests=requests.event_requests(event.id),
        meetings=db.session.scalars(
            db.select(Meeting).where(Meeting.event_id == event.id).order_by(Meeting.id)
        ).all(),
        participants=people,
    ), status


@bp.get("/events/<slug>/partnering")
def partnering(slug: str) -> Any:
    return _page(event_or_404(slug))


def _utc(value: Any) -> Any:
    return value.replace(tzinfo=UTC) if value is not None else None


@bp.post("/events/<slug>/partnering/settings")
def partnering_settings(slug: str) -> Any:
    event = event_or_404(slug)
    form = SettingsForm()
    if not form.validate_on_submit():
        return _page(event, settings_form=form)
    try:
        profiles.configure(
            event,
            by=actor(),
            enabled=form.enabled.data,
            requests_open_at=_utc(form.requests_open_at.data),
            requests_close_at=_utc(form.requests_close_at.data),
            request_limit=form.request_limit.data or 0,
            needs_acceptance=form.needs_acceptance.data,
            cross_country_first=form.cross_country_first.data,
        )
    except DomainError as error:
        show_error(form, error)
        return _page(event, settings_form=form, failed=True)
    flash(_("Partnering settings saved."), "success")
    return redirect(url_for("admin.partnering", slug=slug))


@bp.post("/events/<slug>/partnering/tags")
def partnering_tag(slug: str) -> Any:
    event = event_or_404(slug)
    form = TagForm()
    if not form.validate_on_submit():
        return _page(event, tag_form=form)
    try:
        profiles.save_tag(
            event,
            key=form.key.data or "",
            name=form.name.data or "",
            name_ko=form.name_ko.data,
            by=actor(),
        )
    except DomainError as error:
        show_error(form, error)
        return _page(event, tag_form=form, failed=True)
    flash(_("Tag saved."), "success")
    return redirect(url_for("admin.partnering", slug=slug))


@bp.post("/events/<slug>/partnering/sessions")
def partnering_session(slug: str) -> Any:
    event = event_or_404(slug)
    form = SessionForm()
    if not form.validate_on_submit():
        return _page(event, session_form=form)
    try:
        meetings.add_session(
            event,
            name=form.name.data or "",
            starts_at=_utc(form.starts_at.data),
            ends_at=_utc(form.ends_at.data),
            meeting_minutes=form.meeting_minutes.data or 20,
            break_minutes=form.break_minutes.data or 0,
            tables=form.tables.data or 1,
            by=actor(),
        )
    except DomainError as error:
        show_error(form, error)
        return _page(event, session_form=form, failed=True)
    flash(_("Partnering session added."), "success")
    return redirect(url_for("admin.partnering", slug=slug))


@bp.post("/events/<slug>/partnering/meetings")
def partnering_meeting(slug: str) -> Any:
    event = event_or_404(slug)
    form = PairForm()
    people = {p.id: p for p in _participants(event)}
    form.first_id.choices = form.second_id.choices = [(i, str(i)) for i in people]
    if not form.validate_on_submit():
        return _page(event, pair_form=form)
    try:
        requests.create_meeting(people[form.first_id.data], people[form.second_id.data], by=actor())
    except DomainError as error:
        show_error(form, error)
        return _page(event, pair_form=form, failed=True)
    flash(_("Meeting created; it is not placed yet."), "success")
    return redirect(url_for("admin.partnering", slug=slug))


@bp.get("/events/<slug>/partnering.csv")
def partnering_csv(slug: str) -> Any:
    event = event_or_404(slug)
    response = Response(export.export_csv(event), mimetype="text/csv")
    name = re.sub(r"[^A-Za-z0-9_-]", "", event.slug) or "event"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-partnering.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response
