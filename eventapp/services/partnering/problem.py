"""The database's partnering rows as the scheduler's `Problem` (#20), and back to names.

One scheduler request is one planned meeting (its id is the meeting's id): accepted
requests and meetings organizers created both wait to be placed. Blocks are the slots a
person marked unavailable and those overlapping an agenda session they hold a seat in,
each with the words the reasons use ("in Panel 3 at 15:30"). Pins are pinned placed
meetings; `previous` is the published plan, which is what the meeting rows hold.
"""

from __future__ import annotations

from collections import defaultdict

from eventapp.models import (
    AgendaSession,
    Event,
    Meeting,
    MeetingStatus,
    Participant,
    PartneringSession,
    PartneringSlot,
    PartneringTable,
    RegistrationStatus,
    SessionSignup,
    Unavailability,
    db,
)
from eventapp.services.partnering.solver import (
    Block,
    Person,
    Placement,
    Problem,
    Request,
    Settings,
    Slot,
    Table,
)


def planned_meetings(event: Event) -> list[Meeting]:
    """Every planned meeting of the event whose two people still take part."""
    found = db.session.scalars(
        db.select(Meeting)
        .where(Meeting.event_id == event.id, Meeting.status == MeetingStatus.PLANNED)
        .order_by(Meeting.id)
    ).all()
    return [m for m in found if all(not p.participant.withdrawn for p in m.people)]


def event_slots(event: Event) -> list[PartneringSlot]:
    return list(
        db.session.scalars(
            db.select(PartneringSlot)
            .join(PartneringSession)
            .where(PartneringSession.event_id == event.id)
            .order_by(PartneringSlot.starts_at, PartneringSlot.id)
        )
    )


def _blocks(event: Event, slots: list[PartneringSlot], ids: set[int]) -> dict[int, list[Block]]:
    zone = event.zone
    shown = {s.id: f"{s.starts_at.astimezone(zone):%H:%M}" for s in slots}
    blocks: dict[int, list[Block]] = defaultdict(list)
    rows = db.session.execute(
        db.select(Unavailability.participant_id, Unavailability.slot_id).where(
            Unavailability.participant_id.in_(ids)
        )
    ).all()
    for participant_id, slot_id in rows:
        if slot_id in shown:
            blocks[participant_id].append(Block(slot_id, f"unavailable at {shown[slot_id]}"))
    seats = db.session.execute(
        db.select(
            Participant.id, AgendaSession.title, AgendaSession.starts_at, AgendaSession.ends_at
        )
        .join(SessionSignup, SessionSignup.registration_id == Participant.registration_id)
        .join(AgendaSession, AgendaSession.id == SessionSignup.session_id)
        .where(Participant.id.in_(ids), SessionSignup.status == RegistrationStatus.CONFIRMED)
    ).all()
    for participant_id, title, starts_at, ends_at in seats:
        taken = {b.slot_id for b in blocks[participant_id]}
        for slot in slots:
            if slot.id not in taken and slot.starts_at < ends_at and starts_at < slot.ends_at:
                at = f"{starts_at.astimezone(zone):%H:%M}"
                blocks[participant_id].append(Block(slot.id, f"in {title} at {at}"))
    return blocks


def build_problem(event: Event, *, time_limit: float, cross_country: bool) -> Problem:
    """The event's planned meetings, people, slots and tables as one scheduler input."""
    meetings = planned_meetings(event)
    slots = event_slots(event)
    people: dict[int, Participant] = {}
    for meeting in meetings:
        for person in meeting.people:
            people[person.participant_id] = person.participant
    blocks = _blocks(event, slots, set(people))
    tables = db.session.scalars(
        db.select(PartneringTable)
        .join(PartneringSession)
        .where(PartneringSession.event_id == event.id)
        .order_by(PartneringTable.session_id, PartneringTable.position, PartneringTable.id)
    ).all()
    placed = [m for m in meetings if m.slot_id is not None and m.table_id is not None]
    return Problem(
        people=tuple(
            Person(
                id=p.id,
                name=p.registration.name,
                country=p.organization.country or "",
                organization_id=p.organization_id,
                blocks=tuple(blocks.get(p.id, ())),
            )
            for p in people.values()
        ),
        slots=tuple(
            Slot(
                id=s.id,
                session_id=s.session_id,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                order=s.index,
                label=f"{s.starts_at.astimezone(event.zone):%H:%M}",
            )
            for s in slots
        ),
        tables=tuple(Table(id=t.id, session_id=t.session_id, name=t.name) for t in tables),
        requests=tuple(
            Request(
                id=m.id, first_id=m.people[0].participant_id, second_id=m.people[1].participant_id
            )
            for m in meetings
            if len(m.people) == 2
        ),
        pins=tuple(_placement(m) for m in placed if m.pinned),
        previous=tuple(_placement(m) for m in placed),
        settings=Settings(cross_country=cross_country, time_limit=time_limit),
    )


def _placement(meeting: Meeting) -> Placement:
    """A placed meeting's slot and table (callers pass placed meetings only)."""
    return Placement(meeting.id, meeting.slot_id or 0, meeting.table_id or 0)


def state_key(event: Event) -> str:
    """What a run's plan depends on: every placed or planned meeting's status, slot, table
    and pin. Publishing refuses a run taken before any of it changed."""
    rows = db.session.execute(
        db.select(Meeting.id, Meeting.status, Meeting.slot_id, Meeting.table_id, Meeting.pinned)
        .where(Meeting.event_id == event.id)
        .order_by(Meeting.id)
    ).all()
    return ";".join(
        f"{i}:{s.value if hasattr(s, 'value') else s}:{slot}:{table}:{int(bool(p))}"
        for i, s, slot, table, p in rows
    )
