"""Scans made offline, uploaded when the network returns (#19).

Each scan carries the id the device made for it (a UUID, unique in `offline_scans`), its
scan time and the device: a scan uploaded twice is recorded once and answered the same.
Scans are recorded in the order they were made (`check_in` with the scan's own time), so
of two doors that admitted one badge while apart, the earliest scan by time is the
check-in and the other a duplicate, whichever door uploads first: a scan earlier than the
recorded check-in takes its place (`_earlier_admission`), and the later scan becomes
`already_checked_in`. Counts read attendances, one row per person and door: they stay exact.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from eventapp.models import OfflineScan, Scan, ScanResult, db
from eventapp.models.checkin import Attendance
from eventapp.services.checkin.badges import BadgeKeys
from eventapp.services.checkin.rules import CheckinOutcome
from eventapp.services.checkin.scan import check_in


@dataclass(frozen=True, slots=True)
class QueuedScan:
    """One scan as the device queued it."""

    uuid: str
    token: str
    scanned_at: datetime
    event_slug: str | None
    session_id: int | None = None


@dataclass(frozen=True, slots=True)
class Recorded:
    uuid: str
    answer: dict[str, Any]
    #: False when this upload repeated one already recorded.
    new: bool


def record_uploads(
    scans: Sequence[QueuedScan],
    *,
    keys: BadgeKeys,
    staff_id: int | None,
    device: str | None,
    answer: Callable[[CheckinOutcome], dict[str, Any]],
) -> list[Recorded]:
    """Record `scans` in scan-time order; `answer` says an outcome as the API does."""
    recorded = []
    for queued in sorted(scans, key=lambda s: (s.scanned_at, s.uuid)):
        recorded.append(_record_one(queued, keys, staff_id, device, answer))
    return recorded


def _record_one(
    queued: QueuedScan,
    keys: BadgeKeys,
    staff_id: int | None,
    device: str | None,
    answer: Callable[[CheckinOutcome], dict[str, Any]],
) -> Recorded:
    claim = OfflineScan(uuid=queued.uuid, device=device, scanned_at=queued.scanned_at)
    db.session.add(claim)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        stored = db.session.scalar(db.select(OfflineScan.answer).filter_by(uuid=queued.uuid))
        return Recorded(queued.uuid, json.loads(stored) if stored else {"result": "pending"}, False)
    outcome = check_in(
        queued.token,
        keys=keys,
        staff_id=staff_id,
        event_slug=queued.event_slug,
        session_id=queued.session_id,
        location=device,
        now=queued.scanned_at,
    )
    said = answer(outcome)
    earlier = _earlier_admission(outcome, queued, staff_id)
    if earlier is not None and outcome.first_checked_in_at is not None:
        # This door was first; the other door's admission is now the duplicate.
        said = answer(earlier) | {
            "also_admitted": _admitted(earlier, queued, outcome.first_checked_in_at)
        }
    elif outcome.result is ScanResult.ALREADY_CHECKED_IN and outcome.first_checked_in_at:
        said |= {"also_admitted": _admitted(outcome, queued, outcome.first_checked_in_at)}
    claim.answer = json.dumps(said)
    db.session.commit()
    return Recorded(queued.uuid, said, True)


def _admitted(outcome: CheckinOutcome, queued: QueuedScan, at: datetime) -> dict[str, Any]:
    """The other admission of this badge at this place: where (door or device) and when."""
    assert outcome.attendee is not None  # noqa: S101 - only a known attendee is admitted
    location = db.session.scalar(
        db.select(Scan.location)
        .where(
            Scan.registration_id == outcome.attendee.registration_id,
            _scan_place(queued.session_id),
            Scan.scanned_at == at,
        )
        .limit(1)
    )
    return {"location": location, "at": at.isoformat()}


def _scan_place(session_id: int | None) -> Any:
    return Scan.session_id.is_(None) if session_id is None else Scan.session_id == session_id


def _earlier_admission(
    outcome: CheckinOutcome, queued: QueuedScan, staff_id: int | None
) -> CheckinOutcome | None:
    """When this scan came before the recorded check-in (another door, offline too), it
    becomes the check-in: the attendance takes its time, this scan says `checked_in` and
    the later one `already_checked_in`. One conditional update, so racing uploads agree."""
    first = outcome.first_checked_in_at
    if outcome.result is not ScanResult.ALREADY_CHECKED_IN or first is None:
        return None
    if first <= queued.scanned_at or outcome.attendee is None:
        return None
    registration_id = outcome.attendee.registration_id
    place = (
        Attendance.session_id.is_(None)
        if queued.session_id is None
        else Attendance.session_id == queued.session_id
    )
    moved = db.session.execute(
        update(Attendance)
        .where(
            Attendance.registration_id == registration_id,
            place,
            Attendance.checked_in_at > queued.scanned_at,
        )
        .values(checked_in_at=queued.scanned_at, account_id=staff_id)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        return None
    scans = db.select(Scan.id).where(
        Scan.registration_id == registration_id, _scan_place(queued.session_id)
    )
    db.session.execute(
        update(Scan)
        .where(Scan.id.in_(scans.where(Scan.scanned_at == first)))
        .where(Scan.result == ScanResult.CHECKED_IN)
        .values(result=ScanResult.ALREADY_CHECKED_IN)
    )
    db.session.execute(
        update(Scan)
        .where(Scan.id.in_(scans.where(Scan.scanned_at == queued.scanned_at)))
        .where(Scan.result == ScanResult.ALREADY_CHECKED_IN)
        .values(result=ScanResult.CHECKED_IN)
    )
    return replace(outcome, result=ScanResult.CHECKED_IN, first_checked_in_at=queued.scanned_at)
