"""Events, their venue, rooms, tracks and hosting organizations."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import Model, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from eventapp.models.agenda import AgendaSession
    from eventapp.models.partnering import PartneringSettings
    from eventapp.models.people import Organization


def new_uuid() -> str:
    return str(uuid.uuid4())


class Venue(Model):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_ko: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    address_ko: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(100))
    #: ISO 3166-1 alpha-2 code.
    country: Mapped[str | None] = mapped_column(String(2))


class AdmissionMode(StrEnum):
    """Who may register (#17): everyone, only once an organizer approves, or only the invited."""

    OPEN = "open"
    APPROVAL = "approval"
    #: Only through an invitation's personal link (`models/invitations.py`).
    INVITATION = "invitation"


class Event(Model):
    __tablename__ = "events"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="time_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    #: Short ASCII name for schedule apps (frab `acronym`), e.g. "rokus-space-forum-2023".
    acronym: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    title_ko: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    summary_ko: Mapped[str | None] = mapped_column(Text)
    #: IANA time zone name; times are stored in UTC and shown in this zone.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    #: Bumped on every change of time, zone or venue: the SEQUENCE of the event's own
    #: calendar entry, which clients ignore unless it is higher than theirs (RFC 5546 §2.1.4).
    revision: Mapped[int] = mapped_column(default=0)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue_id: Mapped[int | None] = mapped_column(
        ForeignKey("venues.id", ondelete="SET NULL"), index=True
    )
    #: Both optional: an open-ended window accepts registrations at any time.
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Confirmed registrations allowed; None means unlimited.
    capacity: Mapped[int | None]
    #: Who may register (#17); combined with the capacity and the waiting list.
    admission_mode: Mapped[AdmissionMode] = mapped_column(
        str_enum(AdmissionMode), default=AdmissionMode.OPEN, server_default="open"
    )
    #: Whether the public pages say how many seats are left (else only open or full).
    show_seats_left: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Whether organizers added questions to the form (#17), kept by services/questions:
    #: the form of an event without any needs no query for them.
    has_questions: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Address calendar invitations come from (iCalendar ORGANIZER) and replies go to.
    contact_email: Mapped[str | None] = mapped_column(String(254))
    #: The privacy notice (PIPA art. 15): who is responsible for the registrants' data, and
    #: how many days after the event it is deleted (`flask erase-expired`); None: not said.
    privacy_controller: Mapped[str | None] = mapped_column(String(300))
    privacy_controller_ko: Mapped[str | None] = mapped_column(String(300))
    retention_days: Mapped[int | None]
    is_published: Mapped[bool] = mapped_column(default=False)
    #: Display order on the events list.
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Touched whenever the event or anything on its agenda changes (ETag source for feeds).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    venue: Mapped[Venue | None] = relationship()
    rooms: Mapped[list[Room]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Room.position"
    )
    tracks: Mapped[list[Track]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Track.position"
    )
    hosts: Mapped[list[EventHost]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventHost.position"
    )
    sessions: Mapped[list[AgendaSession]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )
    #: Read-only: the registration form joins it in to know, without a query of its own,
    #: whether to offer partnering (services/partnering/profiles.py changes it).
    partnering: Mapped[PartneringSettings | None] = relationship(viewonly=True)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def registration_is_open(self, now: datetime) -> bool:
        """True when `now` lies inside the (optional) registration window."""
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class HostRole(StrEnum):
    HOST = "host"
    CO_ORGANIZER = "co_organizer"
    SPONSOR = "sponsor"
    PARTNER = "partner"


class EventHost(Model):
    """An organization hosting, co-organizing or supporting an event."""

    __tablename__ = "event_hosts"
    __table_args__ = (UniqueConstraint("event_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[HostRole] = mapped_column(str_enum(HostRole), default=HostRole.HOST)
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="hosts")
    organization: Mapped[Organization] = relationship()


class Room(Model):
    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_ko: Mapped[str | None] = mapped_column(String(120))
    #: Stable identifier for schedule exports (frab room guid).
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    capacity: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="rooms")


class Track(Model):
    __tablename__ = "tracks"
    __table_args__ = (UniqueConstraint("event_id", "name"), UniqueConstraint("event_id", "key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: The track's key in the seed file it came from (None for a track made in the back
    #: office): seeding finds it again by this, so a track renamed on either side is the
    #: same track.
    key: Mapped[str | None] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    name_ko: Mapped[str | None] = mapped_column(String(120))
    #: CSS colour, "#rrggbb"; always shown together with the track's name.
    color: Mapped[str | None] = mapped_column(String(7))
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="tracks")
