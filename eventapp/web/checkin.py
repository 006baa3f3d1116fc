"""The door: the scanner page, the check-in API, finding and checking in people by hand,
and the live counts."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    has_request_context,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from eventapp.errors import NotAllowed, NotFound
from eventapp.extensions import csrf
from eventapp.models import AgendaSession, Event, Registration, Role, ScanResult, db
from eventapp.services.accounts import teams
from eventapp.services.checkin import CheckinOutcome, check_in, check_in_by_hand
from eventapp.services.checkin.attendance import CheckinCounts, checked_in_ids, checkin_counts
from eventapp.services.registration.registrants import RegistrantFilter, registrants_statement
from eventapp.web.access import role_required, safe_next, session_account_id
from eventapp.web.forms.checkin import CheckinByHandForm
from eventapp.web.forms.registration import has_controls
from eventapp.web.lookups import staff_event_or_404
from eventapp.web.resources import badge_keys
from eventapp.web.templating import country_name, local_time

bp = Blueprint("checkin", __name__)

#: Who may work the door: scan badges, find people by name and check them in by hand, and
#: see the counts. Every door route, and the API's login check, ask for this one role
#: (per-event teams narrow it here).
DOOR_ROLE = Role.CHECKIN
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
        refusals=_refusal_texts(),
    )


def _refusal_texts() -> dict[str, str]:
    """Why a session does not admit someone, as the door page says it."""
    return {
        "not_admitted": _("Not admitted to this session"),
        "no_seat": _("No seat in this session: it admits only those who hold a seat."),
        "session_cancelled": _("This session is cancelled."),
        "session_unpublished": _("This session is not published."),
    }


def _bearer_device() -> bool:
    """True when the request carries one of the configured scanner-device API tokens."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    return any(
        hmac.compare_digest(token.strip().encode(), known.strip().encode())
        for known in current_app.config.get("API_TOKENS") or ()
    )


def _error(code: str, message: str, status: int) -> Any:
    return jsonify(error=code, message=message), status


def _answer(outcome: CheckinOutcome) -> dict[str, Any]:
    answer: dict[str, Any] = {"result": outcome.result.value}
    if outcome.reason:
        answer["reason"] = outcome.reason
    attendee = outcome.attendee
    if attendee is not None:
        answer |= {
            "name": attendee.name,
            "name_alt": attendee.name_alt,
            "organization": attendee.organization,
            "country": attendee.country,
            # Door staff read the name, not the ISO code (#22).
            # (Offline uploads are answered outside a request: no interface language.)
            "country_name": (
                country_name(attendee.country)
                if attendee.country and has_request_context()
                else None
            ),
            "category": attendee.category.value,
            "status": attendee.status.value,
        }
    if outcome.first_checked_in_at is not None:
        answer["first_checked_in_at"] = outcome.first_checked_in_at.isoformat()
    if outcome.badge_event is not None:
        answer["badge_event"] = {
            "slug": outcome.badge_event.slug,
            "title": outcome.badge_event.title,
            "title_ko": outcome.badge_event.title_ko,
        }
    return answer


@dataclass(frozen=True, slots=True)
class ScanRequest:
    token: str
    event: str | None
    session_id: int | None
    location: str | None


def _scan_request(payload: Any) -> ScanRequest | None:
    """The JSON body's shape, or None when it is not what the API accepts."""
    if not isinstance(payload, dict) or not isinstance(payload.get("token"), str):
        return None
    session_id, slug, location = (payload.get(k) for k in ("session_id", "event", "location"))
    if session_id is not None and type(session_id) is not int:  # bool is not an id
        return None
    if not all(value is None or isinstance(value, str) for value in (slug, location)):
        return None
    # Control characters (NUL above all: PostgreSQL text cannot hold it) are in no token,
    # slug or place name we make.
    if any(has_controls(text or "") for text in (payload["token"], slug, location)):
        return None
    return ScanRequest(payload["token"][:200], slug or None, session_id, location or None)


def _refusal() -> Any:
    """401/403 JSON for a request that neither a device token nor staff login allows."""
    if not current_user.is_authenticated:
        return _error("unauthorized", "Log in as check-in staff or send an API token.", 401)
    if not current_user.has_role(DOOR_ROLE):  # every role today; kept for new roles
        return _error("forbidden", "This account may not check people in.", 403)
    return None


def _refused_or(device: bool, answer: Any) -> Any:
    """`answer`, unless staff login refuses the request: that is said first, as always."""
    if not device and (refusal := _refusal()) is not None:
        return refusal
    return answer


def _csrf_error() -> CSRFError | None:
    """This request's CSRF failure, when CSRF protection is on and the token is wrong."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return None
    try:
        csrf.protect()
    except CSRFError as error:
        return error
    return None


@bp.post("/api/checkin")
@csrf.exempt  # checked below unless a scanner device authenticates with its bearer token
def api_checkin() -> Any:
    """`{"token", "event"?, "session_id"?, "location"?}` → `{"result", name, …}`.

    Staff are not loaded before the scan: the session names the account, and `check_in`
    checks that it is active and may check people in, in the statement that records the
    scan (one query in all on PostgreSQL). Every other answer is decided as it always was:
    login and role first (Flask-Login loads the account), then CSRF, the body, the event.
    """
    device = _bearer_device()
    staff_id = None if device else session_account_id()
    if not device:
        csrf_error = _csrf_error()
        if staff_id is None or csrf_error is not None:
            if (refusal := _refusal()) is not None:
                return refusal
            if csrf_error is not None:
                raise csrf_error
            staff_id = current_user.id
    scan_request = _scan_request(request.get_json(silent=True))
    if scan_request is None:
        message = 'Send a JSON object: "token" string, optional "event", "session_id", "location".'
        return _refused_or(device, _error("invalid_json", message, 400))
    if staff_id is not None and not teams.may_scan_at(
        staff_id, event_slug=scan_request.event, session_id=scan_request.session_id
    ):
        return _refusal() or _error("forbidden", "This account is not in this event's team.", 403)
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
        return _refusal() or _error("unauthorized", "Log in again.", 401)
    except NotFound as error:
        return _refused_or(device, _error(error.code, error.message, 404))
    return jsonify(_answer(outcome))


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
        texts = _refusal_texts()
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
