"""Agenda conflicts, shown before saving: a speaker in two places at once, two sessions in
one room, a session outside the event's days. Cancelled sessions never conflict."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select
from sqlalchemy.orm import aliased

from eventapp.models import (
    AgendaSession,
    Event,
    SessionSpeaker,
    SessionStatus,
    Speaker,
    db,
)


class ConflictKind(StrEnum):
    SPEAKER = "speaker"
    ROOM = "room"
    OUTSIDE_EVENT = "outside_event"


@dataclass(frozen=True, slots=True)
class Conflict:
    """One problem with a planned slot; `other` is the clashing session, if any."""

    kind: ConflictKind
    other: AgendaSession | None = None
    speaker: Speaker | None = None


@dataclass(frozen=True, slots=True)
class Slot:
    """Where and when a session would take place, and who speaks in it."""

    starts_at: datetime
    ends_at: datetime
    room_id: int | None
    speaker_ids: Collection[int] = ()
    session_id: int | None = None  # the session being edited, which never clashes with itself


def slot_of(session: AgendaSession) -> Slot:
    """The slot a saved session occupies."""
    return Slot(
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        room_id=session.room_id,
        speaker_ids=[link.speaker_id for link in session.speaker_links],
        session_id=session.id,
    )


def _live_and_overlapping(sessions: Any, starts_at: Any, ends_at: Any) -> list[ColumnElement]:
    """Criteria for live sessions whose time overlaps [starts_at, ends_at) (half-open
    intervals: back-to-back is fine); the bounds may be values or another session's columns."""
    return [
        sessions.starts_at < ends_at,
        sessions.ends_at > starts_at,
        sessions.status != SessionStatus.CANCELLED,
    ]


def _overlapping(slot: Slot) -> Select:
    """Live sessions whose time overlaps the slot, other than the slot's own session."""
    return (
        db.select(AgendaSession)
        .where(
            *_live_and_overlapping(AgendaSession, slot.starts_at, slot.ends_at),
            AgendaSession.id != (slot.session_id or 0),
        )
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    )


def find_conflicts(event: Event, slot: Slot) -> list[Conflict]:
    """Every conflict the slot would cause, room clashes first.

    Speakers are checked across all events (a person cannot be in two places at once);
    rooms belong to one event, so the room check is naturally within it.
    """
    conflicts: list[Conflict] = []
    if slot.ends_at <= slot.starts_at:
        return conflicts  # the form reports the time order; no overlap is meaningful
    if slot.room_id is not None:
        statement = _overlapping(slot).where(AgendaSession.room_id == slot.room_id)
        conflicts += [Conflict(ConflictKind.ROOM, other=s) for s in db.session.scalars(statement)]
    if slot.speaker_ids:
        statement = (
            _overlapping(slot)
            .join(SessionSpeaker, SessionSpeaker.session_id == AgendaSession.id)
            .where(SessionSpeaker.speaker_id.in_(list(slot.speaker_ids)))
            .add_columns(SessionSpeaker.speaker_id)
        )
        rows = db.session.execute(statement).all()
        speakers = _speakers({speaker_id for _, speaker_id in rows})
        conflicts += [
            Conflict(ConflictKind.SPEAKER, other=other, speaker=speakers[speaker_id])
            for other, speaker_id in rows
        ]
    if is_outside_event(event, slot.starts_at, slot.ends_at):
        conflicts.append(Conflict(ConflictKind.OUTSIDE_EVENT))
    return conflicts


def _speakers(ids: Iterable[int]) -> dict[int, Speaker]:
    ids = list(ids)
    if not ids:
        return {}
    found = db.session.scalars(db.select(Speaker).where(Speaker.id.in_(ids))).all()
    return {speaker.id: speaker for speaker in found}


def is_outside_event(event: Event, starts_at: datetime, ends_at: datetime) -> bool:
    """True when the slot starts or ends on a day (in the event's zone) outside the event's."""
    zone = event.zone
    first, last = event.starts_at.astimezone(zone).date(), event.ends_at.astimezone(zone).date()
    start_day, end_day = starts_at.astimezone(zone).date(), ends_at.astimezone(zone).date()
    return start_day < first or end_day > last


def agenda_conflicts(event: Event) -> dict[int, list[Conflict]]:
    """Conflicts of every live session of the event, by session id (for the day view), in
    three queries whatever the number of sessions; the same conflicts `find_conflicts` finds
    for each session's slot, in the same order."""
    mine, other = aliased(AgendaSession), aliased(AgendaSession)
    clashing = [
        mine.event_id == event.id,
        mine.status != SessionStatus.CANCELLED,
        mine.id != other.id,
        *_live_and_overlapping(other, mine.starts_at, mine.ends_at),
    ]
    order = (other.starts_at, other.id)
    found: dict[int, list[Conflict]] = {}
    rooms = (
        db.select(mine.id, other)
        .join(other, other.room_id == mine.room_id)
        .where(*clashing)
        .order_by(*order)
    )
    for session_id, clash in db.session.execute(rooms):
        found.setdefault(session_id, []).append(Conflict(ConflictKind.ROOM, other=clash))
    mine_link, other_link = aliased(SessionSpeaker), aliased(SessionSpeaker)
    speakers = (
        db.select(mine.id, other, Speaker)
        .join(mine_link, mine_link.session_id == mine.id)
        .join(other_link, other_link.speaker_id == mine_link.speaker_id)
        .join(other, other.id == other_link.session_id)
        .join(Speaker, Speaker.id == mine_link.speaker_id)
        .where(*clashing)
        .order_by(*order)
    )
    for session_id, clash, speaker in db.session.execute(speakers):
        found.setdefault(session_id, []).append(
            Conflict(ConflictKind.SPEAKER, other=clash, speaker=speaker)
        )
    live = db.session.execute(
        db.select(AgendaSession.id, AgendaSession.starts_at, AgendaSession.ends_at).where(
            AgendaSession.event_id == event.id, AgendaSession.status != SessionStatus.CANCELLED
        )
    )
    for session_id, starts_at, ends_at in live:
        if is_outside_event(event, starts_at, ends_at):
            found.setdefault(session_id, []).append(Conflict(ConflictKind.OUTSIDE_EVENT))
    return found
