"""iTIP invitations (RFC 5546 over RFC 6047 email): the calendar parts and their emails.

One UID per message (RFC 5546 §3.2.2 and §3.2.5: every component of a REQUEST or CANCEL
has the same UID), so the event and each chosen session travel in separate messages.
The attendee is PARTSTAT=ACCEPTED with RSVP=FALSE: registering was their acceptance, so
clients file the entry as accepted (Apple, Thunderbird, Gmail) instead of asking a question
whose reply would reach a mailbox that processes no iTIP replies.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale, gettext

from eventapp.builders.email import CalendarPart
from eventapp.builders.ics import CalendarEntry, Person, build_invitation
from eventapp.languages import normalize_language, pick
from eventapp.models import AgendaSession, CalendarOffset, Registration, Room, db, utcnow
from eventapp.services.calendar import (
    event_entry,
    organizer_for,
    session_entry,
)
from eventapp.services.mail import addressed_name, outbox


def invitation(
    registration: Registration,
    *,
    method: str = "REQUEST",
    session: AgendaSession | None = None,
    stamp: datetime | None = None,
) -> CalendarPart:
    """The iTIP part for one attendee: the event itself, or one of its sessions.

    One UID per message (RFC 5546 §3.2.2): the event and each chosen session travel in
    separate messages. Text is in the registrant's language.
    """
    language = normalize_language(registration.locale)
    event = registration.event
    entry = session_entry(session, language) if session else event_entry(event, language)
    # The organizer's CANCEL (a session cancelled or unpublished) raised the revision; the
    # attendee's own leaves the entry as it is for everyone else.
    gone = entry.status == "CANCELLED" or (session is not None and not session.is_published)
    own_cancel = method == "CANCEL" and not gone
    offset = _offset(registration, entry.uid, own_cancel=own_cancel, request=method == "REQUEST")
    entry = replace(entry, sequence=entry.sequence + offset)
    ics = build_invitation(
        entry,
        method=method,
        organizer=organizer_for(event),
        attendee=Person(email=registration.email, name=registration.name),
        timezone=event.timezone,
        stamp=stamp or utcnow(),
    )
    return CalendarPart(ics=ics, method=method)


def _offset(registration: Registration, uid: str, *, own_cancel: bool, request: bool) -> int:
    """What to add to the entry's revision in a message to this attendee, so that every
    CANCEL goes out above the last SEQUENCE they got, and so does a REQUEST after it
    (RFC 5546 §2.1.4: clients ignore a message whose SEQUENCE is not higher).

    The attendee's own CANCEL raises their offset by one (odd: cancelled), and so does
    the next REQUEST (even again). Only for a message that is queued: it records what
    their calendar holds. Callers hold the event's lock.
    """
    if registration.id is None:
        return 0  # not written yet: nothing was ever sent to them
    row = db.session.get(CalendarOffset, (registration.id, uid))
    offset = row.sequence_offset if row is not None else 0
    after_own_cancel = offset % 2 == 1
    if (own_cancel and not after_own_cancel) or (request and after_own_cancel):
        offset += 1
        if row is None:
            row = CalendarOffset(registration_id=registration.id, uid=uid)
            db.session.add(row)
        row.sequence_offset = offset
    return offset


def confirmation_calendar(
    registration: Registration, *, now: datetime | None = None
) -> CalendarPart:
    """For the confirmation (and promotion) email: METHOD:REQUEST for the event."""
    return invitation(registration, method="REQUEST", stamp=now)


def cancellation_calendar(
    registration: Registration, *, now: datetime | None = None
) -> CalendarPart:
    """For the cancellation email: METHOD:CANCEL for the event."""
    return invitation(registration, method="CANCEL", stamp=now)


@dataclass(frozen=True, slots=True)
class Before:
    """A session's time and room before an organizer's change: the update says what moved."""

    starts_at: datetime
    ends_at: datetime
    room: Room | None


def queue_session_invitation(
    registration: Registration,
    session: AgendaSession,
    *,
    method: str = "REQUEST",
    now: datetime | None = None,
    kind: str = "invitation",
    before: Before | None = None,
) -> None:
    """Queue one session's iTIP message (REQUEST or CANCEL) to one attendee; no commit.

    `kind` "invitation": a new seat (REQUEST) or a seat given up (CANCEL); "update": an
    organizer's change (REQUEST, or CANCEL for a cancelled or withdrawn session), saying
    the old time and room next to the new ones when `before` is given.
    """
    now = now or utcnow()
    language = normalize_language(registration.locale)
    part = invitation(registration, method=method, session=session, stamp=now)
    entry = session_entry(session, language)
    when = _when(entry.starts_at, entry.ends_at, session.event.timezone)
    with force_locale(language):
        if method == "CANCEL" and kind == "update":
            subject = gettext("Cancelled: %(title)s", title=entry.summary)
            lead = gettext("This session has been cancelled.")
        elif method == "CANCEL":
            subject = gettext("Seat given up: %(title)s", title=entry.summary)
            lead = gettext("You no longer have a seat in this session.")
        elif kind == "update":
            subject = gettext("Updated: %(title)s", title=entry.summary)
            lead = gettext(
                "This session has changed. Open the attached invitation to update your calendar."
            )
        else:
            subject = gettext("Invitation: %(title)s", title=entry.summary)
            lead = gettext("Your seat in this session is confirmed.")
        text = _notice(lead, entry, when, greet=addressed_name(registration))
        if before is not None and method == "REQUEST":
            text += _what_changed(before, session, language)
    _queue(registration, kind, subject, text, part, now)


def _what_changed(before: Before, session: AgendaSession, language: str) -> str:
    """'Before: …' lines for the time and the room, those that changed only."""
    lines = []
    if (before.starts_at, before.ends_at) != (session.starts_at, session.ends_at):
        was = _when(before.starts_at, before.ends_at, session.event.timezone)
        lines.append(gettext("Before: %(when)s", when=was))
    if before.room != session.room:
        room = pick(before.room, "name", language)[0] if before.room is not None else "—"
        lines.append(gettext("Room before: %(room)s", room=room))
    return "\n\n" + "\n".join(lines) if lines else ""


def queue_event_update(registration: Registration, *, now: datetime | None = None) -> None:
    """Queue the event's updated invitation (METHOD:REQUEST, same UID, the event's new
    revision as SEQUENCE) to one attendee after an organizer moved the event; no commit."""
    now = now or utcnow()
    language = normalize_language(registration.locale)
    event = registration.event
    part = invitation(registration, method="REQUEST", stamp=now)
    entry = event_entry(event, language)
    with force_locale(language):
        lead = gettext(
            "This event has changed. Open the attached invitation to update your calendar."
        )
        text = _notice(lead, entry, _when(entry.starts_at, entry.ends_at, event.timezone))
        # Its own msgid: the session update's subject names a session in Korean.
        subject = gettext("Event updated: %(title)s", title=entry.summary)
    _queue(registration, "update", subject, text, part, now)


def _notice(lead: str, entry: CalendarEntry, when: str, *, greet: str = "") -> str:
    """The plain text beside an invitation: what happened, what, when, where, the link."""
    lines = [
        *([gettext("Hello %(name)s,", name=greet), ""] if greet else []),
        lead,
        "",
        entry.summary,
        gettext("When: %(when)s", when=when),
        gettext("Where: %(where)s", where=entry.location or "—"),
        "",
        entry.url,
    ]
    return "\n".join(lines)


def _queue(
    registration: Registration,
    kind: str,
    subject: str,
    text: str,
    part: CalendarPart,
    now: datetime,
) -> None:
    outbox.queue_email(
        kind=kind,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        to=registration.email,
        subject=subject,
        text=text,
        calendar=part,
        registration=registration,
        reply_to=registration.event.contact_email,
        now=now,
    )


def _when(starts_at: datetime, ends_at: datetime, timezone: str) -> str:
    """'2023-11-08 09:00 - 18:00 (Asia/Seoul)', with the end's date when it is another day."""
    zone = ZoneInfo(timezone)
    starts, ends = starts_at.astimezone(zone), ends_at.astimezone(zone)
    end = f"{ends:%H:%M}" if ends.date() == starts.date() else f"{ends:%Y-%m-%d %H:%M}"
    return f"{starts:%Y-%m-%d %H:%M} - {end} ({timezone})"
