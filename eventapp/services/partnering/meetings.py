"""Partnering sessions, their slots and tables, free slots, and placing meetings.

A meeting is placed by giving it a slot and a free table of the slot's session together;
each of its people rows gets the same slot. The database then refuses a second meeting at
the table in that slot (UNIQUE slot, table) and a person in two meetings of one slot
(UNIQUE participant, slot): two placements racing for the last table, or for one person,
cannot both commit. `place` tries the free tables in order inside savepoints and reports
the loser with a stable code.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from eventapp.errors import NotFound, PartneringRefused
from eventapp.models import (
    Account,
    AgendaSession,
    Event,
    Meeting,
    MeetingPerson,
    MeetingStatus,
    Participant,
    PartneringSession,
    PartneringSlot,
    PartneringTable,
    RegistrationStatus,
    SessionSignup,
    Unavailability,
    db,
    utcnow,
)
from eventapp.services.accounts import record
from eventapp.services.partnering import invites


def slot_times(session: PartneringSession) -> list[tuple[datetime, datetime]]:
    """The (start, end) of every whole meeting that fits in the session's window."""
    length = timedelta(minutes=session.meeting_minutes)
    step = length + timedelta(minutes=session.break_minutes)
    times, start = [], session.starts_at
    while start + length <= session.ends_at:
        times.append((start, start + length))
        start += step
    return times


def add_session(
    event: Event,
    *,
    name: str,
    name_ko: str | None = None,
    starts_at: datetime,
    ends_at: datetime,
    meeting_minutes: int = 20,
    break_minutes: int = 5,
    room_id: int | None = None,
    tables: int = 10,
    by: Account | None = None,
) -> PartneringSession:
    """A partnering session with its slots and `tables` tables named "1", "2", …"""
    if not name.strip() or len(name) > 120:
        raise PartneringRefused("invalid_name", "The session needs a name (120 characters).")
    if ends_at <= starts_at or meeting_minutes <= 0 or break_minutes < 0:
        raise PartneringRefused("invalid_window", "The session must end after it starts.")
    if not 1 <= tables <= 500:
        raise PartneringRefused("invalid_tables", "A session has from 1 to 500 tables.")
    session = PartneringSession(
        event_id=event.id,
        name=name.strip(),
        name_ko=(name_ko or "").strip() or None,
        starts_at=starts_at,
        ends_at=ends_at,
        meeting_minutes=meeting_minutes,
        break_minutes=break_minutes,
        room_id=room_id,
    )
    session.slots = [
        PartneringSlot(index=i, starts_at=start, ends_at=end)
        for i, (start, end) in enumerate(slot_times(session))
    ]
    if not session.slots:
        raise PartneringRefused("invalid_window", "Not one meeting fits in this window.")
    session.tables = [PartneringTable(name=str(i + 1), position=i) for i in range(tables)]
    db.session.add(session)
    db.session.flush()
    record(by, "partnering.session", session, {"slots": len(session.slots), "tables": tables})
    db.session.commit()
    return session


def sessions_of(event: Event) -> list[PartneringSession]:
    return list(
        db.session.scalars(
            db.select(PartneringSession)
            .where(PartneringSession.event_id == event.id)
            .order_by(PartneringSession.starts_at)
        )
    )


def meetings_of(participant: Participant) -> list[Meeting]:
    return list(
        db.session.scalars(
            db.select(Meeting)
            .join(MeetingPerson, MeetingPerson.meeting_id == Meeting.id)
            .where(MeetingPerson.participant_id == participant.id)
            .order_by(Meeting.id)
        )
    )


def _busy_slot_ids(participant_id: int, event_id: int) -> set[int]:
    """Slots the person cannot meet in: marked unavailable, in another meeting, or
    overlapping an agenda session they hold a seat in."""
    busy = set(
        db.session.scalars(
            db.select(Unavailability.slot_id).where(Unavailability.participant_id == participant_id)
        )
    )
    busy |= set(
        db.session.scalars(
            db.select(MeetingPerson.slot_id).where(
                MeetingPerson.participant_id == participant_id, MeetingPerson.slot_id.is_not(None)
            )
        )
    )
    seats = (
        db.select(AgendaSession.starts_at, AgendaSession.ends_at)
        .join(SessionSignup, SessionSignup.session_id == AgendaSession.id)
        .join(Participant, Participant.registration_id == SessionSignup.registration_id)
        .where(
            Participant.id == participant_id,
            SessionSignup.status == RegistrationStatus.CONFIRMED,
        )
    )
    held = db.session.execute(seats).all()
    if held:
        for slot in event_slots(event_id):
            if any(slot.starts_at < end and start < slot.ends_at for start, end in held):
                busy.add(slot.id)
    return busy


def event_slots(event_id: int) -> Sequence[PartneringSlot]:
    """Every meeting slot of the event, in time order."""
    return db.session.scalars(
        db.select(PartneringSlot)
        .join(PartneringSession)
        .where(PartneringSession.event_id == event_id)
        .order_by(PartneringSlot.starts_at, PartneringSlot.id)
    ).all()


def event_slot_ids(event_id: int) -> set[int]:
    """The ids of every meeting slot of the event."""
    return set(
        db.session.scalars(
            db.select(PartneringSlot.id)
            .join(PartneringSession)
            .where(PartneringSession.event_id == event_id)
        )
    )


def free_slots(meeting: Meeting) -> list[PartneringSlot]:
    """The slots free for both people of the meeting (its own slot counts as free)."""
    busy: set[int] = set()
    for person in meeting.people:
        busy |= _busy_slot_ids(person.participant_id, meeting.event_id)
    busy.discard(meeting.slot_id)
    return [slot for slot in event_slots(meeting.event_id) if slot.id not in busy]


def free_slots_for(participant: Participant) -> list[PartneringSlot]:
    """The event's slots this person could meet in (for preferring times on a request)."""
    busy = _busy_slot_ids(participant.id, participant.event_id)
    return [slot for slot in event_slots(participant.event_id) if slot.id not in busy]


def unavailable_slot_ids(participant: Participant) -> set[int]:
    """The slots the person marked unavailable."""
    return set(
        db.session.scalars(
            db.select(Unavailability.slot_id).where(Unavailability.participant_id == participant.id)
        )
    )


def meeting_slot_ids(participant: Participant) -> set[int]:
    """The slots the person has a placed meeting in."""
    return set(
        db.session.scalars(
            db.select(MeetingPerson.slot_id).where(
                MeetingPerson.participant_id == participant.id, MeetingPerson.slot_id.is_not(None)
            )
        )
    )


def set_unavailable(participant: Participant, slot_ids: Sequence[int]) -> None:
    """Replace the slots the person marked unavailable. Refuses ids of other events
    (`unknown_slot`) and slots the person already has a meeting in (`slot_has_meeting`:
    cancel or move the meeting first)."""
    known = {slot.id for slot in event_slots(participant.event_id)}
    if not set(slot_ids) <= known:
        raise PartneringRefused("unknown_slot", "One of these times is not a meeting slot.")
    if set(slot_ids) & meeting_slot_ids(participant):
        raise PartneringRefused(
            "slot_has_meeting", "You have a meeting at one of these times; move it first."
        )
    db.session.execute(
        db.delete(Unavailability).where(Unavailability.participant_id == participant.id)
    )
    for slot_id in sorted(set(slot_ids)):
        db.session.add(Unavailability(participant_id=participant.id, slot_id=slot_id))
    record(None, "partnering.unavailable", participant, {"slots": sorted(set(slot_ids))})
    db.session.commit()


def meeting_for(participant: Participant, meeting_id: int) -> Meeting:
    """The meeting if the participant is in it (a forged id answers NotFound)."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or participant.id not in {p.participant_id for p in meeting.people}:
        raise NotFound("No such meeting.")
    return meeting


def place(
    meeting: Meeting,
    slot_id: int,
    *,
    by: Account | None = None,
    pinned: bool | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Put a planned meeting in `slot_id` at the first free table of its session. Refuses
    (`slot_not_free`) a slot that is not free for both, and (`no_table`) a full slot.
    Moving a placed meeting bumps its SEQUENCE."""
    now = now or utcnow()
    meeting_id = meeting.id
    if meeting.status is not MeetingStatus.PLANNED:
        raise PartneringRefused("not_open", "This meeting is cancelled.")
    slot = db.session.get(PartneringSlot, slot_id)
    if slot is None or slot.session.event_id != meeting.event_id:
        raise NotFound("No such slot.")
    if slot.id not in {s.id for s in free_slots(meeting)}:
        raise PartneringRefused("slot_not_free", "This time is not free for both of you.")
    was_placed = meeting.slot_id is not None
    for table in slot.session.tables:
        taken = db.session.scalar(
            db.select(Meeting.id).where(Meeting.slot_id == slot.id, Meeting.table_id == table.id)
        )
        if taken is not None and taken != meeting_id:
            continue
        try:
            with db.session.begin_nested():
                meeting.slot_id, meeting.table_id = slot.id, table.id
                for person in meeting.people:
                    person.slot_id = slot.id
                db.session.flush()
        except IntegrityError:
            reloaded = db.session.get(Meeting, meeting_id)
            if reloaded is None:
                raise
            meeting = reloaded
            if slot.id not in {s.id for s in free_slots(meeting)}:
                db.session.rollback()
                raise PartneringRefused(
                    "slot_not_free", "This time is not free for both of you."
                ) from None
            continue
        if pinned is not None:
            meeting.pinned = pinned
        db.session.flush()
        db.session.refresh(meeting, ["slot", "table"])
        announce(meeting, method="REQUEST", now=now, was_placed=was_placed)
        record(by, "partnering.place", meeting, {"slot": slot.id, "table": table.id})
        db.session.commit()
        return meeting
    db.session.rollback()
    raise PartneringRefused("no_table", "Every table is taken at this time.")


def announce(meeting: Meeting, *, method: str, now: datetime, was_placed: bool) -> None:
    """Queue a REQUEST or CANCEL to both people under the one SEQUENCE rule (RFC 5546
    §2.1.4: a client ignores a message whose SEQUENCE is not higher than the one it holds):
    the first REQUEST of a meeting goes out at 0; every later message (a move, an unplace,
    a cancel, a placing after an unplace) one higher than the last. The meeting holds its
    slot and table (a CANCEL's are the old ones). No commit."""
    if method == "CANCEL" or was_placed or meeting.sequence > 0:
        meeting.sequence += 1
    invites.queue_meeting_invitations(meeting, method=method, now=now)


def unplace(meeting: Meeting, *, by: Account | None = None, now: datetime | None = None) -> Meeting:
    """Take the meeting out of its slot (for the scheduler or before a slot is removed);
    both people get a CANCEL for the time it had."""
    if meeting.slot_id is not None:
        announce(meeting, method="CANCEL", now=now or utcnow(), was_placed=True)
    meeting.slot_id = meeting.table_id = None
    meeting.pinned = False
    for person in meeting.people:
        person.slot_id = None
    record(by, "partnering.unplace", meeting, None)
    db.session.commit()
    return meeting


def cancel_in_transaction(meeting: Meeting, *, now: datetime) -> None:
    """Cancel and free the slot and table; both people get a CANCEL (with a higher
    SEQUENCE) when it was placed. The caller commits."""
    if meeting.slot_id is not None:
        announce(meeting, method="CANCEL", now=now, was_placed=True)
    else:
        meeting.sequence += 1
    meeting.status = MeetingStatus.CANCELLED
    meeting.slot_id = meeting.table_id = None
    for person in meeting.people:
        person.slot_id = None
    meeting.updated_at = now


def cancel(meeting: Meeting, *, by: Account | None = None, now: datetime | None = None) -> None:
    cancel_in_transaction(meeting, now=now or utcnow())
    record(by, "partnering.meeting_cancel", meeting, None)
    db.session.commit()
