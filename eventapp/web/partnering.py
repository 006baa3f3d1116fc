"""Partnering pages for participants: the directory and their own page under /me/<token>.

The directory (`GET /e/<slug>/partnering`) is for opted-in participants (by their
self-service token, `?me=<token>`) and the event's organizers; anyone else gets a 404.
Every change is a CSRF-protected POST followed by a redirect; refusals come back as a
message and change nothing.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.errors import DomainError, NotFound
from eventapp.models import (
    Event,
    Meeting,
    MeetingStatus,
    Organization,
    Participant,
    PartneringSlot,
    Registration,
    RequestStatus,
    Role,
    TagDirection,
    db,
)
from eventapp.services.accounts import teams
from eventapp.services.partnering import meetings, profiles, requests
from eventapp.services.partnering.directory import Filters, directory
from eventapp.web.forms.attendee import ConfirmForm
from eventapp.web.forms.partnering import IdForm, LogoForm, OptInForm, ProfileForm, profile_form
from eventapp.web.lookups import published_event_or_404, registration_or_404
from eventapp.web.templating import current_language, local_date, local_time

bp = Blueprint("partnering", __name__)


@bp.after_request
def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def refusal(error: DomainError) -> None:
    db.session.rollback()
    flash(_("Not done: %(reason)s", reason=message_for(error)), "error")


#: Messages in the reader's language, by stable code (the service's English otherwise).
def message_for(error: DomainError) -> str:
    messages = {
        "partnering_off": _("Partnering is not open for this event."),
        "not_confirmed": _("Only confirmed registrants can take part."),
        "window_closed": _("Meeting requests are not open now."),
        "withdrawn": _("This person no longer takes part in partnering."),
        "self_request": _("You cannot request a meeting with yourself."),
        "same_organization": _("You cannot request a meeting within your own organization."),
        "duplicate_open": _("There is already an open request between you."),
        "limit_reached": _("You have reached your limit of meeting requests."),
        "note_too_long": _("The note is too long (500 characters)."),
        "unknown_tag": _("Unknown tag."),
        "not_open": _("This request has already been answered."),
        "slot_not_free": _("This time is not free for both of you."),
        "no_table": _("Every table is taken at this time."),
        "unknown_organization": _("Choose or create an organization."),
        "not_found": _("Not found."),
        "not_allowed": _("Only the person who created this profile and organizers can edit it."),
        "unknown_slot": _("One of these times is not a meeting slot."),
        "too_many_slots": _("Choose at most 12 preferred times."),
        "slot_has_meeting": _("You have a meeting at one of these times; move it first."),
        "invalid_photo": _(
            "This file is not a picture we can use (JPEG, PNG, WebP or GIF, at most 5 MB)."
        ),
    }
    return messages.get(error.code, error.message)


def slot_label(slot: PartneringSlot, zone: str) -> str:
    """'Thursday, 14 November 2024, 14:00-14:20' in the interface language."""
    start, end = local_time(slot.starts_at, zone), local_time(slot.ends_at, zone)
    return f"{local_date(slot.starts_at, zone)}, {start}\N{EN DASH}{end}"


def _participant_or_none(registration: Registration) -> Participant | None:
    found = profiles.participant_for(registration)
    return found if found is not None and not found.withdrawn else None


def viewer_or_404(event: Event) -> Participant | None:
    """Who looks at the event's directory: the participant whose token is `?me=`, or None
    for an organizer of the event; anyone else gets a 404."""
    viewer: Participant | None = None
    token = request.args.get("me", "")
    if token:
        registration = registration_or_404(token)
        viewer = _participant_or_none(registration)
        if registration.event_id != event.id or viewer is None:
            abort(404)
    elif not (
        current_user.is_authenticated
        and current_user.has_role(Role.ORGANIZER)
        and teams.can_act_on(current_user, event.id)
    ):
        abort(404)
    if not profiles.settings_for(event).enabled and viewer is not None:
        abort(404)
    return viewer


@bp.get("/e/<slug>/partnering")
def directory_page(slug: str) -> Any:
    event = published_event_or_404(slug)
    viewer = viewer_or_404(event)
    token = request.args.get("me", "")
    direction = request.args.get("direction", "")
    filters = Filters(
        country=request.args.get("country", "")[:2] or None,
        tag=request.args.get("tag", "")[:80] or None,
        direction=TagDirection(direction) if direction in {"offers", "seeks"} else None,
        text=request.args.get("q", "")[:200] or None,
    )
    entries = directory(event, viewer, filters)
    return render_template(
        "partnering/directory.html",
        event=event,
        viewer=viewer,
        token=token,
        entries=entries,
        filters=filters,
        tags=profiles.tags_of(event),
        countries=sorted({e.organization.country for e in entries if e.organization.country}),
        language=current_language(),
    )


@bp.route("/me/<token>/partnering", methods=["GET", "POST"])
def me(token: str) -> Any:
    registration = registration_or_404(token)
    event = registration.event
    settings = profiles.settings_for(event)
    participant = _participant_or_none(registration)
    if participant is None:
        form = OptInForm()
        known = db.session.scalars(
            db.select(Organization)
            .join(Participant, Participant.organization_id == Organization.id)
            .where(Participant.event_id == event.id)
            .distinct()
            .order_by(Organization.name)
        ).all()
        form.organization_id.choices = [(0, _("A new organization (below)"))] + [
            (o.id, o.name) for o in known
        ]
        if settings.enabled and form.validate_on_submit():
            details = None
            if not form.organization_id.data:
                if not (form.name.data or "").strip():
                    form.name.errors = [_("Give the new organization's name.")]
                    return _opt_in_page(registration, settings, form), 400
                details = profiles.OrganizationDetails(
                    name=form.name.data,
                    name_ko=form.name_ko.data,
                    country=form.country.data,
                    website=form.website.data,
                )
            try:
                profiles.opt_in(
                    registration,
                    organization_id=form.organization_id.data or None,
                    new_organization=details,
                    role_line=form.role_line.data,
                    discuss=form.discuss.data,
                )
            except DomainError as error:
                refusal(error)
                return _opt_in_page(registration, settings, form), 400
            flash(_("You take part in partnering."), "success")
            return redirect(url_for(".me", token=token))
        status = 400 if form.errors else 200
        return _opt_in_page(registration, settings, form), status
    received, sent = requests.requests_of(participant)
    own = meetings.meetings_of(participant)
    return render_template(
        "partnering/me.html",
        registration=registration,
        event=event,
        participant=participant,
        settings=settings,
        received=received,
        sent=sent,
        meetings=[(m, _slots_to_choose(m)) for m in own],
        slot_names={
            slot.id: slot_label(slot, event.timezone) for slot in meetings.event_slots(event.id)
        },
        can_edit=profiles.can_edit(participant.organization, participant),
        id_form=IdForm(),
        confirm_form=ConfirmForm(),
        Open=RequestStatus.OPEN,
        language=current_language(),
    )


def _slots_to_choose(meeting: Meeting) -> list[tuple[PartneringSlot, bool]]:
    """The times free for both, those the request preferred first (flagged True)."""
    if meeting.slot_id is not None or meeting.status is not MeetingStatus.PLANNED:
        return []
    preferred = set(meeting.request.preferred_slot_ids) if meeting.request else set()
    free = meetings.free_slots(meeting)
    return [(s, True) for s in free if s.id in preferred] + [
        (s, False) for s in free if s.id not in preferred
    ]


def _opt_in_page(registration: Registration, settings: Any, form: OptInForm) -> str:
    return render_template(
        "partnering/opt_in.html",
        registration=registration,
        event=registration.event,
        settings=settings,
        form=form,
    )


def own_participant(token: str) -> tuple[Registration, Participant]:
    registration = registration_or_404(token)
    participant = _participant_or_none(registration)
    if participant is None:
        abort(404)
    return registration, participant


@bp.route("/me/<token>/partnering/profile", methods=["GET", "POST"])
def profile(token: str) -> Any:
    registration, participant = own_participant(token)
    event, organization = registration.event, participant.organization
    if not profiles.can_edit(organization, participant):
        abort(404)
    form = profile_form(event, organization, posted=request.method == "POST")
    if form.validate_on_submit():
        try:
            profiles.update_organization(
                event,
                organization,
                form.details(),
                offers=form.offers.data or [],
                seeks=form.seeks.data or [],
                participant=participant,
            )
        except DomainError as error:
            refusal(error)
        else:
            flash(_("Profile saved."), "success")
            return redirect(url_for(".me", token=token))
    status = 400 if form.errors or request.method == "POST" else 200
    return profile_page(registration, participant, form, LogoForm()), status


def profile_page(
    registration: Registration, participant: Participant, form: ProfileForm, logo_form: LogoForm
) -> str:
    """The organization profile page (its fields and its logo's form)."""
    event = registration.event
    return render_template(
        "partnering/profile.html",
        registration=registration,
        event=event,
        form=form,
        logo_form=logo_form,
        organization=participant.organization,
        confirm_form=ConfirmForm(),
    )


def _item_id(form: IdForm) -> int:
    if not form.validate_on_submit() or not str(form.item_id.data).isdigit():
        raise NotFound("No such request.")
    return int(form.item_id.data)


@bp.post("/me/<token>/partnering/answer/<choice>")
def answer(token: str, choice: str) -> Any:
    participant = own_participant(token)[1]
    if choice not in {"accept", "decline"}:
        abort(404)
    try:
        requests.respond(participant, _item_id(IdForm()), accept=choice == "accept")
    except DomainError as error:
        refusal(error)
    else:
        flash(_("Answer saved."), "success")
    return redirect(url_for(".me", token=token))


@bp.post("/me/<token>/partnering/cancel")
def cancel(token: str) -> Any:
    participant = own_participant(token)[1]
    try:
        requests.cancel_request(participant, _item_id(IdForm()))
    except DomainError as error:
        refusal(error)
    else:
        flash(_("Request cancelled."), "success")
    return redirect(url_for(".me", token=token))


@bp.post("/me/<token>/partnering/place")
def place(token: str) -> Any:
    participant = own_participant(token)[1]
    form = IdForm()
    try:
        meeting = meetings.meeting_for(participant, _item_id(form))
        slot = str(form.slot_id.data or "")
        if not slot.isdigit():
            raise NotFound("No such slot.")
        meetings.place(meeting, int(slot))
    except DomainError as error:
        refusal(error)
    else:
        flash(_("The meeting is in your agenda."), "success")
    return redirect(url_for(".me", token=token))


@bp.post("/me/<token>/partnering/withdraw")
def withdraw(token: str) -> Any:
    participant = own_participant(token)[1]
    if ConfirmForm().validate_on_submit():
        profiles.withdraw(participant)
        flash(_("You no longer take part in partnering."), "success")
    return redirect(url_for(".me", token=token))


# The request, logo and unavailability pages are on this blueprint too.
from eventapp.web import partnering_profile, partnering_requests  # noqa: E402

__all__ = [
    "bp",
    "message_for",
    "own_participant",
    "partnering_profile",
    "partnering_requests",
    "profile_page",
    "refusal",
    "viewer_or_404",
]
