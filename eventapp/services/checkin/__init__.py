"""Check-in at the door: verify a badge, record the scan, admit each person once.

"Once" is enforced by the database (a unique row in `attendances` per registration and
door or session), so two staff scanning the same badge at the same moment get one
`checked_in` and one `already_checked_in`, on any number of app processes.

Homes: `rules` (what a scan means, pure, and the table the offline judge is given),
`scan` (recording a scan, both database paths), `postgres` (PostgreSQL's one-statement
scan), `badges` (the signed token and what a badge prints), `attendance` (the one
definition of "checked in" and the door counts), `offline` (the copy a door device judges
with), `upload` (scans made offline).
"""

from eventapp.services.checkin.rules import (
    CHECKIN_ROLES,
    SESSION_REFUSALS,
    Attendee,
    BadgeEvent,
    CheckinOutcome,
)
from eventapp.services.checkin.scan import check_in, check_in_by_hand

__all__ = [
    "CHECKIN_ROLES",
    "SESSION_REFUSALS",
    "Attendee",
    "BadgeEvent",
    "CheckinOutcome",
    "check_in",
    "check_in_by_hand",
]
