"""The outcomes pages of the back office: key points, recommendations, publication,
rapporteurs, the briefing report and follow-up.

Rapporteurs (a role beside admin > organizer > checkin) reach these pages and no other
staff page; they see only the events and sessions assigned to them (others answer 404, as
another team's event does for an organizer). Publishing, rapporteurs, reports and follow-up
are for organizers (403 to a rapporteur).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.errors import DomainError, NotAllowed
from eventapp.extensions import login
from eventapp.models import (
    Account,
    AgendaSession,
    Event,
    FollowUp,
    Organization,
    RapporteurAssignment,
    Recommendation,
    Role,
    SessionOutcome,
    db,
)
from eventapp.services.outcomes import access, followup, queries, recording, report
from eventapp.web.feedback import show_error
from eventapp.web.forms.outcomes import (
    FollowUpFilterForm,
    KeyPointsForm,
    PublishForm,
    RapporteurForm,
    RecommendationForm,
    SendListForm,
)

bp = Blueprint("outcomes", __name__, url_prefix="/admin")


@bp.before_request
def _outcome_writers_only() -> Any:
    if not current_user.is_authenticated:
        return login.unauthorized()
    if not current_user.has_role(Role.RAPPORTEUR):  # organizers and admins include it
        abort(403)
    return None


def _actor() -> Account:
    return current_user._get_current_object()


def _organizers_only() -> None:
    if not access.is_organizing(_actor()):
        abort(403)


def _event_or_404(slug: str) -> Event:
    event = db.one_or_404(db.select(Event).where(Event.slug == slug))
    if not access.may_open_event(_actor(), event):
        abort(404)
    return event


def _session_or_404(event: Event, session_id: int) -> AgendaSession:
    session = db.session.get(AgendaSession, session_id)
    if session is None or session.event_id != event.id:
        abort(404)
    if not access.may_edit_session(_actor(), session):
        abort(404)
    return session


def _recommendation_or_404(event: Event, recommendation_id: int) -> Recommendation:
    recommendation = db.session.get(Recommendation, recommendation_id)
    if recommendation is None or recommendation.outcome.session.event_id != event.id:
        abort(404)
    _session_or_404(event, recommendation.outcome.session_id)
    return recommendation


def _status(form: Any) -> int:
    return 400 if form.errors else 200


@bp.get("/outcomes")
def index() -> Any:
    return render_template("outcomes/index.html", events=access.events_for(_actor()))


@bp.get("/events/<slug>/outcomes")
def event_page(slug: str) -> Any:
    event = _event_or_404(slug)
    return _event_page(event, RapporteurForm(access.editable_sessions(_actor(), event)))


def _event_page(event: Event, form: RapporteurForm) -> Any:
    sessions = access.editable_sessions(_actor(), event)
    outcomes = {
        outcome.session_id: outcome
        for outcome in db.session.scalars(
            db.select(SessionOutcome).where(SessionOutcome.session_id.in_([s.id for s in sessions]))
        )
    }
    organizing = access.is_organizing(_actor())
    return render_template(
        "outcomes/event.html",
        event=event,
        sessions=sessions,
        outcomes=outcomes,
        organizing=organizing,
        assignments=access.assignments(event) if organizing else [],
        form=form,
        publish_form=PublishForm(),
    ), _status(form)


@bp.route("/events/<slug>/outcomes/sessions/<int:session_id>", methods=["GET", "POST"])
def session_page(slug: str, session_id: int) -> Any:
    event = _event_or_404(slug)
    session = _session_or_404(event, session_id)
    outcome = recording.outcome_of(session)
    form = KeyPointsForm()
    if form.validate_on_submit():
        try:
            recording.save_key_points(
                session, form.key_points.data or "", form.key_points_ko.data or "", by=_actor()
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("outcomes.session_page", slug=slug, session_id=session_id))
    elif not form.is_submitted() and outcome is not None:
        form.key_points.data, form.key_points_ko.data = outcome.key_points, outcome.key_points_ko
    return render_template(
        "outcomes/session.html",
        event=event,
        session=session,
        outcome=outcome,
        form=form,
        organizing=access.is_organizing(_actor()),
        publish_form=PublishForm(),
        tag_labels=recording.partnering_tags(event.id),
    ), _status(form)


def _recommendation_form(event: Event) -> RecommendationForm:
    return RecommendationForm(
        recording.owner_choices(),
        recording.speaker_choices(event.id),
        recording.organization_choices(event.id),
        recording.partnering_tags(event.id),
    )


@bp.route(
    "/events/<slug>/outcomes/sessions/<int:session_id>/recommendations/new",
    methods=["GET", "POST"],
)
def recommendation_new(slug: str, session_id: int) -> Any:
    event = _event_or_404(slug)
    session = _session_or_404(event, session_id)
    form = _recommendation_form(event)
    if form.validate_on_submit():
        try:
            recording.add_recommendation(session, form.to_data(), by=_actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Recommendation added as a draft."), "success")
            return redirect(url_for("outcomes.session_page", slug=slug, session_id=session_id))
    return render_template(
        "outcomes/recommendation.html",
        event=event,
        session=session,
        form=form,
        recommendation=None,
    ), _status(form)


@bp.route(
    "/events/<slug>/outcomes/recommendations/<int:recommendation_id>", methods=["GET", "POST"]
)
def recommendation_edit(slug: str, recommendation_id: int) -> Any:
    event = _event_or_404(slug)
    recommendation = _recommendation_or_404(event, recommendation_id)
    session = recommendation.outcome.session
    form = _recommendation_form(event)
    if form.validate_on_submit():
        try:
            recording.update_recommendation(recommendation, form.to_data(), by=_actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("outcomes.session_page", slug=slug, session_id=session.id))
    elif not form.is_submitted():
        form.load(recommendation)
    return render_template(
        "outcomes/recommendation.html",
        event=event,
        session=session,
        form=form,
        recommendation=recommendation,
        organizing=access.is_organizing(_actor()),
        publish_form=PublishForm(),
    ), _status(form)


@bp.route(
    "/events/<slug>/outcomes/recommendations/<int:recommendation_id>/delete",
    methods=["GET", "POST"],
)
def recommendation_delete(slug: str, recommendation_id: int) -> Any:
    """Asks first (what goes, which numbers move), then deletes on POST."""
    event = _event_or_404(slug)
    recommendation = _recommendation_or_404(event, recommendation_id)
    session = recommendation.outcome.session
    form = PublishForm()
    if form.validate_on_submit():
        try:
            recording.delete_recommendation(recommendation, by=_actor())
        except NotAllowed:
            abort(403)
        flash(_("Recommendation deleted."), "success")
        return redirect(url_for("outcomes.session_page", slug=slug, session_id=session.id))
    return render_template(
        "outcomes/recommendation_delete.html",
        event=event,
        session=session,
        recommendation=recommendation,
        later=(later := recording.later_numbers(recommendation)),
        moves=", ".join(f"{n} → {n - 1}" for n in later),
        tag_labels=recording.partnering_tags(event.id),
        form=form,
    )


@bp.post("/events/<slug>/outcomes/sessions/<int:session_id>/publish")
def session_publish(slug: str, session_id: int) -> Any:
    _organizers_only()
    event = _event_or_404(slug)
    session = _session_or_404(event, session_id)
    form = PublishForm()
    if form.validate_on_submit():
        recording.set_published(session, form.wants_published, by=_actor())
        flash(_("Published.") if form.wants_published else _("Withdrawn."), "success")
    return redirect(url_for("outcomes.session_page", slug=slug, session_id=session_id))


@bp.post("/events/<slug>/outcomes/recommendations/<int:recommendation_id>/publish")
def recommendation_publish(slug: str, recommendation_id: int) -> Any:
    _organizers_only()
    event = _event_or_404(slug)
    recommendation = _recommendation_or_404(event, recommendation_id)
    form = PublishForm()
    if form.validate_on_submit():
        recording.set_recommendation_published(recommendation, form.wants_published, by=_actor())
        flash(_("Published.") if form.wants_published else _("Withdrawn."), "success")
    return redirect(
        url_for("outcomes.session_page", slug=slug, session_id=recommendation.outcome.session_id)
    )


@bp.post("/events/<slug>/outcomes/rapporteurs")
def rapporteur_add(slug: str) -> Any:
    _organizers_only()
    event = _event_or_404(slug)
    form = RapporteurForm(access.editable_sessions(_actor(), event))
    if form.validate_on_submit():
        session = None
        if form.session_id.data:
            session = db.session.get(AgendaSession, form.session_id.data)
        try:
            access.assign_rapporteur(event, form.email.data, session=session, by=_actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Rapporteur assigned."), "success")
            return redirect(url_for("outcomes.event_page", slug=slug))
    return _event_page(event, form)


@bp.post("/events/<slug>/outcomes/rapporteurs/<int:assignment_id>/remove")
def rapporteur_remove(slug: str, assignment_id: int) -> Any:
    _organizers_only()
    event = _event_or_404(slug)
    assignment = db.session.get(RapporteurAssignment, assignment_id)
    if assignment is None or assignment.event_id != event.id:
        abort(404)
    if PublishForm().validate_on_submit():
        access.remove_assignment(assignment, by=_actor())
        flash(_("Removed."), "success")
    return redirect(url_for("outcomes.event_page", slug=slug))


@bp.get("/events/<slug>/outcomes/report.<any(pdf, docx, md):file_format>")
def event_report(slug: str, file_format: str) -> Any:
    _organizers_only()
    event = _event_or_404(slug)
    data = report.render(report.briefing([event]), file_format)
    response = Response(data, mimetype=report.FORMATS[file_format])
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{event.slug}-briefing.{file_format}"'
    )
    return response


def _filters(owners: list[Organization]) -> tuple[FollowUpFilterForm, queries.FollowUpFilter]:
    form = FollowUpFilterForm(owners, formdata=request.args)
    form.validate()
    state = form.state.data if form.state.data in {m.value for m in FollowUp} else None
    chosen = queries.FollowUpFilter(
        owner_id=form.owner.data or None if not form.owner.errors else None,
        state=FollowUp(state) if state else None,
        due_by=form.due_by.data if not form.due_by.errors else None,
    )
    return form, chosen


@bp.get("/outcomes/follow-up")
def follow_up() -> Any:
    _organizers_only()
    owners = queries.owners_in_use()
    form, chosen = _filters(owners)
    return render_template(
        "outcomes/follow_up.html",
        form=form,
        recommendations=queries.follow_up(_actor(), chosen),
        send_form=SendListForm(owners),
    )


@bp.get("/outcomes/follow-up.csv")
def follow_up_csv() -> Any:
    _organizers_only()
    _, chosen = _filters(queries.owners_in_use())
    response = Response(followup.export_csv(_actor(), chosen), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="recommendations.csv"'
    return response


@bp.post("/outcomes/follow-up/send")
def follow_up_send() -> Any:
    _organizers_only()
    owners = queries.owners_in_use()
    form = SendListForm(owners)
    if form.validate_on_submit():
        owner = db.session.get(Organization, form.owner_id.data)
        if owner is None or owner not in owners:
            form.owner_id.errors = [_("Choose one of the listed owners.")]
        else:
            try:
                followup.send_owner_list(
                    owner,
                    contact_name=form.contact_name.data,
                    contact_email=form.contact_email.data,
                    note=form.note.data or "",
                    by=_actor(),
                )
            except DomainError as error:
                show_error(form, error)
            else:
                flash(_("The list is in the outbox."), "success")
                return redirect(url_for("outcomes.follow_up"))
    filter_form, chosen = _filters(owners)
    return render_template(
        "outcomes/follow_up.html",
        form=filter_form,
        recommendations=queries.follow_up(_actor(), chosen),
        send_form=form,
    ), 400
