"""Registrations: one person's place (or waiting-list spot) at an event, and session sign-ups."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.agenda import AgendaSession
from eventapp.models.base import Model, UTCDateTime, str_enum, utcnow
from eventapp.models.events import Event
from eventapp.names import NameOrder, display_name, sort_key

if TYPE_CHECKING:
    from eventapp.models.invitations import Delegation


def new_manage_token() -> str:
    """A long random secret for the attendee's self-service link (256 bits)."""
    return secrets.token_urlsafe(32)


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    #: Approval-required event (#17): waiting for an organizer's decision; holds no seat.
    PENDING = "pending"
    #: Approval-required event (#17): an organizer declined it; holds no seat.
    DECLINED = "declined"


class Category(StrEnum):
    GOVERNMENT = "government"
    INDUSTRY = "industry"
    ACADEMIA = "academia"
    PRESS = "press"
    SPEAKER = "speaker"
    STAFF = "staff"
    OTHER = "other"


class Registration(Model):
    """A person registered for one event; the email is unique per event."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "email"),
        # Seats are counted per event and status under the event's lock: an index-only
        # scan. The unique constraint above serves lookups by event alone.
        Index("ix_registrations_event_id_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    #: Normalized: stripped and lower-cased.
    email: Mapped[str] = mapped_column(String(254))
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100), default="")
    #: The full name in a second script, as written there.
    name_alt: Mapped[str | None] = mapped_column(String(200))
    #: How the Latin-script name is written: given or family name first (#22).
    name_order: Mapped[NameOrder] = mapped_column(
        str_enum(NameOrder), default=NameOrder.GIVEN_FIRST, server_default="given_first"
    )
    organization_name: Mapped[str | None] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(200))
    #: ISO 3166-1 alpha-2 code.
    country: Mapped[str | None] = mapped_column(String(2))
    category: Mapped[Category] = mapped_column(str_enum(Category), default=Category.OTHER)
    dietary_needs: Mapped[str | None] = mapped_column(Text)
    accessibility_needs: Mapped[str | None] = mapped_column(Text)
    #: Interface language when registering; emails are written in it.
    locale: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[RegistrationStatus] = mapped_column(
        str_enum(RegistrationStatus), default=RegistrationStatus.CONFIRMED
    )
    #: Secret in the self-service link (`/me/<token>`).
    manage_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_manage_token)
    #: Bumped to revoke printed badges: a badge token carries the serial it was issued with.
    badge_serial: Mapped[int] = mapped_column(default=1)
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: When the person joined the waiting list; orders the list (first come, first promoted).
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: The delegation this registrant belongs to (#17), if any.
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegations.id", ondelete="SET NULL"), index=True
    )

    event: Mapped[Event] = relationship()
    #: (#17) Many-to-one: read through the identity map, no query once loaded.
    delegation: Mapped[Delegation | None] = relationship("Delegation")
    signups: Mapped[list[SessionSignup]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )

    @property
    def name(self) -> str:
        return display_name(self.given_name, self.family_name, self.name_order)

    @property
    def sort_key(self) -> tuple[str, str]:
        return sort_key(self.given_name, self.family_name)

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status}>"


class SessionSignup(Model):
    """A registration's seat (or waiting-list spot) in a session that has a capacity."""

    __tablename__ = "session_signups"
    __table_args__ = (UniqueConstraint("registration_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_sessions.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[RegistrationStatus] = mapped_column(
        str_enum(RegistrationStatus), default=RegistrationStatus.CONFIRMED
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registration: Mapped[Registration] = relationship(back_populates="signups")
    session: Mapped[AgendaSession] = relationship()
