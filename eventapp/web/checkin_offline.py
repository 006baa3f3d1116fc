"""The door scanner offline (#19): its service worker and manifest, the copy a device
judges badges against (`/api/checkin/sync`) and the upload of scans made offline. Routes
of the `checkin` blueprint; the check-in rules stay in `services/checkin`."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.errors import NotAllowed, NotFound
from eventapp.extensions import csrf
from eventapp.models import Event, db, utcnow
from eventapp.services.accounts import teams
from eventapp.services.checkin.offline import FIELDS, neighbours, offline_copy
from eventapp.services.checkin.upload import QueuedScan, record_uploads
from eventapp.web import door
from eventapp.web.checkin import (
    bp,
)
from eventapp.web.forms.registration import has_controls
from eventapp.web.resources import badge_keys
from eventapp.web.templating import country_name

#: What the service worker keeps for `/checkin` to open offline (static/ paths).
OFFLINE_ASSETS = (
    "css/app.css",
    "css/checkin.css",
    "js/submit-once.js",
    "js/checkin-offline.js",
    "js/checkin.js",
    "vendor/jsqr/jsQR.js",
    "img/favicon.svg",
)


def _offline_version() -> str:
    """Changes whenever a kept file or the worker changes, so devices fetch them again."""
    digest = hashlib.sha256()
    static = Path(current_app.static_folder or "static")
    for name in (*OFFLINE_ASSETS, "js/checkin-sw.js"):
        digest.update(name.encode() + b"\0" + (static / name).read_bytes())
    return digest.hexdigest()[:16]


@bp.get("/checkin/sw.js")
def service_worker() -> Any:
    """The scanner's service worker, scoped to `/checkin` (same origin: CSP `'self'`)."""
    static = Path(current_app.static_folder or "static")
    config = {
        "version": _offline_version(),
        "page": url_for("checkin.scan"),
        "assets": [url_for("static", filename=name) for name in OFFLINE_ASSETS],
    }
    body = f"self.OFFLINE = {json.dumps(config)};\n" + (static / "js/checkin-sw.js").read_text()
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = url_for("checkin.scan")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/checkin/manifest.webmanifest")
def manifest() -> Any:
    """The web app manifest that makes the scanner installable (nothing personal in it)."""
    data = {
        "name": _("Check-in"),
        "short_name": _("Check-in"),
        "start_url": url_for("checkin.scan"),
        "scope": url_for("checkin.scan"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f3a93",
        "icons": [
            {
                "src": url_for("static", filename="img/favicon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
            }
        ],
    }
    return current_app.response_class(json.dumps(data), mimetype="application/manifest+json")


@bp.get("/api/checkin/sync")
def sync() -> Any:
    """The offline copy (`services.checkin.offline`) for the events this device may scan:
    everything, or with `?since=CURSOR` what changed since; `?event=SLUG` narrows it.
    Logged-in door staff (their teams' events) or a scanner device (`API_TOKENS`)."""
    device = door.bearer_device()
    if not device and (refusal := door.refusal()) is not None:
        return refusal
    since = None
    if raw_since := request.args.get("since"):
        try:
            since = datetime.fromisoformat(raw_since)
        except ValueError:
            return door.error("invalid_cursor", "Send the cursor of the last answer as since.", 400)
        if since.tzinfo is None:
            return door.error("invalid_cursor", "Send the cursor of the last answer as since.", 400)
    statement = db.select(Event).order_by(Event.id)
    if not device:
        statement = statement.where(teams.event_clause(current_user))
    if slug := request.args.get("event"):
        statement = statement.where(Event.slug == slug)
    events = db.session.scalars(statement).all()
    if slug and not events:
        return door.error("not_found", "No such event for this device.", 404)
    copy = offline_copy(
        events,
        keys=badge_keys(),
        secret=current_app.config["SECRET_KEY"],
        since=since,
        others=neighbours(events),
    )
    # The door shows the country's name in the page's language (#22), offline too.
    country = FIELDS.index("country")
    copy["countries"] = {
        code: country_name(code) for code in {row[country] for row in copy["rows"]} if code
    }
    response = current_app.response_class(
        json.dumps(copy, ensure_ascii=False, separators=(",", ":")), mimetype="application/json"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


#: Most scans one upload may carry (a door's queue after a long outage is a few hundred).
UPLOAD_LIMIT = 1000


def _queued_scans(payload: Any) -> list[QueuedScan] | None:
    """The upload body's scans, or None when it is not what the API accepts."""
    scans = payload.get("scans") if isinstance(payload, dict) else None
    if not isinstance(scans, list) or not 0 < len(scans) <= UPLOAD_LIMIT:
        return None
    queued = []
    latest = utcnow() + timedelta(minutes=5)
    for item in scans:
        scan_request = door.scan_request(item)
        if scan_request is None or not isinstance(item.get("scanned_at"), str):
            return None
        try:
            uuid = str(UUID(str(item.get("uuid"))))
            scanned_at = datetime.fromisoformat(item["scanned_at"])
        except ValueError:
            return None
        if scanned_at.tzinfo is None or scanned_at > latest:
            return None
        queued.append(
            QueuedScan(
                uuid, scan_request.token, scanned_at, scan_request.event, scan_request.session_id
            )
        )
    return queued


@bp.post("/api/checkin/upload")
@csrf.exempt  # checked below unless a scanner device authenticates with its bearer token
def upload() -> Any:
    """`{"device", "scans": [{"uuid", "token", "scanned_at", "event", "session_id"?}]}` →
    `{"scans": [{"uuid", "result", …, "repeated"?}]}`, in scan-time order: scans made
    offline, recorded once each (`services.checkin.upload`)."""
    device = door.bearer_device()
    if not device:
        if (refusal := door.refusal()) is not None:
            return refusal
        if (csrf_error := door.csrf_error()) is not None:
            raise csrf_error
    payload = request.get_json(silent=True)
    queued = _queued_scans(payload)
    name = payload.get("device") if isinstance(payload, dict) else None
    if queued is None or not (name is None or (isinstance(name, str) and not has_controls(name))):
        message = 'Send {"device", "scans": [{"uuid", "token", "scanned_at", "event"}]}.'
        return door.error("invalid_json", message, 400)
    staff_id = None if device else current_user.id
    if staff_id is not None:
        doors = {(q.event_slug, q.session_id) for q in queued}
        if not all(teams.may_scan_at(staff_id, event_slug=e, session_id=s) for e, s in doors):
            return door.error("forbidden", "This account is not in this event's team.", 403)
    try:
        recorded = record_uploads(
            queued,
            keys=badge_keys(),
            staff_id=staff_id,
            device=(name or "")[:120] or ("device" if device else None),
            answer=lambda outcome: door.answer(
                outcome, staff_id=staff_id, doors={q.event_slug for q in queued}
            ),
        )
    except NotAllowed:
        return door.error("unauthorized", "Log in again.", 401)
    except NotFound as error:
        return door.error(error.code, error.message, 404)
    return jsonify(
        scans=[
            {"uuid": r.uuid, **r.answer} | ({} if r.new else {"repeated": True}) for r in recorded
        ]
    )
