"""Partnering: who takes part, what their organization offers and seeks, who asked whom,
and where and when they meet.

The organization profile is the shared `Organization` (models/people.py), extended with a
description, a logo and the registration that created it: a company that hosts an event or
sends a speaker is the same company that looks for partners, and one table keeps it one
row. What is per event lives here: the settings, the tags, the participants (a registration
opted in, joined to an organization), the tags an organization offers or seeks, requests,
sessions with their slots and tables, and meetings.

The database refuses double booking on its own: a table holds one meeting per slot
(UNIQUE slot, table on `partnering_meetings`) and a person attends one meeting per slot
(UNIQUE participant, slot on `partnering_meeting_people`, whose slot copies the meeting's).
A meeting may be unplaced (no slot, no table) for the scheduler to fill; `pinned` marks
one the scheduler must leave where it is.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import Model, UTCDateTime, str_enum, utcnow
from eventapp.models.events import Event, Room
from eventapp.models.people import Organization
from eventapp.models.registration import Registration

#: Longest note on a request, and longest "what I want to discuss".
NOTE_MAX = 500
DISCUSS_MAX = 1000


def _uid() -> str:
    return str(uuid.uuid4())


class PartneringSettings(Model):
    """One event's partnering switch, request window and rules (absent: partnering off)."""

    __tablename__ = "partnering_settings"
    __table_args__ = (CheckConstraint("request_limit >= 0", name="request_limit"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(default=False, server_default=false())
    requests_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    requests_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Open + accepted requests a person may have sent.
    request_limit: Mapped[int] = mapped_column(default=12, server_default="12")
    #: False: a request is accepted as soon as it is made.
    needs_acceptance: Mapped[bool] = mapped_column(default=True, server_default=true())
    #: The directory lists counterparts from the other country first.
    cross_country_first: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: When the organizers last published the meeting plan (the scheduler's marker).
    plan_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    plan_revision: Mapped[int] = mapped_column(default=0, server_default="0")

    event: Mapped[Event] = relationship()

    def window_open(self, now: datetime) -> bool:
        if not self.enabled:
            return False
        if self.requests_open_at is not None and now < self.requests_open_at:
            return False
        return self.requests_close_at is None or now < self.requests_close_at


class PartneringTag(Model):
    """A theme organizations offer or seek, per event, named in both languages."""

    __tablename__ = "partnering_tags"
    __table_args__ = (UniqueConstraint("event_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    name_ko: Mapped[str | None] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)

    def label(self, locale: str) -> str:
        return (self.name_ko or self.name) if locale == "ko" else self.name


class TagDirection(StrEnum):
    OFFERS = "offers"
    SEEKS = "seeks"


class OrganizationTag(Model):
    """A tag an organization offers or seeks (the tag says which event)."""

    __tablename__ = "partnering_organization_tags"
    __table_args__ = (UniqueConstraint("organization_id", "tag_id", "direction"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("partnering_tags.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[TagDirection] = mapped_column(str_enum(TagDirection))

    tag: Mapped[PartneringTag] = relationship()


class Participant(Model):
    """A confirmed registration opted in to partnering, as a delegate of one organization."""

    __tablename__ = "partnering_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    #: The per-person line: role in the organization.
    role_line: Mapped[str | None] = mapped_column(String(200))
    discuss: Mapped[str | None] = mapped_column(Text)
    withdrawn: Mapped[bool] = mapped_column(default=False, server_default=false())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship()
    organization: Mapped[Organization] = relationship()

    def __repr__(self) -> str:
        return f"<Participant {self.id}>"


class RequestStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    #: Withdrawn by the requester, or cancelled because one side withdrew.
    CANCELLED = "cancelled"


class MeetingRequest(Model):
    """One participant asking another for a meeting.

    `open_pair` is "low:high" (the two participant ids, smaller first) while the request
    is open and NULL after: its UNIQUE constraint allows one open request per pair, either
    way round, on any database (NULLs never collide).
    """

    __tablename__ = "partnering_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("partnering_participants.id", ondelete="CASCADE"), index=True
    )
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("partnering_participants.id", ondelete="CASCADE"), index=True
    )
    #: Set when the request is addressed to an organization rather than one person: every
    #: delegate of it is told and any of them may answer; `recipient` is then the delegate
    #: who answered (until then, the organization's first delegate, as a placeholder).
    recipient_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    #: Slot ids the requester would prefer, comma-separated (a hint, never binding).
    preferred_slots: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[RequestStatus] = mapped_column(
        str_enum(RequestStatus), default=RequestStatus.OPEN
    )
    open_pair: Mapped[str | None] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requester: Mapped[Participant] = relationship(foreign_keys=[requester_id])
    recipient: Mapped[Participant] = relationship(foreign_keys=[recipient_id])
    recipient_organization: Mapped[Organization | None] = relationship()

    @property
    def preferred_slot_ids(self) -> list[int]:
        return [int(part) for part in (self.preferred_slots or "").split(",") if part.isdigit()]


class PartneringSession(Model):
    """A time window of the event for meetings, cut into slots of `meeting_minutes`
    separated by `break_minutes`, with tables in one room."""

    __tablename__ = "partnering_sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="window"),
        CheckConstraint("meeting_minutes > 0 AND break_minutes >= 0", name="lengths"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_ko: Mapped[str | None] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    meeting_minutes: Mapped[int] = mapped_column(default=20)
    break_minutes: Mapped[int] = mapped_column(default=5)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))

    room: Mapped[Room | None] = relationship()
    slots: Mapped[list[PartneringSlot]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="PartneringSlot.index"
    )
    tables: Mapped[list[PartneringTable]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="PartneringTable.position"
    )


class PartneringSlot(Model):
    """One meeting time of a session (rows, so meetings and constraints can refer to them)."""

    __tablename__ = "partnering_slots"
    __table_args__ = (UniqueConstraint("session_id", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("partnering_sessions.id", ondelete="CASCADE")
    )
    index: Mapped[int]
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)

    session: Mapped[PartneringSession] = relationship(back_populates="slots")


class PartneringTable(Model):
    """A named table of a session."""

    __tablename__ = "partnering_tables"
    __table_args__ = (UniqueConstraint("session_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("partnering_sessions.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[PartneringSession] = relationship(back_populates="tables")


class Unavailability(Model):
    """A slot a participant cannot meet in."""

    __tablename__ = "partnering_unavailability"
    __table_args__ = (UniqueConstraint("participant_id", "slot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("partnering_participants.id", ondelete="CASCADE")
    )
    slot_id: Mapped[int] = mapped_column(
        ForeignKey("partnering_slots.id", ondelete="CASCADE"), index=True
    )


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


class MeetingOutcome(StrEnum):
    """What happened at the table, marked at the door or by organizers."""

    HELD = "held"
    NO_SHOW = "no_show"


class Meeting(Model):
    """Two participants meeting; placed when it has a slot and a table (both or neither)."""

    __tablename__ = "partnering_meetings"
    __table_args__ = (
        UniqueConstraint("slot_id", "table_id"),
        CheckConstraint("(slot_id IS NULL) = (table_id IS NULL)", name="placed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnering_requests.id", ondelete="SET NULL"), unique=True
    )
    #: NO ACTION: a slot or table is freed (the meeting unplaced) before it goes.
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("partnering_slots.id"))
    table_id: Mapped[int | None] = mapped_column(ForeignKey("partnering_tables.id"))
    status: Mapped[MeetingStatus] = mapped_column(
        str_enum(MeetingStatus), default=MeetingStatus.PLANNED
    )
    #: The scheduler leaves a pinned meeting where it is.
    pinned: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: iCalendar UID and SEQUENCE of the invitation.
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=_uid)
    sequence: Mapped[int] = mapped_column(default=0)
    #: Held or a no-show (None: not marked yet), by whom and when.
    outcome: Mapped[MeetingOutcome | None] = mapped_column(str_enum(MeetingOutcome))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    slot: Mapped[PartneringSlot | None] = relationship()
    table: Mapped[PartneringTable | None] = relationship()
    request: Mapped[MeetingRequest | None] = relationship()
    people: Mapped[list[MeetingPerson]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )


class MeetingPerson(Model):
    """One of the two people of a meeting, with the meeting's slot copied for the UNIQUE."""

    __tablename__ = "partnering_meeting_people"
    __table_args__ = (
        UniqueConstraint("meeting_id", "participant_id"),
        UniqueConstraint("participant_id", "slot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("partnering_meetings.id", ondelete="CASCADE")
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("partnering_participants.id", ondelete="CASCADE"), index=True
    )
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("partnering_slots.id"), index=True)

    meeting: Mapped[Meeting] = relationship(back_populates="people")
    participant: Mapped[Participant] = relationship()
