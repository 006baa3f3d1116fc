"""Invitation-only events and delegations (#17).

An `Invitation` is one invited person's personal link to the registration form of an
invitation-only event: a long random token, the details the form is prefilled with, and
what became of it (sent, opened, registered, declined, revoked). It is used once: the
registration it made is kept on it.

A `Delegation` is a group sent by one party (a ministry, a company): a head, who registers
the members from one page or hands each a personal link, and at most `seats` members
holding a place (confirmed, waitlisted or pending) at once.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import Model, UTCDateTime, str_enum, utcnow
from eventapp.models.registration import Category, Registration
from eventapp.names import display_name


def new_invitation_token() -> str:
    """A long random secret for a personal link (256 bits)."""
    return secrets.token_urlsafe(32)


class InvitationState(StrEnum):
    """Where an invitation stands, from the organizer's side (the latest step wins)."""

    SENT = "sent"
    OPENED = "opened"
    REGISTERED = "registered"
    DECLINED = "declined"
    REVOKED = "revoked"


class Delegation(Model):
    """A delegation of an event: its head and the most members it may have registered."""

    __tablename__ = "delegations"
    __table_args__ = (
        UniqueConstraint("event_id", "name"),
        CheckConstraint("seats IS NULL OR seats >= 0", name="seats_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    #: Most members holding a place at once; None: no limit beyond the event's.
    seats: Mapped[int | None]
    head_given_name: Mapped[str] = mapped_column(String(100))
    head_family_name: Mapped[str] = mapped_column(String(100), default="")
    #: Normalized; the head's own registration (if any) shows the delegation's statuses.
    head_email: Mapped[str] = mapped_column(String(254))
    #: Secret in the head's page link (`/delegation/<token>`).
    head_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_invitation_token)
    locale: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def head_name(self) -> str:
        return display_name(self.head_given_name, self.head_family_name)


class Invitation(Model):
    """One invited person's personal link to an invitation-only event's form."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("event_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegations.id", ondelete="SET NULL"), index=True
    )
    #: Normalized: stripped and lower-cased. The form registers this address and no other.
    email: Mapped[str] = mapped_column(String(254))
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100), default="")
    organization_name: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[Category] = mapped_column(str_enum(Category), default=Category.OTHER)
    #: Language of the invitation email.
    locale: Mapped[str] = mapped_column(String(8), default="en")
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_invitation_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the last invitation or reminder email was queued.
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_count: Mapped[int] = mapped_column(default=0)
    #: First time the link was opened.
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The invitee said they will not come (from the link's page).
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The registration made through the link: set once, the link is used up.
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), unique=True
    )

    delegation: Mapped[Delegation | None] = relationship()
    registration: Mapped[Registration | None] = relationship()

    @property
    def name(self) -> str:
        return display_name(self.given_name, self.family_name)

    @property
    def state(self) -> InvitationState:
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.registration_id is not None:
            return InvitationState.REGISTERED
        if self.declined_at is not None:
            return InvitationState.DECLINED
        if self.opened_at is not None:
            return InvitationState.OPENED
        return InvitationState.SENT
