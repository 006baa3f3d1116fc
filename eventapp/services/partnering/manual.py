"""Organizers placing, moving, pinning and unscheduling meetings by hand (#20).

A meeting an organizer places or moves is pinned (the scheduler leaves it there on the
next run) unless they say otherwise. `conflicts` says, in words naming the people, what
stands in the way of a cell before anything is saved: the table taken, either person in
another meeting at that time, blocked by an agenda seat or marked unavailable. `place_at`
refuses (`double_booked`) any of them, and the database's UNIQUE constraints back it up.
Every change is sent to both people at once (the one SEQUENCE rule) and raises the plan
revision, so a scheduler run taken before it cannot be published over it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from eventapp.errors import NotFound, PartneringRefused
from eventapp.models import (
    Account,
    Event,
    Meeting,
    MeetingPerson,
    MeetingStatus,
    PartneringSettings,
    PartneringSlot,
    PartneringTable,
    db,
    utcnow,
)
from eventapp.services.accounts import record
from eventapp.services.partnering import meetings
from eventapp.services.partnering.problem import build_problem


def meeting_of(event: Event, meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.event_id != event.id:
        raise NotFound("No such meeting.")
    return meeting


def cell_of(event: Event, slot_id: int, table_id: int) -> tuple[PartneringSlot, PartneringTable]:
    """The slot and table, of one session of the event (anything else is NotFound)."""
    slot, table = db.session.get(PartneringSlot, slot_id), db.session.get(PartneringTable, table_id)
    if (
        slot is None
        or table is None
        or slot.session_id != table.session_id
        or slot.session.event_id != event.id
    ):
        raise NotFound("No such slot or table.")
    return slot, table


def _names(meeting: Meeting, skip: int | None = None) -> str:
    return " and ".join(
        p.participant.registration.name for p in meeting.people if p.participant_id != skip
    )


def conflicts(meeting: Meeting, slot: PartneringSlot, table: PartneringTable) -> list[str]:
    """What keeps `meeting` out of (slot, table), one sentence each; empty: it fits."""
    found: list[str] = []
    event = db.session.get_one(Event, meeting.event_id)
    at = f"{slot.starts_at.astimezone(event.zone):%H:%M}"
    taken = db.session.scalar(
        db.select(Meeting).where(
            Meeting.slot_id == slot.id, Meeting.table_id == table.id, Meeting.id != meeting.id
        )
    )
    if taken is not None:
        found.append(f"Table {table.name} is taken at {at} by {_names(taken)}.")
    problem = build_problem(event, time_limit=1, cross_country=False)
    blocks = {p.id: {b.slot_id: b.reason for b in p.blocks} for p in problem.people}
    for person in meeting.people:
        name = person.participant.registration.name
        other = db.session.scalar(
            db.select(Meeting)
            .join(MeetingPerson, MeetingPerson.meeting_id == Meeting.id)
            .where(
                MeetingPerson.participant_id == person.participant_id,
                MeetingPerson.slot_id == slot.id,
                Meeting.id != meeting.id,
            )
        )
        if other is not None:
            found.append(f"{name} already meets {_names(other, person.participant_id)} at {at}.")
        reason = blocks.get(person.participant_id, {}).get(slot.id)
        if reason:
            found.append(f"{name} is {reason}.")
    return found


def _bump_plan(event_id: int) -> None:
    settings = db.session.get(PartneringSettings, event_id)
    if settings is not None:
        settings.plan_revision += 1


def place_at(
    meeting: Meeting,
    slot: PartneringSlot,
    table: PartneringTable,
    *,
    by: Account | None,
    pinned: bool = True,
    now: datetime | None = None,
) -> Meeting:
    """Put the meeting at (slot, table), pinned by default; both people are sent it.
    Raises PartneringRefused `not_open` (cancelled) or `double_booked` (see `conflicts`)."""
    now = now or utcnow()
    if meeting.status is not MeetingStatus.PLANNED:
        raise PartneringRefused("not_open", "This meeting is cancelled.")
    problems = conflicts(meeting, slot, table)
    if problems:
        raise PartneringRefused("double_booked", " ".join(problems), problems=problems)
    before = (meeting.slot_id, meeting.table_id)
    if before == (slot.id, table.id):
        return set_pinned(meeting, pinned, by=by)
    was_placed = meeting.slot_id is not None
    meeting_id = meeting.id
    try:
        with db.session.begin_nested():
            meeting.slot_id, meeting.table_id, meeting.pinned = slot.id, table.id, pinned
            for person in meeting.people:
                person.slot_id = slot.id
            db.session.flush()
    except IntegrityError:  # a placement raced this one for the cell or a person
        db.session.rollback()
        raise PartneringRefused(
            "double_booked", "Someone took this time or table just now; look again."
        ) from None
    meeting = db.session.get(Meeting, meeting_id) or meeting
    db.session.refresh(meeting, ["slot", "table"])
    meetings.announce(meeting, method="REQUEST", now=now, was_placed=was_placed)
    _bump_plan(meeting.event_id)
    record(
        by,
        "partnering.move" if was_placed else "partnering.place",
        meeting,
        {"slot": slot.id, "table": table.id, "pinned": pinned, "from": list(before)},
    )
    db.session.commit()
    return meeting


def set_pinned(meeting: Meeting, pinned: bool, *, by: Account | None) -> Meeting:
    """Pin a placed meeting where it is (or release it to the scheduler); nothing is sent."""
    if pinned and meeting.slot_id is None:
        raise PartneringRefused("not_placed", "Place the meeting before pinning it.")
    meeting.pinned = pinned
    _bump_plan(meeting.event_id)
    record(by, "partnering.pin" if pinned else "partnering.unpin", meeting, None)
    db.session.commit()
    return meeting


def unschedule(meeting: Meeting, *, by: Account | None, now: datetime | None = None) -> Meeting:
    """Take the meeting out of its slot (both get a CANCEL); it waits for the next run."""
    if meeting.slot_id is None:
        raise PartneringRefused("not_placed", "This meeting is not placed.")
    _bump_plan(meeting.event_id)
    return meetings.unplace(meeting, by=by, now=now)
