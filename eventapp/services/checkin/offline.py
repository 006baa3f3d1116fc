"""The offline copy: what a door device needs to judge a badge with the network gone.

Per registration of the events the device may scan: a keyed hash of its one current
badge token, the printed name, category, status and when it was checked in at the
event door. The signing key never leaves the server: the hash key is a separate key
per event (derived from SECRET_KEY for this purpose only), and knowing it and every
hash does not let anyone make a token (that takes the badge MAC). No email or other
personal data is in the copy.

Compact: one list per registration under a `fields` header, gzip-friendly. A refresh
(`since` = the last answer's `cursor`) lists only registrations changed or checked in
since then; the cursor overlaps by `CURSOR_OVERLAP` so a transaction committed late is
not missed (a row sent twice changes nothing on the device).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select

from eventapp.models import Event, Registration, db
from eventapp.models.base import utcnow
from eventapp.models.checkin import Attendance
from eventapp.names import display_name
from eventapp.services.checkin.badges import BadgeClaim, BadgeKeys, sign_claim

PURPOSE = b"eventapp/offline-copy/v1"
#: Bytes of the keyed hash kept per token: 72 bits, base64url in 12 characters.
HASH_BYTES = 9
CURSOR_OVERLAP = timedelta(seconds=10)
FIELDS = ("id", "event", "serial", "hash", "name", "name_alt", "category", "status", "in")


def copy_key(secret: str, event_id: int) -> bytes:
    """The key the devices hash tokens with for `event_id` (not the signing key)."""
    return hmac.new(secret.encode(), PURPOSE + b"/" + str(event_id).encode(), "sha256").digest()


def token_hash(key: bytes, token: str) -> str:
    """The keyed hash of a badge token's bytes, as the device computes it (base32-decoded)."""
    raw = base64.b32decode(token + "=" * (-len(token) % 8))
    digest = hmac.new(key, raw, hashlib.sha256).digest()[:HASH_BYTES]
    return base64.urlsafe_b64encode(digest).decode("ascii")


def _b64(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii").rstrip("=")


def offline_copy(
    events: Sequence[Event],
    *,
    keys: BadgeKeys,
    secret: str,
    since: datetime | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The copy for `events` (the caller has checked the device may scan them): all of it,
    or what changed since `since`."""
    now = now or utcnow()
    door = and_(Attendance.registration_id == Registration.id, Attendance.session_id.is_(None))
    statement = (
        select(
            Registration.id,
            Registration.event_id,
            Registration.badge_serial,
            Registration.given_name,
            Registration.family_name,
            Registration.name_order,
            Registration.name_alt,
            Registration.category,
            Registration.status,
            Attendance.checked_in_at,
        )
        .outerjoin(Attendance, door)
        .where(Registration.event_id.in_([e.id for e in events]))
        .order_by(Registration.id)
    )
    if since is not None:
        changed: ColumnElement[bool] = or_(
            Registration.updated_at > since, Attendance.checked_in_at > since
        )
        statement = statement.where(changed)
    event_keys = {e.id: copy_key(secret, e.id) for e in events}
    rows = []
    for row in db.session.execute(statement):
        token = sign_claim(BadgeClaim(row.event_id, row.id, row.badge_serial), keys)
        rows.append(
            [
                row.id,
                row.event_id,
                row.badge_serial,
                token_hash(event_keys[row.event_id], token),
                display_name(row.given_name, row.family_name, row.name_order),
                row.name_alt,
                row.category.value,
                row.status.value,
                row.checked_in_at.isoformat() if row.checked_in_at else None,
            ]
        )
    return {
        "v": 1,
        "full": since is None,
        # URL-safe as it is: "Z", not "+00:00".
        "cursor": (now - CURSOR_OVERLAP).isoformat().replace("+00:00", "Z"),
        "synced_at": now.isoformat(),
        "events": [
            {
                "id": e.id,
                "slug": e.slug,
                "title": e.title,
                "title_ko": e.title_ko,
                "key": _b64(event_keys[e.id]),
            }
            for e in events
        ],
        "fields": list(FIELDS),
        "rows": rows,
    }
