"""Meetings held or missed (#20), marked at the door of the table or by organizers, and the
counts by country pair: the dashboard's (requested, accepted, placed, held) and the
briefing report's (#18: meetings held).

One rule says what "held" is (`counts_as_held`): marked held; or, where nobody marked it,
placed and its slot over (most tables are never marked). A no-show mark is not held.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import joinedload, selectinload

from eventapp.errors import PartneringRefused
from eventapp.models import (
    Account,
    Event,
    Meeting,
    MeetingOutcome,
    MeetingPerson,
    MeetingRequest,
    MeetingStatus,
    Participant,
    PartneringSettings,
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


def counts_as_held(meeting: Meeting, now: datetime) -> bool:
    """The one rule of a meeting held: marked held, or unmarked, placed and its slot over."""
    if meeting.status is not MeetingStatus.PLANNED or meeting.slot is None:
        return False
    if meeting.outcome is not None:
        return meeting.outcome is MeetingOutcome.HELD
    return meeting.slot.ends_at <= now


def _meetings(event_id: int) -> list[Meeting]:
    """The event's meetings not cancelled, with their slot and both sides' organizations."""
    return list(
        db.session.scalars(
            db.select(Meeting)
            .where(Meeting.event_id == event_id, Meeting.status == MeetingStatus.PLANNED)
            .options(
                joinedload(Meeting.slot),
                selectinload(Meeting.people)
                .joinedload(MeetingPerson.participant)
                .joinedload(Participant.organization),
            )
        )
    )


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


def pair_counts(event: Event, *, now: datetime | None = None) -> list[PairCount]:
    """Meetings requested, accepted, placed and held, by the two organizations' countries."""
    now = now or utcnow()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    requests = db.session.scalars(
        db.select(MeetingRequest).where(MeetingRequest.event_id == event.id)
    ).all()
    for request in requests:
        key = _pair(request.requester.organization.country, request.recipient.organization.country)
        counts[key]["requested"] += 1
        counts[key]["accepted"] += int(request.status is RequestStatus.ACCEPTED)
    for meeting in _meetings(event.id):
        key = _pair(*(p.participant.organization.country for p in meeting.people))
        counts[key]["placed"] += int(meeting.slot_id is not None)
        counts[key]["held"] += int(counts_as_held(meeting, now))
    return [
        PairCount(key, c["requested"], c["accepted"], c["placed"], c["held"])
        for key, c in sorted(counts.items())
    ]


def partnering_ran(event_id: int) -> bool:
    """Partnering is on for the event, or meetings were placed while it was."""
    enabled = db.session.scalar(
        db.select(PartneringSettings.enabled).where(PartneringSettings.event_id == event_id)
    )
    if enabled:
        return True
    placed = db.select(Meeting.id).where(Meeting.event_id == event_id, Meeting.slot_id.is_not(None))
    return db.session.scalar(placed.limit(1)) is not None


def meetings_by_country_pair(
    event_id: int, *, now: datetime | None = None
) -> list[tuple[str | None, str | None, int]] | None:
    """(country, country, meetings held) per pair of ISO codes, the pair in code order, most
    meetings first; None where partnering did not run. A delegation without a country is None."""
    if not partnering_ran(event_id):
        return None
    now = now or utcnow()
    pairs: Counter[tuple[str | None, str | None]] = Counter()
    for meeting in _meetings(event_id):
        countries = [p.participant.organization.country for p in meeting.people]
        if len(countries) == 2 and counts_as_held(meeting, now):  # both people of the meeting
            first, second = sorted(countries, key=lambda code: code or "")
            pairs[(first, second)] += 1
    return [
        (a, b, count)
        for (a, b), count in sorted(
            pairs.items(), key=lambda p: (-p[1], p[0][0] or "", p[0][1] or "")
        )
    ]
