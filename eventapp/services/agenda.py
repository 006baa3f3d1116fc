"""Reading the agenda: the queries the pages, feeds and exports share."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func
from sqlalchemy.orm import joinedload, selectinload

from eventapp.models import AgendaSession, Event, SessionSpeaker, Speaker, db


def agenda_statement(event_id: int, *, include_unpublished: bool = False) -> Select:
    """Sessions of one event in time order, with room, track and speakers eager-loaded."""
    statement = (
        db.select(AgendaSession)
        .where(AgendaSession.event_id == event_id)
        .order_by(AgendaSession.starts_at, AgendaSession.id)
        .options(
            joinedload(AgendaSession.room),
            joinedload(AgendaSession.track),
            selectinload(AgendaSession.speaker_links)
            .joinedload(SessionSpeaker.speaker)
            .joinedload(Speaker.organization),
        )
    )
    if not include_unpublished:
        statement = statement.where(AgendaSession.is_published)
    return statement


def published_sessions(event: Event) -> Sequence[AgendaSession]:
    """The event's published sessions (cancelled ones included, marked by their status)."""
    return db.session.scalars(agenda_statement(event.id)).unique().all()


@dataclass(frozen=True, slots=True)
class AgendaVersion:
    """Identifies one state of an event's public agenda (for ETag / Last-Modified)."""

    etag: str
    last_modified: datetime


def agenda_version(event: Event) -> AgendaVersion:
    """A cheap fingerprint of the event and its published sessions: one aggregate query."""
    row = db.session.execute(
        db.select(
            func.count(AgendaSession.id),
            func.max(AgendaSession.updated_at),
            func.coalesce(func.sum(AgendaSession.revision), 0),
            func.coalesce(func.sum(AgendaSession.id), 0),
        ).where(AgendaSession.event_id == event.id, AgendaSession.is_published)
    ).one()
    count, latest, revisions, ids = row
    last_modified = max(filter(None, [event.updated_at, latest]))
    fingerprint = f"{event.id}:{event.updated_at.isoformat()}:{count}:{latest}:{revisions}:{ids}"
    digest = hashlib.sha256(fingerprint.encode()).hexdigest()[:32]
    return AgendaVersion(etag=digest, last_modified=last_modified)
