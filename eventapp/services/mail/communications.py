"""Writing to registrants: email all or a filtered group through the outbox, with a preview;
and reading the outbox back (state, last error, the text of a queued message)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from email import message_from_string
from email.message import EmailMessage
from email.policy import default as default_policy

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError

from eventapp.errors import AlreadySent, InvalidInput
from eventapp.languages import LANGUAGES, in_language, name_in, normalize_language
from eventapp.links import public_url
from eventapp.models import (
    Account,
    Event,
    OutboxMessage,
    OutboxStatus,
    Registration,
    RegistrationStatus,
    db,
    utcnow,
)
from eventapp.services.accounts import record, teams
from eventapp.services.mail.outbox import queue_email
from eventapp.services.registration.registrants import RegistrantFilter, registrants_statement

MAX_RECIPIENTS = 5000
#: What `new_send_key` gives out (and a send accepts).
SEND_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
#: The placeholders an announcement may use; anything else in braces is left as written.
PLACEHOLDERS = ("{name}", "{event}", "{manage_link}")


@dataclass(frozen=True, slots=True)
class Announcement:
    """A message in English and, optionally, in Korean. Each registrant gets the version of
    their language; when only one version is written, everyone gets that one."""

    subject: str
    body: str
    subject_ko: str = ""
    body_ko: str = ""

    def version(self, language: str) -> tuple[str, str, str]:
        """(language, subject, body) of the version for a reader of `language`."""
        korean = ("ko", self.subject_ko, self.body_ko)
        english = ("en", self.subject, self.body)
        if not _written(english[1:]):
            return korean
        if language == "ko" and _written(korean[1:]):
            return korean
        return english


def _written(version: tuple[str, str]) -> bool:
    return any(part.strip() for part in version)


@dataclass(frozen=True, slots=True)
class VersionPreview:
    """One language's version: how many get it, and what the first of them will read."""

    language: str
    count: int
    to: str
    subject: str
    text: str


@dataclass(frozen=True, slots=True)
class Preview:
    """How many people would get the message, and each version as its first reader sees it."""

    count: int
    versions: tuple[VersionPreview, ...]


def recipients(event: Event, flt: RegistrantFilter) -> list[Registration]:
    """Who the message goes to: the filter's registrants; cancelled ones only when asked."""
    statement = registrants_statement(event, flt)
    if flt.status is None:
        statement = statement.where(Registration.status != RegistrationStatus.CANCELLED)
    return list(db.session.scalars(statement.limit(MAX_RECIPIENTS + 1)))


@dataclass(frozen=True, slots=True)
class Message:
    """What one registrant gets: the version of their language, placeholders filled."""

    language: str
    subject: str
    body: str


def render(announcement: Announcement, registration: Registration, event: Event) -> Message:
    """The message one registrant gets, placeholders filled (plain replacement, no format())
    in the language of the version they get."""
    language, subject, body = announcement.version(normalize_language(registration.locale))
    values = {
        "{name}": name_in(registration.name, registration.name_alt, language),
        "{event}": in_language(event, "title", language),
        "{manage_link}": public_url("attendee.manage", token=registration.manage_token),
    }
    for placeholder, value in values.items():
        subject = subject.replace(placeholder, value)
        body = body.replace(placeholder, value)
    return Message(language, " ".join(subject.split()), body)


def _check(announcement: Announcement, people: list[Registration]) -> None:
    """Each version is left out entirely or has a subject and a body; one is written."""
    english = (announcement.subject, announcement.body)
    korean = (announcement.subject_ko, announcement.body_ko)
    if not _written(english) and not _written(korean):
        raise InvalidInput("a subject is required", field="subject")
    for suffix, (subject, body) in (("", english), ("_ko", korean)):
        if not _written((subject, body)):
            continue  # this version is left out
        if not subject.strip():
            raise InvalidInput("a subject is required", field=f"subject{suffix}")
        if not body.strip():
            raise InvalidInput("the message is empty", field=f"body{suffix}")
    if len(people) > MAX_RECIPIENTS:
        raise InvalidInput(f"more than {MAX_RECIPIENTS} recipients; narrow the filter")


def preview(event: Event, flt: RegistrantFilter, announcement: Announcement) -> Preview:
    """What sending would do, without doing it: per version, who gets it and a sample."""
    people = recipients(event, flt)
    _check(announcement, people)
    by_language: dict[str, list[Registration]] = {}
    for registration in people:
        language = announcement.version(normalize_language(registration.locale))[0]
        by_language.setdefault(language, []).append(registration)
    versions = []
    for language in LANGUAGES:
        readers = by_language.get(language)
        if readers:
            sample = render(announcement, readers[0], event)
            versions.append(
                VersionPreview(
                    language, len(readers), readers[0].email, sample.subject, sample.body
                )
            )
    return Preview(len(people), tuple(versions))


def new_send_key() -> str:
    """A key for one preview's "Send" (see `send_announcement`)."""
    return secrets.token_urlsafe(16)


def send_announcement(
    event: Event,
    flt: RegistrantFilter,
    announcement: Announcement,
    *,
    sender: str,
    send_key: str,
    by: Account | None,
    now: datetime | None = None,
) -> int:
    """Queue one message per recipient in one transaction; returns how many were queued.

    `send_key` (`new_send_key`, given out with the preview) sends it once: a second send
    with the same key (a double click, the form sent again) raises AlreadySent and queues
    nothing, also when both run at once. Each message's Message-ID is made of the key
    and the registration, and Message-IDs are unique in the outbox.
    """
    now = now or utcnow()
    people = recipients(event, flt)
    _check(announcement, people)
    if not SEND_KEY.fullmatch(send_key):
        raise InvalidInput("preview the message first, then send it")
    try:
        for registration in people:
            message = render(announcement, registration, event)
            queue_email(
                kind="announcement",
                sender=sender,
                to=registration.email,
                subject=message.subject,
                text=message.body,
                registration=registration,
                reply_to=event.contact_email,
                now=now,
                message_key=_message_key(send_key, registration.id),
            )
        record(
            by,
            "event.announcement",
            event,
            {"subject": announcement.subject or announcement.subject_ko, "recipients": len(people)},
        )
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if not _sent_with(send_key):
            raise
        raise AlreadySent(
            "this message was sent already (see the outbox); it was not sent again"
        ) from error
    return len(people)


def _message_key(send_key: str, registration_id: int | str) -> str:
    """The left part of the Message-ID of one message of the send with this key."""
    return f"announcement.{send_key}.{registration_id}"


def _sent_with(send_key: str) -> bool:
    """Whether the outbox holds a message of the send with this key."""
    prefix = "<" + _message_key(send_key, "")
    found = db.select(OutboxMessage.id).where(
        OutboxMessage.message_id.startswith(prefix, autoescape=True)
    )
    return db.session.scalar(found.limit(1)) is not None


def outbox_statement(
    status: OutboxStatus | None = None, query: str = "", *, reader: Account | None = None
) -> Select:
    """Outbox messages, newest first, optionally by state or recipient/subject; with a
    `reader`, only those of events they act on (a message of no event: admins only)."""
    statement = db.select(OutboxMessage).order_by(
        OutboxMessage.created_at.desc(), OutboxMessage.id.desc()
    )
    if reader is not None and not teams.sees_every_event(reader):
        registrations = db.select(Registration.id).where(
            teams.event_clause(reader, Registration.event_id)
        )
        statement = statement.where(OutboxMessage.registration_id.in_(registrations))
    if status is not None:
        statement = statement.where(OutboxMessage.status == status)
    if query.strip():
        q = query.strip()
        statement = statement.where(
            OutboxMessage.to_address.icontains(q, autoescape=True)
            | OutboxMessage.subject.icontains(q, autoescape=True)
        )
    return statement


@dataclass(frozen=True, slots=True)
class ReadableMessage:
    headers: list[tuple[str, str]]
    text: str
    attachments: list[str]


def readable(message: OutboxMessage) -> ReadableMessage:
    """The queued message as a person reads it: main headers, plain text, attachment names."""
    parsed = message_from_string(message.raw, policy=default_policy)
    assert isinstance(parsed, EmailMessage)  # noqa: S101 - the default policy guarantees it
    headers = [
        (name, str(parsed[name]))
        for name in ("From", "To", "Reply-To", "Subject", "Date", "Message-ID")
        if parsed[name] is not None
    ]
    body = parsed.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    attachments = [part.get_filename() or "" for part in parsed.iter_attachments()]
    return ReadableMessage(headers=headers, text=text, attachments=attachments)
