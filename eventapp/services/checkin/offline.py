"""The offline copy: what a door device needs to judge a badge with the network gone.

Per registration of the events the device may scan: a keyed hash of its one current
badge token and of the last ones it replaced (so a revoked badge is told from a forged
one), what the door shows of the person (printed name, organization, country, category,
status), when they were checked in at the event door and at each session, and the
The sessions of those events say whether they admit (cancelled, unpublished) and, for
those with a capacity, who holds a seat (whole on every answer: signups keep no time
of change, and seats are few). The signing
key never leaves the server: the hash key is a separate key per event (derived from
SECRET_KEY for this purpose only), and knowing it and every hash does not let anyone
make a token (that takes the badge MAC). No email or other personal data is in the copy.

Events held within a day of those (`neighbours`), which the device does not scan, are
in it as keyed hashes only (`other_rows`): enough to say "badge for another event" as
the server does, with no one's name.

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

from eventapp.models import (
    AgendaSession,
    Event,
    Registration,
    RegistrationStatus,
    SessionSignup,
    SessionStatus,
    db,
)
from eventapp.models.base import utcnow
from eventapp.models.checkin import Attendance
from eventapp.names import display_name
from eventapp.services.checkin.badges import BadgeClaim, BadgeKeys, sign_claim

PURPOSE = b"eventapp/offline-copy/v1"
#: Bytes of the keyed hash kept per token: 72 bits, base64url in 12 characters.
HASH_BYTES = 9
CURSOR_OVERLAP = timedelta(seconds=10)
FIELDS = (
    "id",
    "event",
    "serial",
    "hash",
    "name",
    "name_alt",
    "org",
    "country",
    "category",
    "status",
    "in",
    "old",
    "at",
)
OTHER_FIELDS = ("id", "event", "serial", "hash", "old")
#: How many replaced badges of one registration are still told apart from forgeries.
OLD_SERIALS = 3
#: Events starting or ending this close to the device's are its neighbours.
NEIGHBOURHOOD = timedelta(days=1)


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


def neighbours(events: Sequence[Event]) -> list[Event]:
    """The other events held within a day of `events` (where their badges may turn up)."""
    if not events:
        return []
    starts = min(e.starts_at for e in events) - NEIGHBOURHOOD
    ends = max(e.ends_at for e in events) + NEIGHBOURHOOD
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.id.not_in([e.id for e in events]))
            .where(Event.starts_at < ends, Event.ends_at > starts)
            .order_by(Event.id)
        )
    )


def _changed(since: datetime | None) -> ColumnElement[bool] | None:
    """Registrations changed, or checked in anywhere, since `since` (None: all of them)."""
    if since is None:
        return None
    # Not correlated: the statements using it join attendances themselves.
    checked_in = (
        select(Attendance.registration_id).where(Attendance.checked_in_at > since).correlate(None)
    )
    return or_(Registration.updated_at > since, Registration.id.in_(checked_in))


def _hashes(key: bytes, keys: BadgeKeys, event_id: int, row_id: int, serial: int) -> list[str]:
    """The current token's hash, then those of the last replaced ones (newest first)."""
    return [
        token_hash(key, sign_claim(BadgeClaim(event_id, row_id, old), keys))
        for old in range(serial, max(0, serial - OLD_SERIALS - 1), -1)
    ]


def _sessions(events: Sequence[Event]) -> list[list[Any]]:
    """The sessions as the door judges them: [[id, event id, refusal, seat holders]], the
    last None where the session has no capacity (it admits everyone confirmed)."""
    seat = and_(
        SessionSignup.session_id == AgendaSession.id,
        AgendaSession.capacity.is_not(None),
        SessionSignup.status == RegistrationStatus.CONFIRMED,
    )
    found = db.session.execute(  # one statement: a row per seat, or one for a seatless session
        select(
            AgendaSession.id,
            AgendaSession.event_id,
            AgendaSession.status,
            AgendaSession.is_published,
            AgendaSession.capacity,
            SessionSignup.registration_id,
        )
        .outerjoin(SessionSignup, seat)
        .where(AgendaSession.event_id.in_([e.id for e in events]))
        .order_by(AgendaSession.id, SessionSignup.registration_id)
    )
    listed: dict[int, list[Any]] = {}
    for session_id, event_id, status, is_published, capacity, holder in found:
        if session_id not in listed:
            # In the order of SESSION_REFUSALS; "no_seat" is the device's to tell.
            refusal = (
                "session_cancelled"
                if status is SessionStatus.CANCELLED
                else None
                if is_published
                else "session_unpublished"
            )
            seats: list[int] | None = [] if capacity is not None else None
            listed[session_id] = [session_id, event_id, refusal, seats]
        if holder is not None:
            listed[session_id][3].append(holder)
    return list(listed.values())


def _other_rows(
    others: Sequence[Event], *, keys: BadgeKeys, secret: str, since: datetime | None
) -> list[list[Any]]:
    """Hashes only, for the neighbours' badges (`OTHER_FIELDS`)."""
    if not others:
        return []
    statement = (
        select(Registration.id, Registration.event_id, Registration.badge_serial)
        .where(Registration.event_id.in_([e.id for e in others]))
        .order_by(Registration.id)
    )
    if (changed := _changed(since)) is not None:
        statement = statement.where(changed)
    event_keys = {e.id: copy_key(secret, e.id) for e in others}
    rows = []
    for row in db.session.execute(statement):
        current, *old = _hashes(
            event_keys[row.event_id], keys, row.event_id, row.id, row.badge_serial
        )
        rows.append([row.id, row.event_id, row.badge_serial, current, old or None])
    return rows


def _event_entry(event: Event, secret: str, *, door: bool) -> dict[str, Any]:
    return {
        "id": event.id,
        "slug": event.slug,
        "title": event.title,
        "title_ko": event.title_ko,
        "key": _b64(copy_key(secret, event.id)),
        "door": door,
    }


def offline_copy(
    events: Sequence[Event],
    *,
    keys: BadgeKeys,
    secret: str,
    since: datetime | None = None,
    now: datetime | None = None,
    others: Sequence[Event] = (),
) -> dict[str, Any]:
    """The copy for `events` (the caller has checked the device may scan them): all of it,
    or what changed since `since`; `others` (`neighbours`) as hashes only."""
    now = now or utcnow()
    statement = (  # a row per attendance (door or session), or one for a registration without
        select(
            Registration.id,
            Registration.event_id,
            Registration.badge_serial,
            Registration.given_name,
            Registration.family_name,
            Registration.name_order,
            Registration.name_alt,
            Registration.organization_name,
            Registration.country,
            Registration.category,
            Registration.status,
            Attendance.session_id,
            Attendance.checked_in_at,
        )
        .outerjoin(Attendance, Attendance.registration_id == Registration.id)
        .where(Registration.event_id.in_([e.id for e in events]))
        .order_by(Registration.id, Attendance.session_id.is_not(None), Attendance.session_id)
    )
    if (changed := _changed(since)) is not None:
        statement = statement.where(changed)
    event_keys = {e.id: copy_key(secret, e.id) for e in events}
    rows: dict[int, list[Any]] = {}
    for row in db.session.execute(statement):
        listed = rows.get(row.id)
        if listed is None:
            current, *old = _hashes(
                event_keys[row.event_id], keys, row.event_id, row.id, row.badge_serial
            )
            listed = rows[row.id] = [
                row.id,
                row.event_id,
                row.badge_serial,
                current,
                display_name(row.given_name, row.family_name, row.name_order),
                row.name_alt,
                row.organization_name,
                row.country,
                row.category.value,
                row.status.value,
                None,  # in: at the event's door
                old or None,
                None,  # at: [[session id, time], …]
            ]
        if row.checked_in_at is None:
            continue
        if row.session_id is None:
            listed[10] = row.checked_in_at.isoformat()
        else:
            listed[12] = (listed[12] or []) + [[row.session_id, row.checked_in_at.isoformat()]]
    return {
        "v": 2,
        "full": since is None,
        # URL-safe as it is: "Z", not "+00:00".
        "cursor": (now - CURSOR_OVERLAP).isoformat().replace("+00:00", "Z"),
        "synced_at": now.isoformat(),
        "events": [_event_entry(e, secret, door=True) for e in events]
        + [_event_entry(e, secret, door=False) for e in others],
        "fields": list(FIELDS),
        "rows": list(rows.values()),
        # Whole on every answer: a few dozen sessions, seats only where there is a capacity.
        "sessions": _sessions(events),
        "other_fields": list(OTHER_FIELDS),
        "other_rows": _other_rows(others, keys=keys, secret=secret, since=since),
    }
