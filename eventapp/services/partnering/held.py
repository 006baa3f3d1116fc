"""Meetings held or missed (#20), marked at the door of the table or by organizers, and the
dashboard's counts by country pair: requested, accepted, placed, held."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from eventapp.errors import PartneringRefused
from eventapp.models import (
    Account,
    Event,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    MeetingStatus,
    PartneringTable,
    RequestStatus,
    db,
    utcnow,
)
from eventapp.services.accounts import record


def mark(
    meeting: Meeting,
    outcome: MeetingOutcome | None,
    *,
    by: Account | None,
    now: datetime | None = None,
) -> Meeting:
    """Mark a placed meeting held or a no-show (None clears the mark); audited.
    Raises PartneringRefused `not_placed` for a cancelled or unplaced meeting."""
    if meeting.status is not MeetingStatus.PLANNED or meeting.slot_id is None:
        raise PartneringRefused("not_placed", "Only a placed meeting can be marked.")
    meeting.outcome = outcome
    meeting.outcome_at = (now or utcnow()) if outcome else None
    meeting.outcome_by_id = by.id if by and outcome else None
    record(by, "partnering.outcome", meeting, {"outcome": outcome.value if outcome else None})
    db.session.commit()
    return meeting


def table_meetings(table: PartneringTable) -> list[Meeting]:
    """The placed meetings at a table, in slot order (the door's list)."""
    found = db.session.scalars(
        db.select(Meeting).where(
            Meeting.table_id == table.id, Meeting.status == MeetingStatus.PLANNED
        )
    ).all()
    return sorted(found, key=lambda m: (m.slot.starts_at if m.slot else m.created_at, m.id))


@dataclass(frozen=True, slots=True)
class PairCount:
    pair: str  # "KR-US" (an en dash), countries in alphabetical order; "?" for an unknown country
    requested: int
    accepted: int
    placed: int
    held: int


def _pair(*countries: str | None) -> str:
    return "–".join(sorted((c or "?").upper() for c in countries))  # noqa: RUF001


def pair_counts(event: Event) -> list[PairCount]:
    """Meetings requested, accepted, placed and held, by the two organizations' countries."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    requests = db.session.scalars(
        db.select(MeetingRequest).where(MeetingRequest.event_id == event.id)
    ).all()
    for request in requests:
        key = _pair(request.requester.organization.country, request.recipient.organization.country)
        counts[key]["requested"] += 1
        counts[key]["accepted"] += int(request.status is RequestStatus.ACCEPTED)
    meetings = db.session.scalars(
        db.select(Meeting).where(
            Meeting.event_id == event.id, Meeting.status == MeetingStatus.PLANNED
        )
    ).all()
    for meeting in meetings:
        key = _pair(*(p.participant.organization.country for p in meeting.people))
        counts[key]["placed"] += int(meeting.slot_id is not None)
        counts[key]["held"] += int(meeting.outcome is MeetingOutcome.HELD)
    return [
        PairCount(key, c["requested"], c["accepted"], c["placed"], c["held"])
        for key, c in sorted(counts.items())
    ]
