"""The door: the scanner page, the check-in API, finding and checking in people by hand,
and the live counts."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.errors import NotAllowed, NotFound
from eventapp.extensions import csrf
from eventapp.models import AgendaSession, Event, Registration, ScanResult, db
from eventapp.services.accounts import teams
from eventapp.services.checkin import CheckinOutcome, check_in, check_in_by_hand
from eventapp.services.checkin.attendance import CheckinCounts, checked_in_ids, checkin_counts
from eventapp.services.registration.registrants import RegistrantFilter, registrants_statement
from eventapp.web import door
from eventapp.web.access import role_required, safe_next, session_account_id
from eventapp.web.door import DOOR_ROLE
from eventapp.web.forms.checkin import CheckinByHandForm
from eventapp.web.forms.registration import has_controls
from eventapp.web.lookups import staff_event_or_404
from eventapp.web.resources import badge_keys
from eventapp.web.templating import local_time

bp = Blueprint("checkin", __name__)

door_staff_required = role_required(DOOR_ROLE)
#: How many people a search by name lists at most.
FOUND_LIMIT = 20


@bp.get("/checkin")
@door_staff_required
def scan() -> Any:
    """The scanner: choose the event (and optionally a session), then scan or type codes."""
    events = db.session.scalars(
        db.select(Event)
        .where(teams.event_clause(current_user))
        .order_by(Event.starts_at, Event.position)
    ).all()
    slug = request.args.get("event") or (events[0].slug if len(events) == 1 else None)
    event = next((e for e in events if e.slug == slug), None)
    sessions: list[AgendaSession] = []
    if event is not None:
        sessions = list(
            db.session.scalars(
                db.select(AgendaSession)
                .where(AgendaSession.event_id == event.id)
                .order_by(AgendaSession.starts_at, AgendaSession.id)
            )
        )
    session_id = request.args.get("session", type=int)
    chosen_session = next((s for s in sessions if s.id == session_id), None)
    return render_template(
        "checkin/scan.html",
        events=events,
        no_team=not events and not teams.sees_every_event(current_user),
        event=event,
        sessions=sessions,
        chosen_session=chosen_session,
        location=(request.args.get("location") or "")[:120],
        total=checkin_counts(event).at(chosen_session.id if chosen_session else None)
        if event
        else None,
        results=door.result_texts(),
        rules=door.scanner_rules(),
    )


@bp.post("/api/checkin")
@csrf.exempt  # checked below unless a scanner device authenticates with its bearer token
def api_checkin() -> Any:
    """`{"token", "event"?, "session_id"?, "location"?}` → `{"result", name, …}`.

    Staff are not loaded before the scan: the session names the account, and `check_in`
    checks that it is active and may check people in, in the statement that records the
    scan (one query in all on PostgreSQL). Every other answer is decided as it always was:
    login and role first (Flask-Login loads the account), then CSRF, the body, the event.
    """
    device = door.bearer_device()
    staff_id = None if device else session_account_id()
    if not device:
        csrf_error = door.csrf_error()
        if staff_id is None or csrf_error is not None:
            if (refusal := door.refusal()) is not None:
                return refusal
            if csrf_error is not None:
                raise csrf_error
            staff_id = current_user.id
    scan_request = door.scan_request(request.get_json(silent=True))
    if scan_request is None:
        message = 'Send a JSON object: "token" string, optional "event", "session_id", "location".'
        return door.refused_or(device, door.error("invalid_json", message, 400))
    if staff_id is not None and not teams.may_scan_at(
        staff_id, event_slug=scan_request.event, session_id=scan_request.session_id
    ):
        return door.refusal() or door.error(
            "forbidden", "This account is not in this event's team.", 403
        )
    try:
        outcome = check_in(
            scan_request.token,
            keys=badge_keys(),
            staff_id=staff_id,
            event_slug=scan_request.event,
            session_id=scan_request.session_id,
            location=scan_request.location or ("device" if device else None),
            durable=current_app.config["CHECKIN_DURABLE_COMMIT"],
        )
    except NotAllowed:
        return door.refusal() or door.error("unauthorized", "Log in again.", 401)
    except NotFound as error:
        return door.refused_or(device, door.error(error.code, error.message, 404))
    return jsonify(door.answer(outcome, staff_id=staff_id, doors={scan_request.event}))


@bp.get("/checkin/<slug>/find")
@door_staff_required
def find(slug: str) -> Any:
    """Someone forgot their badge: find them by name (either script, any part, any case)."""
    event = staff_event_or_404(slug)
    query = (request.args.get("q") or "").strip()[:200]
    found: list[Registration] = []
    if query and not has_controls(query):
        statement = registrants_statement(event, RegistrantFilter(query=query))
        found = list(db.session.scalars(statement.limit(FOUND_LIMIT)))
    form = CheckinByHandForm(
        formdata=None,
        session=request.args.get("session", type=int),
        location=(request.args.get("location") or "")[:120],
        next=request.full_path,
    )
    return render_template(
        "checkin/find.html",
        event=event,
        query=query,
        found=found,
        checked_in=checked_in_ids([r.id for r in found]),
        limit=FOUND_LIMIT,
        form=form,
    )


@bp.post("/checkin/<slug>/registrations/<int:registration_id>/check-in")
@door_staff_required
def check_in_by_name(slug: str, registration_id: int) -> Any:
    """Check in, by hand, someone found by name or from their registrant page."""
    event = staff_event_or_404(slug)
    registration = db.one_or_404(
        db.select(Registration).where(
            Registration.id == registration_id, Registration.event_id == event.id
        )
    )
    form = CheckinByHandForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outcome = check_in_by_hand(
            registration,
            staff_id=current_user.id,
            event_slug=event.slug,
            session_id=form.session.data,
            location=form.location.data or None,
        )
    except NotAllowed:
        abort(403)
    except NotFound:
        abort(404)
    flash(*_said(outcome, event))
    return redirect(safe_next(form.next.data) or url_for("checkin.find", slug=slug))


def _said(outcome: CheckinOutcome, event: Event) -> tuple[str, str]:
    """What the door page says of a check-in by hand: the message and its flash category."""
    name = outcome.attendee.name if outcome.attendee else ""
    if outcome.result is ScanResult.CHECKED_IN:
        return _("Checked in: %(name)s", name=name), "success"
    if outcome.result is ScanResult.ALREADY_CHECKED_IN and outcome.first_checked_in_at:
        first = local_time(outcome.first_checked_in_at, event.zone)
        return _("Already checked in: %(name)s, first at %(time)s", name=name, time=first), "info"
    if outcome.result is ScanResult.NOT_ADMITTED:
        texts = door.refusal_texts()
        return f"{texts['not_admitted']}: {name}. {texts.get(outcome.reason or '', '')}", "warning"
    return _("Not checked in: %(name)s is not confirmed for this event.", name=name), "warning"


@bp.get("/checkin/<slug>/counts")
@door_staff_required
def counts(slug: str) -> Any:
    """Checked in / confirmed, by category and per session; the page refreshes itself."""
    event = staff_event_or_404(slug)
    return render_template("checkin/counts.html", event=event, counts=checkin_counts(event))


@bp.get("/checkin/<slug>/counts.json")
@door_staff_required
def counts_json(slug: str) -> Any:
    """The counts page's numbers, and `place`: checked in / expected where the scanner works
    (`?session=ID`, or the event door), for its running total."""
    event = staff_event_or_404(slug)
    data: CheckinCounts = checkin_counts(event)
    checked_in, expected = data.at(request.args.get("session", type=int))
    return jsonify(
        event=event.slug,
        place={"checked_in": checked_in, "expected": expected},
        confirmed=data.confirmed,
        checked_in=data.checked_in,
        categories=[
            {"category": c.category.value, "confirmed": c.confirmed, "checked_in": c.checked_in}
            for c in data.categories
        ],
        sessions=[
            {
                "id": s.session.id,
                "title": s.session.title,
                "checked_in": s.checked_in,
                "signed_up": s.signed_up,
            }
            for s in data.sessions
        ],
    )


# The offline scanner's routes register on `bp` when imported (as the admin areas do).
from eventapp.web import checkin_offline  # noqa: E402, F401
