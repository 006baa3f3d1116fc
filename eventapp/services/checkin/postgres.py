"""A door scan on PostgreSQL in one statement: read the badge, admit, record the scan.

The statement applies the rules of `services.checkin.rules.judge` in SQL, because the scan row
it writes carries the result; the service judges the returned row again in Python and
refuses to commit if the two disagree. Other databases take the step-by-step path there.

Concurrency: the attendance insert is `ON CONFLICT DO NOTHING`, so of two simultaneous
scans one inserts and the other waits for its commit and inserts nothing; its scan row
then says `already_checked_in`. The winner's row is not in the loser's snapshot, so the
service reads the first check-in time with a second statement in that (rare) case.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY

from eventapp.models import db
from eventapp.models.base import UTCDateTime

# `staff` also sets this transaction's `synchronous_commit` (see `scan_badge`). `staff`: the
# scanning account, if it is active and has a check-in role (a device scans
# without one); otherwise nothing is written and the service raises NotAllowed. `badge`:
# the registration and its event, only if that is the event the badge names, and its first
# check-in at this place. `verdict`: always one row (NULLs for an unknown or malformed
# badge) with the result by the rules of `judge`. `door`: the scanner's event when one is
# named; the scan counts for it, and without it (an unknown slug) nothing is written and
# the service raises NotFound. Parameters are typed below (rendered as `$n::TYPE` casts).
_SCAN_BADGE = (
    text(
        """
WITH staff AS (
    SELECT :account_id IS NULL OR EXISTS (
               SELECT FROM accounts
                WHERE id = :account_id AND is_active_account AND role = ANY (:roles)
           ) AS allowed
      FROM (SELECT set_config('synchronous_commit',
                              COALESCE(:synchronous_commit, current_setting('synchronous_commit')),
                              true)) AS durability
),
badge AS (
    SELECT r.id, r.event_id, r.badge_serial, r.status, r.given_name, r.family_name,
           r.name_order, r.name_alt, r.organization_name, r.country, r.category,
           e.slug, e.title, e.title_ko,
           (SELECT a.checked_in_at FROM attendances AS a
             WHERE a.registration_id = r.id
               AND a.session_id IS NOT DISTINCT FROM :session_id) AS first_checked_in_at
      FROM registrations AS r JOIN events AS e ON e.id = r.event_id
     WHERE r.id = :registration_id AND r.event_id = :badge_event_id
),
door AS (
    SELECT id FROM events WHERE slug = :event_slug
),
verdict AS (
    SELECT badge.*,
           CASE WHEN badge.id IS NULL OR badge.badge_serial <> :serial THEN 'invalid'
                WHEN badge.slug <> :event_slug THEN 'wrong_event'
                WHEN badge.status <> 'confirmed' THEN 'not_confirmed'
                WHEN :session_refusal IS NOT NULL THEN 'not_admitted'
                WHEN badge.first_checked_in_at IS NOT NULL THEN 'already_checked_in'
                ELSE 'checked_in'
           END AS result
      FROM (SELECT) AS one LEFT JOIN badge ON true
),
admitted AS (
    INSERT INTO attendances (event_id, registration_id, session_id, account_id, checked_in_at)
    SELECT event_id, id, :session_id, :account_id, :now FROM verdict, staff
     WHERE result = 'checked_in' AND staff.allowed
    ON CONFLICT DO NOTHING
    RETURNING checked_in_at
),
recorded AS (
    INSERT INTO scans (event_id, registration_id, session_id, account_id, result, location,
                       scanned_at)
    SELECT COALESCE((SELECT id FROM door), verdict.event_id), verdict.id, :session_id,
           :account_id,
           CASE WHEN verdict.result = 'checked_in' AND NOT EXISTS (SELECT FROM admitted)
                THEN 'already_checked_in' ELSE verdict.result END,
           :location, :now
      FROM verdict, staff
     WHERE staff.allowed AND (:event_slug IS NULL OR EXISTS (SELECT FROM door))
    RETURNING result
)
SELECT verdict.*,
       (SELECT allowed FROM staff) AS staff_allowed,
       (SELECT checked_in_at FROM admitted) AS admitted_at,
       EXISTS (SELECT FROM door) AS door_found,
       (SELECT result FROM recorded) AS recorded_result
  FROM verdict
"""
    )
    .bindparams(
        bindparam("registration_id", type_=Integer()),
        bindparam("badge_event_id", type_=Integer()),
        bindparam("serial", type_=Integer()),
        bindparam("event_slug", type_=String()),
        bindparam("session_id", type_=Integer()),
        bindparam("account_id", type_=Integer()),
        bindparam("roles", type_=ARRAY(String())),
        bindparam("location", type_=String()),
        bindparam("now", type_=UTCDateTime()),
        bindparam("synchronous_commit", type_=String()),
        bindparam("session_refusal", type_=String()),
    )
    .columns(first_checked_in_at=UTCDateTime(), admitted_at=UTCDateTime())
)


def scan_badge(
    registration_id: int | None,
    badge_event_id: int | None,
    serial: int | None,
    *,
    event_slug: str | None,
    session_id: int | None,
    account_id: int | None,
    roles: list[str],
    location: str | None,
    now: datetime,
    durable: bool = True,
    session_refusal: str | None = None,
) -> Mapping[Any, Any]:
    """Run the statement in the session's transaction (the caller commits); its one row.

    `durable=False` sets `synchronous_commit = off` for this transaction only: the commit
    then returns before the WAL reaches the disk. A crash of the database server (not of
    the app) can lose the last scans committed before it (at most about 0.6 s of them,
    three times `wal_writer_delay`), whole: never half a scan, never a duplicate. The
    person's badge then simply scans as a first check-in again. `session_refusal` is why
    the session scanned at does not admit the badge's holder (`scan._session_door`).
    """
    return (
        db.session.execute(
            _SCAN_BADGE,
            {
                "registration_id": registration_id,
                "badge_event_id": badge_event_id,
                "serial": serial,
                "event_slug": event_slug,
                "session_id": session_id,
                "account_id": account_id,
                "roles": roles,
                "location": location,
                "now": now,
                "synchronous_commit": None if durable else "off",
                "session_refusal": session_refusal,
            },
        )
        .mappings()
        .one()
    )
