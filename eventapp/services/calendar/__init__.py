"""Calendars: events, sessions and registrations as iCalendar entries, and the feeds
(agenda, one session, an attendee's own). Invitations (`invitations`, in this package) use
the same entries, so a session has the same UID, SEQUENCE and text wherever it appears.

Homes in this package: this module (entries and feeds), `invitations` (iTIP by email).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from email.utils import parseaddr
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext

from eventapp.builders.ics import CalendarEntry, FeedInfo, Person, build_feed
from eventapp.labels import KIND_LABELS, SPEAKER_ROLE_LABELS
from eventapp.languages import name_in, normalize_language, pick
from eventapp.links import public_url
from eventapp.models import (
    AgendaSession,
    Event,
    Registration,
    RegistrationStatus,
    SessionSignup,
    Speaker,
    db,
    utcnow,
)
from eventapp.services.agenda import AgendaVersion, agenda_statement, agenda_version

#: Attributes whose change moves a session in people's calendars: its SEQUENCE goes up
#: (RFC 5545 3.8.7.4). Unpublishing takes it out of calendars as a cancellation does.
SESSION_SEQUENCE_FIELDS = frozenset({"starts_at", "ends_at", "room", "status", "is_published"})
#: The same for the event's own entry; its place is set by object or by id.
EVENT_SEQUENCE_FIELDS = frozenset({"starts_at", "ends_at", "timezone", "venue", "venue_id"})
#: Bump when the calendar layout changes, so clients holding an old copy refetch it.
FORMAT_VERSION = "1"
#: Namespace of UIDs derived from our ids (the event's own entry) and from foreign UIDs.
UID_NAMESPACE = uuid.UUID("6f1c1d0e-5b1a-4c7e-9a53-2f6d8e0b7a41")


def _other(obj: object, name: str, used: str) -> tuple[str, str]:
    """The same field in the other language, when it exists and says something else."""
    other = "en" if used == "ko" else "ko"
    text, lang = pick(obj, name, other)
    if lang != other or not text or text == pick(obj, name, used)[0]:
        return "", ""
    return text, other


def _person_name(person: Any, language: str) -> str:
    return name_in(person.name, getattr(person, "name_alt", None), language)


def _location(event: Event, session: AgendaSession | None, language: str) -> str:
    parts = []
    if session is not None and session.room is not None:
        parts.append(pick(session.room, "name", language)[0])
    if event.venue is not None:
        parts.append(pick(event.venue, "name", language)[0])
        address = pick(event.venue, "address", language)[0]
        if address:
            parts.append(address)
    return ", ".join(p for p in parts if p)


class _Wording:
    """Labels and speaker lines for one language, worked out once per calendar: a feed of
    1,000 sessions would otherwise look up the same translations thousands of times."""

    def __init__(self, language: str) -> None:
        with force_locale(language):
            self.kinds = {kind: str(label) for kind, label in KIND_LABELS.items()}
            self.roles = {role: str(label) for role, label in SPEAKER_ROLE_LABELS.items()}
        self._speakers: dict[tuple[int, str], str] = {}

    def speaker(self, speaker: Speaker, language: str) -> str:
        """'Name (position, organization)', the organization left out when the position
        already names it ("ROK Minister of Science and ICT")."""
        key = (speaker.id, language)
        if key not in self._speakers:
            org = speaker.organization
            position = pick(speaker, "position", language)[0]
            org_name = pick(org, "name", language)[0] if org else ""
            extra = [position, "" if org_name and org_name in position else org_name]
            extra_text = ", ".join(x for x in extra if x)
            name = _person_name(speaker, language)
            self._speakers[key] = name + (f" ({extra_text})" if extra_text else "")
        return self._speakers[key]


def session_entry(
    session: AgendaSession, language: str = "en", wording: _Wording | None = None
) -> CalendarEntry:
    """The VEVENT of one session: UID and SEQUENCE from the session, text in `language`."""
    language = normalize_language(language)
    wording = wording or _Wording(language)
    event = session.event
    title, used = pick(session, "title", language)
    alt_title, alt_lang = _other(session, "title", used)
    speakers = [
        f"{wording.roles[link.role]}: {wording.speaker(link.speaker, used)}"
        for link in session.speaker_links
    ]
    url = public_url("public.session", slug=event.slug, session_id=session.id)
    categories = [wording.kinds[session.kind]]
    if session.track is not None:
        categories.append(pick(session.track, "name", used)[0])
    return CalendarEntry(
        uid=session.uid,
        sequence=session.revision,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=title,
        language=used,
        description=pick(session, "description", used)[0],
        details=tuple(x for x in (alt_title, *speakers, url) if x),
        alt_summary=alt_title,
        alt_language=alt_lang,
        location=_location(event, session, used),
        url=url,
        status="CANCELLED" if session.is_cancelled else "CONFIRMED",
        categories=tuple(categories),
        created_at=session.created_at,
        last_modified=session.updated_at,
    )


def event_uid(event: Event) -> str:
    """A stable UID for the event's own calendar entry (events have no UID column)."""
    return str(uuid.uuid5(UID_NAMESPACE, f"event:{event.id}:{event.created_at.isoformat()}"))


def event_entry(event: Event, language: str = "en", status: str = "CONFIRMED") -> CalendarEntry:
    """The whole event as one VEVENT (the anchor of an attendee's calendar)."""
    language = normalize_language(language)
    title, used = pick(event, "title", language)
    alt_title, alt_lang = _other(event, "title", used)
    url = public_url("public.event", slug=event.slug)
    return CalendarEntry(
        uid=event_uid(event),
        sequence=event.revision,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=title,
        language=used,
        description=pick(event, "summary", used)[0],
        details=tuple(x for x in (alt_title, url) if x),
        alt_summary=alt_title,
        alt_language=alt_lang,
        location=_location(event, None, used),
        url=url,
        status=status,
        created_at=event.created_at,
        last_modified=event.updated_at,
        alarm_minutes=60,
    )


def organizer_for(event: Event) -> Person:
    """ORGANIZER: the event's contact address, else the sender of our emails; when our
    emails come from another address than the organizer's, that address is SENT-BY."""
    sender = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]
    address = event.contact_email or sender
    sent_by = sender if sender and sender.casefold() != address.casefold() else ""
    return Person(email=address, name=event.title, sent_by=sent_by)


def _feed_info(event: Event, language: str, name: str | None = None) -> FeedInfo:
    return FeedInfo(
        name=name or pick(event, "title", language)[0],
        timezone=event.timezone,
        description=pick(event, "summary", language)[0],
        organizer=organizer_for(event),
    )


def agenda_feed(event: Event, *, language: str = "en", stamp: datetime | None = None) -> bytes:
    """The published agenda as a subscribable calendar (cancelled sessions marked so)."""
    language = normalize_language(language)
    sessions = db.session.scalars(agenda_statement(event.id)).unique().all()
    wording = _Wording(language)
    entries = [session_entry(s, language, wording) for s in sessions]
    return build_feed(entries, info=_feed_info(event, language), stamp=stamp or utcnow())


def session_feed(
    session: AgendaSession, *, language: str = "en", stamp: datetime | None = None
) -> bytes:
    """One session as a calendar file (METHOD:PUBLISH)."""
    language = normalize_language(language)
    entries = [session_entry(session, language)]
    return build_feed(entries, info=_feed_info(session.event, language), stamp=stamp or utcnow())


def feed_version(event: Event, *, language: str, scope: str = "agenda") -> AgendaVersion:
    """The agenda's version for one representation (language and scope change the bytes)."""
    base = agenda_version(event)
    tag = f"{base.etag}-{scope}-{normalize_language(language)}-v{FORMAT_VERSION}"
    return AgendaVersion(etag=tag, last_modified=base.last_modified)


def chosen_sessions(registration: Registration) -> Sequence[AgendaSession]:
    """Published sessions the attendee holds a confirmed seat in, in time order."""
    statement = (
        agenda_statement(registration.event_id)
        .join(SessionSignup, SessionSignup.session_id == AgendaSession.id)
        .where(
            SessionSignup.registration_id == registration.id,
            SessionSignup.status == RegistrationStatus.CONFIRMED,
        )
    )
    return db.session.scalars(statement).unique().all()


#: How a registration's state shows in the personal feed (VEVENT STATUS).
_PERSONAL_STATUS = {
    RegistrationStatus.CONFIRMED: "CONFIRMED",
    RegistrationStatus.WAITLISTED: "TENTATIVE",
    RegistrationStatus.CANCELLED: "CANCELLED",
    RegistrationStatus.PENDING: "TENTATIVE",
    RegistrationStatus.DECLINED: "CANCELLED",
}


def personal_feed(registration: Registration, *, stamp: datetime | None = None) -> bytes:
    """The attendee's calendar: the event plus their sessions, in their language.

    A waiting-list place shows as TENTATIVE; after a cancellation every entry is
    CANCELLED, so subscribed clients take the event out of the attendee's week.
    """
    language = normalize_language(registration.locale)
    event = registration.event
    status = _PERSONAL_STATUS[registration.status]
    entries = [event_entry(event, language, status)]
    wording = _Wording(language)
    for session in chosen_sessions(registration):
        entry = session_entry(session, language, wording)
        if status != "CONFIRMED" and entry.status != "CANCELLED":
            entry = replace(entry, status=status)
        entries.append(entry)
    if status == "CONFIRMED":  # partnering meetings placed for them (#16)
        from eventapp.services.partnering import invites

        entries += invites.entries_for(registration, language)
    with force_locale(language):
        name = gettext("%(event)s (my agenda)", event=pick(event, "title", language)[0])
    return build_feed(entries, info=_feed_info(event, language, name), stamp=stamp or utcnow())


def personal_version(registration: Registration) -> AgendaVersion:
    """The personal feed's version: the agenda's, plus the registration and its seats."""
    base = agenda_version(registration.event)
    seats = db.session.execute(
        db.select(SessionSignup.session_id, SessionSignup.status)
        .where(SessionSignup.registration_id == registration.id)
        .order_by(SessionSignup.session_id)
    ).all()
    state = (
        f"{base.etag}:{registration.status.value}:{registration.locale}:"
        f"{registration.updated_at.isoformat()}:{seats}:v{FORMAT_VERSION}"
        f":{_partnering_state(registration)}"
    )
    last_modified = max(base.last_modified, registration.updated_at)
    return AgendaVersion(
        etag=hashlib.sha256(state.encode()).hexdigest()[:32], last_modified=last_modified
    )


def _partnering_state(registration: Registration) -> str:
    from eventapp.services.partnering import invites

    return invites.feed_state(registration)
