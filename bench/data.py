"""The bench database and its data: the seeded symposium, or synthetic events made through
the models (the same tables the product reads).

The database is throwaway: `reset` drops and recreates every table, so its name must
contain "bench" (a guard against pointing it at real data).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import make_url, select

from eventapp import create_app
from eventapp.models import (
    AgendaSession,
    Event,
    Organization,
    Room,
    SessionKind,
    SessionSpeaker,
    Speaker,
    SpeakerRole,
    Track,
    Venue,
    db,
)

#: On a fresh machine DESIGN's local PostgreSQL (127.0.0.1:5432, user postgres, trust auth).
DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_eventapp"
SQLITE_FALLBACK = "sqlite:////tmp/eventapp-bench.db"
#: 8 November 2023, 09:00 in Seoul.
SEOUL_MORNING = datetime(2023, 11, 8, 0, 0, tzinfo=UTC)
KINDS = [SessionKind.TALK, SessionKind.PANEL, SessionKind.BRIEFING, SessionKind.WORKSHOP]


def database_url(configured: str | None) -> str:
    """BENCH_DATABASE_URL, else the local PostgreSQL (created if missing), else SQLite."""
    url = configured or DEFAULT_DATABASE_URL
    if not url.startswith("postgresql"):
        return url
    try:
        ensure_database(url)
    except Exception:  # PostgreSQL unreachable: use SQLite
        if configured:
            raise
        return SQLITE_FALLBACK
    return url


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` when it does not exist yet."""
    import psycopg

    parsed = make_url(url)
    name = parsed.database or ""
    _guard(name)
    admin = parsed.set(drivername="postgresql", database="postgres")
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True, connect_timeout=3) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def _guard(name: str) -> None:
    if "bench" not in Path(name).name:
        raise ValueError(f"refusing to use database {name!r}: its name must contain 'bench'")


def make_app(url: str) -> Flask:
    """An app bound to the bench database, for loading data in this process."""
    _guard(make_url(url).database or "")
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-only-not-a-secret",
            "RATELIMIT_ENABLED": False,
        }
    )


def reset(app: Flask) -> None:
    """Drop and recreate every table of the (throwaway) bench database."""
    with app.app_context():
        db.drop_all()
        db.create_all()


def find_event(app: Flask, slug: str) -> Event | None:
    """The event with `slug`, detached (read its columns, not its relations)."""
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        if event is not None:
            db.session.expunge(event)
        return event


def symposium_event(app: Flask) -> str:
    """Slug of the seeded symposium (`flask seed`), or of a synthetic one of the same size."""
    with app.app_context():
        if "seed" in app.cli.commands:
            result = app.test_cli_runner().invoke(args=["seed"])
            if result.exit_code == 0:
                # The seed's first event, not a synthetic one another benchmark made earlier
                # in the same run (their slugs all start with "bench-").
                slug = db.session.scalar(
                    select(Event.slug)
                    .where(Event.is_published, Event.slug.not_like("bench-%"))
                    .order_by(Event.starts_at, Event.position)
                )
                if slug:
                    return slug
    if find_event(app, "bench-symposium") is None:
        synthetic_event(app, slug="bench-symposium", sessions=14, rooms=2, days=1)
    return "bench-symposium"


def synthetic_event(
    app: Flask,
    *,
    slug: str,
    sessions: int,
    rooms: int = 8,
    days: int = 3,
    speakers_per_session: int = 3,
    minutes: int = 30,
) -> str:
    """Create a published event with `sessions` sessions spread over rooms and days."""
    with app.app_context():
        ends_at = SEOUL_MORNING + timedelta(days=days - 1, hours=14)
        event = Event(
            slug=slug,
            acronym=slug.replace("-", "_"),
            title=f"Synthetic Symposium ({sessions} sessions)",
            title_ko=f"합성 심포지엄 (세션 {sessions}개)",
            summary="Generated for benchmarks.",
            timezone="Asia/Seoul",
            starts_at=SEOUL_MORNING,
            ends_at=ends_at,
            is_published=True,
            # Held somewhere, as real events are: pages, feeds and invitations name it.
            venue=Venue(
                key=f"{slug}-venue",
                name="Convention Center",
                name_ko="컨벤션 센터",
                address="513 Yeongdong-daero, Gangnam-gu",
                address_ko="강남구 영동대로 513",
                city="Seoul",
                country="KR",
            ),
        )
        hall = [Room(event=event, name=f"Room {n}", name_ko=f"회의실 {n}") for n in range(rooms)]
        tracks = [Track(event=event, name=f"Track {n}", name_ko=f"트랙 {n}") for n in range(4)]
        orgs = [
            Organization(key=f"{slug}-org-{n}", name=f"Space Company {n}", name_ko=f"우주기업 {n}")
            for n in range(20)
        ]
        people = [
            Speaker(
                key=f"{slug}-speaker-{n}",
                given_name="Minji" if n % 2 else "Michael",
                family_name=f"Kim{n}" if n % 2 else f"Morgan{n}",
                name_alt=f"김민지{n}" if n % 2 else None,
                position="Director",
                organization=orgs[n % len(orgs)],
            )
            for n in range(max(10, sessions // 2))
        ]
        db.session.add_all([event, *hall, *tracks, *orgs, *people])
        slots_per_room_day = max(1, -(-sessions // (rooms * days)))
        speaker_cycle = itertools.cycle(people)
        for n in range(sessions):
            day, rest = divmod(n, rooms * slots_per_room_day)
            room, slot = divmod(rest, slots_per_room_day)
            starts_at = SEOUL_MORNING + timedelta(days=day, minutes=slot * minutes)
            session = AgendaSession(
                event=event,
                title=f"Session {n}: the economics of small launchers",
                title_ko=f"세션 {n}: 소형 발사체의 경제학",
                description="What the session is about.\n\nAnd more detail.",
                kind=KINDS[n % len(KINDS)],
                room=hall[room % rooms],
                track=tracks[n % len(tracks)],
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=minutes),
            )
            session.speaker_links = [
                SessionSpeaker(speaker=next(speaker_cycle), role=SpeakerRole.PANELIST, position=i)
                for i in range(speakers_per_session)
            ]
            db.session.add(session)
        db.session.commit()
    return slug
