"""A placed meeting in the calendars of its two people, through the code sessions use:
`builders.ics` (the VEVENT and iTIP message), `services.calendar` (the organizer, the
personal feed) and the outbox. Both people are ATTENDEEs; the LOCATION is the table and
the room; SEQUENCE is the meeting's, raised on every move and on the cancel.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale, gettext

from eventapp.builders.email import CalendarPart
from eventapp.builders.ics import CalendarEntry, Person, build_invitation
from eventapp.languages import name_in, normalize_language, pick
from eventapp.models import Meeting, MeetingStatus, Participant, Registration, db
from eventapp.services.mail import outbox


def _other(meeting: Meeting, participant_id: int) -> Participant:
    return next(p.participant for p in meeting.people if p.participant_id != participant_id)


def meeting_entry(meeting: Meeting, participant: Participant, language: str) -> CalendarEntry:
    """The meeting as one person's calendar entry (it names the other side)."""
    if meeting.slot is None or meeting.table is None:
        raise ValueError("an unplaced meeting has no calendar entry")
    other = _other(meeting, participant.id)
    person = other.registration
    with force_locale(language):
        who = name_in(person.name, person.name_alt, language)
        organization = pick(other.organization, "name", language)[0]
        summary = gettext(
            "Meeting: %(name)s (%(organization)s)", name=who, organization=organization
        )
        where = [gettext("Table %(name)s", name=meeting.table.name)]
    room = meeting.slot.session.room
    if room is not None:
        where.append(pick(room, "name", language)[0])
    else:
        where.append(pick(meeting.slot.session, "name", language)[0])
    return CalendarEntry(
        uid=meeting.uid,
        sequence=meeting.sequence,
        starts_at=meeting.slot.starts_at,
        ends_at=meeting.slot.ends_at,
        summary=summary,
        language=language,
        description=other.discuss or "",
        location=", ".join(where),
        status="CANCELLED" if meeting.status is MeetingStatus.CANCELLED else "CONFIRMED",
        alarm_minutes=10,
    )


def entries_for(registration: Registration, language: str) -> list[CalendarEntry]:
    """The registration's placed meetings, for their personal feed."""
    participant = db.session.scalar(
        db.select(Participant).where(Participant.registration_id == registration.id)
    )
    if participant is None:
        return []
    from eventapp.services.partnering.meetings import meetings_of

    return [
        meeting_entry(m, participant, language)
        for m in meetings_of(participant)
        if m.slot_id is not None and m.status is MeetingStatus.PLANNED
    ]


def feed_state(registration: Registration) -> str:
    """What changes the personal feed's bytes on the partnering side (for its ETag)."""
    from eventapp.models import MeetingPerson

    rows = db.session.execute(
        db.select(Meeting.id, Meeting.sequence, Meeting.status, Meeting.slot_id)
        .join(MeetingPerson, MeetingPerson.meeting_id == Meeting.id)
        .join(Participant, Participant.id == MeetingPerson.participant_id)
        .where(Participant.registration_id == registration.id)
        .order_by(Meeting.id)
    ).all()
    return str([tuple(row) for row in rows])


def queue_meeting_invitations(meeting: Meeting, *, method: str, now: datetime) -> None:
    """Queue METHOD:REQUEST (placed or moved) or CANCEL to both people; no commit. The
    meeting must still have its slot and table (a cancel is written before they go)."""
    from eventapp.services.calendar import organizer_for

    people = [p.participant for p in meeting.people]
    for participant in people:
        registration = participant.registration
        other = _other(meeting, participant.id).registration
        language = normalize_language(registration.locale)
        entry = meeting_entry(meeting, participant, language)
        event = registration.event
        ics = build_invitation(
            entry,
            method=method,
            organizer=organizer_for(event),
            attendee=Person(email=registration.email, name=registration.name),
            others=[Person(email=other.email, name=other.name)],
            timezone=event.timezone,
            stamp=now,
        )
        with force_locale(language):
            if method == "CANCEL":
                subject = gettext("Cancelled: %(title)s", title=entry.summary)
                lead = gettext("This meeting has been cancelled.")
            else:
                subject = gettext("Invitation: %(title)s", title=entry.summary)
                lead = gettext(
                    "Your meeting is set. Open the attached invitation to add it to your calendar."
                )
            text = "\n".join(
                [
                    gettext("Hello %(name)s,", name=registration.name),
                    "",
                    lead,
                    "",
                    entry.summary,
                    gettext("Where: %(where)s", where=entry.location),
                ]
            )
        outbox.queue_email(
            kind="partnering_meeting",
            sender=current_app.config["MAIL_DEFAULT_SENDER"],
            to=registration.email,
            subject=subject,
            text=text,
            calendar=CalendarPart(ics=ics, method=method),
            registration=registration,
            reply_to=event.contact_email,
            now=now,
        )
