"""Plain factory functions: `make_event(**overrides)` and friends. Call inside an app context."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from werkzeug.security import generate_password_hash

from eventapp.models import (
    Account,
    AgendaSession,
    Category,
    Event,
    Organization,
    Registration,
    RegistrationStatus,
    Role,
    Room,
    SessionKind,
    SessionSpeaker,
    Speaker,
    SpeakerRole,
    Track,
    Venue,
    db,
)

_counter = itertools.count(1)

#: 8 November 2023, 09:00 in Seoul.
SEOUL_MORNING = datetime(2023, 11, 8, 0, 0, tzinfo=UTC)


def _save(obj: Any) -> Any:
    db.session.add(obj)
    db.session.commit()
    return obj


def make_venue(**overrides: Any) -> Venue:
    n = next(_counter)
    values: dict[str, Any] = {
        "key": f"venue-{n}",
        "name": f"Conference Center {n}",
        "name_ko": f"컨퍼런스 센터 {n}",
        "address": "1 Example-ro, Jung-gu",
        "city": "Seoul",
        "country": "KR",
    }
    return _save(Venue(**(values | overrides)))


def make_event(**overrides: Any) -> Event:
    n = next(_counter)
    starts_at = overrides.pop("starts_at", SEOUL_MORNING)
    values: dict[str, Any] = {
        "slug": f"event-{n}",
        "acronym": f"event{n}",
        "title": f"Test Symposium {n}",
        "title_ko": f"테스트 심포지엄 {n}",
        "summary": "A day of talks.",
        "timezone": "Asia/Seoul",
        "starts_at": starts_at,
        "ends_at": overrides.pop("ends_at", starts_at + timedelta(hours=9)),
        "is_published": True,
        "contact_email": "events@example.org",
    }
    return _save(Event(**(values | overrides)))


def make_room(event: Event, **overrides: Any) -> Room:
    n = next(_counter)
    return _save(Room(**({"event": event, "name": f"Hall {n}", "name_ko": f"홀 {n}"} | overrides)))


def make_track(event: Event, **overrides: Any) -> Track:
    n = next(_counter)
    values = {"event": event, "name": f"Track {n}", "name_ko": f"트랙 {n}", "color": "#0b4f8a"}
    return _save(Track(**(values | overrides)))


def make_session(event: Event, **overrides: Any) -> AgendaSession:
    n = next(_counter)
    starts_at = overrides.pop("starts_at", event.starts_at + timedelta(hours=1))
    values: dict[str, Any] = {
        "event": event,
        "title": f"Session {n}",
        "title_ko": f"세션 {n}",
        "description": "What the session is about.",
        "kind": SessionKind.TALK,
        "starts_at": starts_at,
        "ends_at": overrides.pop("ends_at", starts_at + timedelta(minutes=45)),
    }
    return _save(AgendaSession(**(values | overrides)))


def make_organization(**overrides: Any) -> Organization:
    n = next(_counter)
    values = {
        "key": f"org-{n}",
        "name": f"Organization {n}",
        "name_ko": f"기관 {n}",
        "country": "KR",
    }
    return _save(Organization(**(values | overrides)))


def make_speaker(**overrides: Any) -> Speaker:
    n = next(_counter)
    values: dict[str, Any] = {
        "key": f"speaker-{n}",
        "given_name": "Minji",
        "family_name": f"Kim{n}",
        "name_alt": "김민지",
        "position": "Director",
        "country": "KR",
        "bio": "Works on space policy.",
    }
    return _save(Speaker(**(values | overrides)))


def link_speaker(
    session: AgendaSession, speaker: Speaker, role: SpeakerRole = SpeakerRole.SPEAKER
) -> SessionSpeaker:
    return _save(SessionSpeaker(session=session, speaker=speaker, role=role))


def make_registration(event: Event, **overrides: Any) -> Registration:
    n = next(_counter)
    values: dict[str, Any] = {
        "event": event,
        "email": f"person{n}@example.org",
        "given_name": "Jane",
        "family_name": f"Doe{n}",
        "organization_name": "Example Space Co.",
        "country": "US",
        "category": Category.INDUSTRY,
        "status": RegistrationStatus.CONFIRMED,
    }
    return _save(Registration(**(values | overrides)))


def make_account(
    role: Role = Role.ORGANIZER, email: str | None = None, password: str = "password-123456"
) -> Account:
    n = next(_counter)
    return _save(
        Account(
            email=email or f"staff{n}@example.org",
            # A cheap hash keeps the suite fast; production uses the default (scrypt).
            password_hash=generate_password_hash(password, method="pbkdf2:sha256:1000"),
            role=role,
        )
    )


def make_outbox_message(registration: Registration | None = None, **overrides: Any) -> Any:
    """A queued plain-text message, built by the real outbox service."""
    from eventapp.services.outbox import queue_email

    values: dict[str, Any] = {
        "kind": "announcement",
        "sender": "Symposium <events@example.org>",
        "to": registration.email if registration else "someone@example.org",
        "subject": "Welcome to the symposium",
        "text": "See you in Seoul.\n서울에서 만나요.",
        "registration": registration,
    }
    message = queue_email(**(values | overrides))
    db.session.commit()
    return message
