"""Partnering meetings held, counted by the countries of the two delegations (#18: the
briefing report's "meetings by country pair").

"Held" is what the records can say today: a meeting placed in a slot, not cancelled, whose
slot is over. No-shows are not recorded at the table, so a placed meeting counts as held.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from sqlalchemy import select

from eventapp.models import (
    Meeting,
    MeetingPerson,
    MeetingStatus,
    Organization,
    Participant,
    PartneringSettings,
    PartneringSlot,
    db,
    utcnow,
)


def partnering_ran(event_id: int) -> bool:
    """Partnering is on for the event, or meetings were placed while it was."""
    enabled = db.session.scalar(
        select(PartneringSettings.enabled).where(PartneringSettings.event_id == event_id)
    )
    if enabled:
        return True
    placed = select(Meeting.id).where(Meeting.event_id == event_id, Meeting.slot_id.is_not(None))
    return db.session.scalar(placed.limit(1)) is not None


def meetings_by_country_pair(
    event_id: int, *, now: datetime | None = None
) -> list[tuple[str | None, str | None, int]] | None:
    """(country, country, meetings held) per pair of ISO codes, the pair in code order, most
    meetings first; None where partnering did not run. A delegation without a country is None."""
    if not partnering_ran(event_id):
        return None
    now = now or utcnow()
    rows = db.session.execute(
        select(Meeting.id, Organization.country)
        .join(PartneringSlot, PartneringSlot.id == Meeting.slot_id)
        .join(MeetingPerson, MeetingPerson.meeting_id == Meeting.id)
        .join(Participant, Participant.id == MeetingPerson.participant_id)
        .join(Organization, Organization.id == Participant.organization_id)
        .where(
            Meeting.event_id == event_id,
            Meeting.status == MeetingStatus.PLANNED,
            PartneringSlot.ends_at <= now,
        )
    ).all()
    countries: dict[int, list[str | None]] = defaultdict(list)
    for meeting_id, country in rows:
        countries[meeting_id].append(country)
    pairs: Counter[tuple[str | None, str | None]] = Counter()
    for found in countries.values():
        if len(found) == 2:  # both people of the meeting
            first, second = sorted(found, key=lambda code: code or "")
            pairs[(first, second)] += 1
    return [
        (a, b, count)
        for (a, b), count in sorted(
            pairs.items(), key=lambda p: (-p[1], p[0][0] or "", p[0][1] or "")
        )
    ]
