"""Reading the agenda: the queries the pages, feeds and exports share.

Homes in this package: this module (reading the agenda), `sessions` (the agenda editor),
`scheduling` (a session's time, room or status changes), `conflicts` (shown before saving),
`schedule` (frab/c3voc exports), `ics_import` and `ics_import_report` (import from a
calendar file).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import CompoundSelect, Select, bindparam, func
from sqlalchemy.orm import joinedload, selectinload

from eventapp.models import AgendaSession, Event, EventHost, SessionSpeaker, Speaker, db, utcnow
from eventapp.names import sort_key_in


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


def mark_agendas_changed(event_ids: Select | CompoundSelect | list[int]) -> None:
    """Move these events' `updated_at`, so their `agenda_version` (the feeds' ETag and
    Last-Modified) changes; no commit. For edits that show in an agenda without being the
    event's or a session's own: a room, a track, a speaker or an organization changed."""
    db.session.execute(
        db.update(Event)
        .where(Event.id.in_(event_ids))
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def events_of_speaker(speaker_id: int) -> Select:
    """The ids of the events where the speaker speaks (a statement, for `.in_`)."""
    return (
        db.select(AgendaSession.event_id)
        .join(SessionSpeaker, SessionSpeaker.session_id == AgendaSession.id)
        .where(SessionSpeaker.speaker_id == speaker_id)
    )


def events_of_organization(organization_id: int) -> CompoundSelect:
    """The ids of the events the organization hosts or where one of its people speaks."""
    speakers = db.select(Speaker.id).where(Speaker.organization_id == organization_id)
    return (
        db.select(AgendaSession.event_id)
        .join(SessionSpeaker, SessionSpeaker.session_id == AgendaSession.id)
        .where(SessionSpeaker.speaker_id.in_(speakers))
        .union(db.select(EventHost.event_id).where(EventHost.organization_id == organization_id))
    )


# --- Public pages: events, days of the agenda, speakers -------------------------------


def published_events() -> Sequence[Event]:
    """Published events in date order, with venue and host organizations eager-loaded."""
    return (
        db.session.scalars(
            db.select(Event)
            .where(Event.is_published)
            .order_by(Event.starts_at, Event.position, Event.id)
            .options(
                joinedload(Event.venue),
                selectinload(Event.hosts).joinedload(EventHost.organization),
            )
        )
        .unique()
        .all()
    )


#: Built once: every public page and registration runs it, and building it cost more than
#: running it.
_PUBLISHED_EVENT = (
    db.select(Event)
    .options(joinedload(Event.venue))
    .where(Event.slug == bindparam("slug"), Event.is_published)
)


def published_event(
    slug: str, *, with_hosts: bool = False, with_partnering: bool = False
) -> Event | None:
    """The published event with this slug (venue, and hosts or partnering settings when
    asked, eager-loaded; the settings in the same statement)."""
    statement = _PUBLISHED_EVENT
    if with_partnering:
        statement = statement.options(joinedload(Event.partnering))
    if with_hosts:
        statement = statement.options(selectinload(Event.hosts).joinedload(EventHost.organization))
    return db.session.scalars(statement, {"slug": slug}).unique().one_or_none()


@dataclass(frozen=True, slots=True)
class AgendaDay:
    """The sessions that start on one calendar day in the event's zone."""

    day: date
    sessions: list[AgendaSession]


def group_by_day(sessions: Iterable[AgendaSession], zone: str | ZoneInfo) -> list[AgendaDay]:
    """Group sessions by the local date they start on (a session crossing midnight stays on
    its start day), keeping their order."""
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    days: dict[date, list[AgendaSession]] = {}
    for session in sessions:
        days.setdefault(session.starts_at.astimezone(tz).date(), []).append(session)
    return [AgendaDay(day=day, sessions=items) for day, items in sorted(days.items())]


def published_session(event: Event, session_id: int) -> AgendaSession | None:
    """One published session of `event` with room, track and speakers, or None."""
    return (
        db.session.scalars(agenda_statement(event.id).where(AgendaSession.id == session_id))
        .unique()
        .one_or_none()
    )


def _speakers_with_published_session(event: Event) -> Select:
    published_here = SessionSpeaker.session.has(
        (AgendaSession.event_id == event.id) & AgendaSession.is_published
    )
    return db.select(Speaker).where(Speaker.session_links.any(published_here))


def event_speakers(event: Event, language: str = "en") -> list[Speaker]:
    """Speakers with at least one published session in `event`, sorted by family name as
    the list is read in `language` (`names.sort_key_in`)."""
    speakers = db.session.scalars(
        _speakers_with_published_session(event).options(joinedload(Speaker.organization))
    ).all()

    def key(speaker: Speaker) -> tuple[Any, ...]:
        given, family = speaker.given_name, speaker.family_name
        return (*sort_key_in(given, family, speaker.name_alt, language), speaker.id)

    return sorted(speakers, key=key)


def event_speaker(event: Event, speaker_id: int) -> Speaker | None:
    """The speaker if they have a published session in `event`, else None."""
    return db.session.scalars(
        _speakers_with_published_session(event)
        .where(Speaker.id == speaker_id)
        .options(joinedload(Speaker.organization))
    ).one_or_none()


def speaker_sessions(event: Event, speaker: Speaker) -> Sequence[AgendaSession]:
    """The published sessions of `event` in which `speaker` takes part, in time order."""
    statement = agenda_statement(event.id).where(
        AgendaSession.speaker_links.any(SessionSpeaker.speaker_id == speaker.id)
    )
    return db.session.scalars(statement).unique().all()
