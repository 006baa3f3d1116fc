"""Seed documents for the seeding tests: a small valid one, ways to break it, DB snapshots."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from eventapp.models import (
    AgendaSession,
    Event,
    EventHost,
    Organization,
    Room,
    SessionSpeaker,
    Speaker,
    Track,
    Venue,
    db,
)
from eventapp.services import seeding

MISSING = object()


def local(text: str) -> datetime:
    """A naive local date-time, as `tomllib` returns a TOML local date-time."""
    return datetime.fromisoformat(text)


def minimal() -> dict[str, Any]:
    """A small valid document, as `tomllib` would return it (local times are naive)."""
    return copy.deepcopy(
        {
            "venues": [{"key": "hall", "name": "Hall", "country": "KR"}],
            "organizations": [{"key": "msit", "name": "MSIT", "kind": "government"}],
            "speakers": [
                {"key": "minji-kim", "given_name": "Minji", "family_name": "Kim",
                 "organization": "msit"},
            ],
            "events": [{
                "slug": "demo", "title": "Demo", "timezone": "Asia/Seoul",
                "starts_at": local("2023-11-08T09:00"), "ends_at": local("2023-11-08T18:00"),
                "venue": "hall", "hosts": [{"organization": "msit"}],
                "rooms": [{"key": "main", "name": "Main"}],
                "tracks": [{"key": "policy", "name": "Policy", "color": "#0b4f8a"}],
                "sessions": [{
                    "key": "opening", "title": "Opening", "room": "main", "track": "policy",
                    "starts_at": local("2023-11-08T09:30"),
                    "ends_at": local("2023-11-08T10:00"),
                    "speakers": [{"speaker": "minji-kim", "role": "speaker"}],
                }],
            }],
        }
    )  # fmt: skip


def by_slug(slug: str) -> Event:
    return db.session.scalars(select(Event).where(Event.slug == slug)).one()


def session_by_key(slug: str, key: str) -> AgendaSession:
    return db.session.scalars(
        select(AgendaSession).where(AgendaSession.uid == seeding.session_uid(slug, key))
    ).one()


def snapshot() -> dict[str, Any]:
    """Row counts of every seeded table, plus a few values a bad load would have changed."""
    models = (Venue, Organization, Speaker, Event, EventHost, Room, Track, AgendaSession,
              SessionSpeaker)  # fmt: skip
    count = func.count()
    counts = {m.__tablename__: db.session.scalar(select(count).select_from(m)) for m in models}
    titles = db.session.scalars(select(AgendaSession.title).order_by(AgendaSession.id)).all()
    return counts | {"summaries": db.session.scalars(select(Event.summary)).all(), "titles": titles}


def edit(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    """Set (or with MISSING, delete) the value at `path`; index len(list) appends."""
    *parents, last = path
    target: Any = document
    for step in parents:
        target = target[step]
    if value is MISSING:
        del target[last]
    elif isinstance(target, list) and last == len(target):
        target.append(value)
    else:
        target[last] = value
