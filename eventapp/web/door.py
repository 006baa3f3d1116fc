"""What the door's JSON endpoints share: who may call them (staff login or a scanner
device's bearer token), their errors, the shape of a scan request and of its answer, and
the words the scanner page shows (online and offline alike)."""

from __future__ import annotations

import hmac
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_request_context, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from eventapp.extensions import csrf
from eventapp.labels import STATUS_LABELS
from eventapp.models import RegistrationStatus, Role, ScanResult
from eventapp.services.accounts import teams
from eventapp.services.checkin import CheckinOutcome
from eventapp.services.checkin.badges import hangul_keys
from eventapp.services.checkin.rules import rule_table
from eventapp.web.forms.registration import has_controls
from eventapp.web.templating import country_name

#: Who may work the door: scan badges, find people by name and check them in by hand, and
#: see the counts. Every door route, and the API's login check, ask for this one role
#: (per-event teams narrow it).
DOOR_ROLE = Role.CHECKIN


def bearer_device() -> bool:
    """True when the request carries one of the configured scanner-device API tokens."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    return any(
        hmac.compare_digest(token.strip().encode(), known.strip().encode())
        for known in current_app.config.get("API_TOKENS") or ()
    )


def error(code: str, message: str, status: int) -> Any:
    return jsonify(error=code, message=message), status


def refusal() -> Any:
    """401/403 JSON for a request that neither a device token nor staff login allows."""
    if not current_user.is_authenticated:
        return error("unauthorized", "Log in as check-in staff or send an API token.", 401)
    if not current_user.has_role(DOOR_ROLE):  # every role today; kept for new roles
        return error("forbidden", "This account may not check people in.", 403)
    return None


def refused_or(device: bool, answer: Any) -> Any:
    """`answer`, unless staff login refuses the request: that is said first, as always."""
    if not device and (refused := refusal()) is not None:
        return refused
    return answer


def csrf_error() -> CSRFError | None:
    """This request's CSRF failure, when CSRF protection is on and the token is wrong."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return None
    try:
        csrf.protect()
    except CSRFError as failure:
        return failure
    return None


@dataclass(frozen=True, slots=True)
class ScanRequest:
    token: str
    event: str | None
    session_id: int | None
    location: str | None


def scan_request(payload: Any) -> ScanRequest | None:
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


def answer(
    outcome: CheckinOutcome, *, staff_id: int | None = None, doors: Collection[str | None] = ()
) -> dict[str, Any]:
    """A scan's outcome as the API says it. The person is named to staff of their event
    only: a badge of an event outside `staff_id`'s teams says which event it is for, and
    no more (the offline copy holds no one else's name either). `staff_id` None: a scanner
    device; `doors`: the events scanned at, whose teams the caller has checked."""
    said: dict[str, Any] = {"result": outcome.result.value}
    if outcome.reason:
        said["reason"] = outcome.reason
    attendee = outcome.attendee
    if attendee is not None and (
        staff_id is None
        or attendee.event_slug in doors
        or teams.may_scan_at(staff_id, event_slug=attendee.event_slug, session_id=None)
    ):
        said |= {
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
        said["first_checked_in_at"] = outcome.first_checked_in_at.isoformat()
    if outcome.badge_event is not None:
        said["badge_event"] = {
            "slug": outcome.badge_event.slug,
            "title": outcome.badge_event.title,
            "title_ko": outcome.badge_event.title_ko,
        }
    return said


def refusal_texts() -> dict[str, str]:
    """Why a session does not admit someone, as the door page says it."""
    return {
        "not_admitted": _("Not admitted to this session"),
        "no_seat": _("No seat in this session: it admits only those who hold a seat."),
        "session_cancelled": _("This session is cancelled."),
        "session_unpublished": _("This session is not published."),
    }


def _status_texts() -> dict[RegistrationStatus, str]:
    """Why a registration is not confirmed, in the door's words where it has its own."""
    door = {
        RegistrationStatus.WAITLISTED: _("On the waiting list"),
        RegistrationStatus.CANCELLED: _("Cancelled"),
    }
    return {
        status: door.get(status) or str(STATUS_LABELS[status])
        for status in RegistrationStatus
        if status is not RegistrationStatus.CONFIRMED
    }


def result_texts() -> dict[str, str]:
    """Every scan result, and what the detail line says of it, as the scanner shows them
    (one word per `ScanResult`, refusal and unconfirmed status: `test_scanner_words`)."""
    return {
        ScanResult.CHECKED_IN.value: _("Checked in"),
        ScanResult.ALREADY_CHECKED_IN.value: _("Already checked in"),
        "first_at": _("First checked in at %(time)s", time="{time}"),
        ScanResult.INVALID.value: _("Not a valid badge"),
        "revoked": _("This badge was replaced by a newer one. Ask for the current badge."),
        ScanResult.NOT_CONFIRMED.value: _("Registration not confirmed"),
        **{f"status_{status.value}": text for status, text in _status_texts().items()},
        ScanResult.WRONG_EVENT.value: _("Badge for another event"),
        "badge_for": _("This badge is for: %(event)s", event="{event}"),
    } | refusal_texts()


def scanner_rules() -> dict[str, Any]:
    """What the offline judge needs besides its copy: the rule table and the Hangul-mode
    keys of the 2-beolsik layout (both from their one home on the server)."""
    return rule_table() | {"hangul": hangul_keys()}
