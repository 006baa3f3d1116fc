"""The agenda editor's changes to sessions: create, edit, cancel, delete, speakers.

Changing an existing session's time, room or status goes through
`services.scheduling.change_session`, which bumps the revision and queues calendar
updates to the attendees; this module validates first and never duplicates that rule.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from eventapp.errors import DomainError, InvalidInput, NotFound
from eventapp.models import (
    Account,
    AgendaSession,
    Event,
    Room,
    SessionKind,
    SessionSpeaker,
    SessionStatus,
    Speaker,
    SpeakerRole,
    Track,
    db,
)
from eventapp.services.accounts import record
from eventapp.services.agenda import scheduling


@dataclass(frozen=True, slots=True)
class SessionData:
    """What the editor sets on a session. Datetimes are aware."""

    title: str
    starts_at: datetime
    ends_at: datetime
    title_ko: str | None = None
    subtitle: str | None = None
    subtitle_ko: str | None = None
    description: str | None = None
    description_ko: str | None = None
    kind: SessionKind = SessionKind.TALK
    language: str = "en"
    track_id: int | None = None
    room_id: int | None = None
    capacity: int | None = None
    is_published: bool = True


def _check(event: Event, data: SessionData) -> None:
    if not data.title.strip():
        raise InvalidInput("a title is required", field="title")
    if data.ends_at <= data.starts_at:
        raise InvalidInput("the session must end after it starts", field="ends_at")
    if data.capacity is not None and data.capacity < 0:
        raise InvalidInput("capacity cannot be negative", field="capacity")
    if data.room_id is not None:
        room = db.session.get(Room, data.room_id)
        if room is None or room.event_id != event.id:
            raise InvalidInput("choose a room of this event", field="room_id")
    if data.track_id is not None:
        track = db.session.get(Track, data.track_id)
        if track is None or track.event_id != event.id:
            raise InvalidInput("choose a track of this event", field="track_id")


def create_session(event: Event, data: SessionData, *, by: Account | None) -> AgendaSession:
    """Add a session to the agenda. Raises InvalidInput."""
    _check(event, data)
    session = AgendaSession(event=event, **asdict(data))
    db.session.add(session)
    db.session.flush()
    record(by, "session.create", session, {"title": data.title})
    db.session.commit()
    return session


def update_session(
    session: AgendaSession, data: SessionData, *, by: Account | None, now: datetime | None = None
) -> AgendaSession:
    """Apply the editor's form to a session through `change_session`. Raises InvalidInput."""
    _check(session.event, data)
    values: dict[str, Any] = asdict(data)
    # change_session takes the room and track themselves, not their ids.
    room_id, track_id = values.pop("room_id"), values.pop("track_id")
    values["room"] = db.session.get(Room, room_id) if room_id is not None else None
    values["track"] = db.session.get(Track, track_id) if track_id is not None else None
    changes = {name: value for name, value in values.items() if getattr(session, name) != value}
    if changes:
        scheduling.change_session(session, by=by, now=now, **changes)
    return session


def set_status(
    session: AgendaSession,
    status: SessionStatus,
    *,
    by: Account | None,
    now: datetime | None = None,
) -> AgendaSession:
    """Cancel or restore a session; attendees get a calendar CANCEL or a new REQUEST."""
    if session.status is not status:
        scheduling.change_session(session, by=by, now=now, status=status)
    return session


def delete_session(session: AgendaSession, *, by: Account | None) -> None:
    """Delete a session. Raises DomainError for a published, confirmed session.

    Attendees may hold it in their calendars: cancel it first, so they get a CANCEL.
    """
    if session.is_published and not session.is_cancelled:
        raise DomainError("cancel the session first, so attendees' calendars are updated")
    record(by, "session.delete", session, {"title": session.title, "uid": session.uid})
    db.session.delete(session)
    db.session.commit()


def add_speaker(
    session: AgendaSession, speaker: Speaker, role: SpeakerRole, *, by: Account | None
) -> SessionSpeaker:
    """Link a speaker to a session in a role (or change the role of an existing link)."""
    link = db.session.get(SessionSpeaker, (session.id, speaker.id))
    if link is None:
        position = len(session.speaker_links)
        link = SessionSpeaker(session=session, speaker=speaker, role=role, position=position)
        db.session.add(link)
    else:
        link.role = role
    record(by, "session.speaker_add", session, {"speaker": speaker.key, "role": role.value})
    db.session.commit()
    return link


def remove_speaker(session: AgendaSession, speaker_id: int, *, by: Account | None) -> None:
    """Unlink a speaker from a session. Raises NotFound when they were not linked."""
    link = db.session.get(SessionSpeaker, (session.id, speaker_id))
    if link is None:
        raise NotFound("that speaker is not on this session")
    record(by, "session.speaker_remove", session, {"speaker_id": speaker_id})
    db.session.delete(link)
    db.session.commit()


def sessions_on_day(event: Event, day: Any) -> list[AgendaSession]:
    """The event's sessions (published or not) that start on `day` in the event's zone."""
    from eventapp.services.agenda import agenda_statement

    sessions = db.session.scalars(agenda_statement(event.id, include_unpublished=True)).unique()
    return [s for s in sessions if s.starts_at.astimezone(event.zone).date() == day]
