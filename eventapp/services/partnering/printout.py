"""A participant's placed meetings as the printable schedule (#20), in their language and
the event's time zone, for `builders/meeting_schedule_pdf.py`."""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale, format_date, gettext

from eventapp.builders.meeting_schedule_pdf import (
    ScheduleDocument,
    ScheduleRow,
    build_meeting_schedule_pdf,
)
from eventapp.languages import normalize_language, pick
from eventapp.models import (
    Meeting,
    MeetingPerson,
    MeetingStatus,
    Participant,
    Registration,
    db,
    utcnow,
)
from eventapp.services.partnering.meetings import meetings_of


def _both(first: str, second: str | None) -> str:
    """'Kim Minji (김민지)': the second script after the first, when there is one."""
    return f"{first} ({second})" if second and second != first else first


def schedule_pdf(participant: Participant, *, now: datetime | None = None) -> bytes:
    """Their placed, planned meetings in time order, as PDF bytes."""
    registration = participant.registration
    event = registration.event
    language = normalize_language(registration.locale)
    zone = event.timezone
    placed = [
        m
        for m in meetings_of(participant)
        if m.status is MeetingStatus.PLANNED and m.slot is not None and m.table is not None
    ]
    placed.sort(key=lambda m: (m.slot.starts_at, m.id))  # type: ignore[union-attr]
    rows = []
    with force_locale(language):
        for meeting in placed:
            slot, table = meeting.slot, meeting.table
            assert slot is not None and table is not None  # noqa: S101, PT018  (filtered above)
            other = next(
                p.participant for p in meeting.people if p.participant_id != participant.id
            )
            where = [gettext("Table %(name)s", name=table.name)]
            room = slot.session.room
            where.append(
                pick(room, "name", language)[0] if room else pick(slot.session, "name", language)[0]
            )
            start = slot.starts_at.astimezone(event.zone)
            rows.append(
                ScheduleRow(
                    when=f"{format_date(start.date(), 'medium')} "
                    f"{start:%H:%M}\u2013{slot.ends_at.astimezone(event.zone):%H:%M}",
                    place=", ".join(where),
                    counterpart=_both(other.registration.name, other.registration.name_alt),
                    organization=_both(other.organization.name, other.organization.name_ko),
                )
            )
        document = ScheduleDocument(
            title=pick(event, "title", language)[0],
            person=_both(registration.name, registration.name_alt),
            heading=gettext("Your partnering meetings"),
            columns=(gettext("Time"), gettext("Table"), gettext("With"), gettext("Organization")),
            rows=tuple(rows),
            empty=gettext("No meeting is placed yet."),
            footer=gettext(
                "Times in %(zone)s. Printed %(when)s.",
                zone=zone,
                when=f"{(now or utcnow()).astimezone(event.zone):%Y-%m-%d %H:%M}",
            ),
            language=language,
        )
    return build_meeting_schedule_pdf(document)


def placed_count(registration: Registration) -> int:
    """How many placed, planned meetings the registration has (0: not a participant)."""
    return (
        db.session.scalar(
            db.select(db.func.count(Meeting.id))
            .join(MeetingPerson, MeetingPerson.meeting_id == Meeting.id)
            .join(Participant, Participant.id == MeetingPerson.participant_id)
            .where(
                Participant.registration_id == registration.id,
                Participant.withdrawn.is_(False),
                Meeting.status == MeetingStatus.PLANNED,
                Meeting.slot_id.is_not(None),
            )
        )
        or 0
    )
