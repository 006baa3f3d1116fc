"""Event teams: which staff accounts act on which event (admins act on every event)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from eventapp.models.accounts import Account
from eventapp.models.base import Model, UTCDateTime, utcnow
from eventapp.models.events import Event


class TeamMember(Model):
    """One organizer or door account in one event's team."""

    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("event_id", "account_id", name="uq_team_members_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The backref's cascade deletes an event's team with the event (SQLite enforces no
    # ON DELETE CASCADE without a pragma), without the event model knowing about teams.
    event: Mapped[Event] = relationship(
        backref=backref("team_members", cascade="all, delete-orphan")
    )
    account: Mapped[Account] = relationship()
