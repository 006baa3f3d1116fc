"""Sessions on an event's agenda and the speakers linked to them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import Model, UTCDateTime, str_enum, utcnow
from eventapp.models.events import Event, Room, Track, new_uuid
from eventapp.models.people import Speaker


class SessionKind(StrEnum):
    REMARKS = "remarks"
    KEYNOTE = "keynote"
    BRIEFING = "briefing"
    TALK = "talk"
    PANEL = "panel"
    WORKSHOP = "workshop"
    BREAK = "break"
    NETWORKING = "networking"
    OTHER = "other"


class SessionStatus(StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class SpeakerRole(StrEnum):
    SPEAKER = "speaker"
    MODERATOR = "moderator"
    PANELIST = "panelist"
    PRESENTER = "presenter"


class AgendaSession(Model):
    __tablename__ = "agenda_sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="time_order"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: Stable iCalendar UID (and frab guid): a UUID set once and never changed.
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    #: Bumped on every change of time, room or status; calendar clients ignore a REQUEST
    #: whose SEQUENCE is not higher than the one they hold (RFC 5545 §3.8.7.4, RFC 5546).
    revision: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    title_ko: Mapped[str | None] = mapped_column(String(300))
    subtitle: Mapped[str | None] = mapped_column(String(300))
    subtitle_ko: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    description_ko: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[SessionKind] = mapped_column(str_enum(SessionKind), default=SessionKind.TALK)
    status: Mapped[SessionStatus] = mapped_column(
        str_enum(SessionStatus), default=SessionStatus.CONFIRMED
    )
    #: Spoken language(s), ISO 639-1, e.g. "en" or "ko".
    language: Mapped[str] = mapped_column(String(10), default="en")
    track_id: Mapped[int | None] = mapped_column(
        ForeignKey("tracks.id", ondelete="SET NULL"), index=True
    )
    room_id: Mapped[int | None] = mapped_column(
        ForeignKey("rooms.id", ondelete="SET NULL"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Seats for sessions that need a sign-up; None means open to every attendee.
    capacity: Mapped[int | None]
    is_published: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(back_populates="sessions")
    room: Mapped[Room | None] = relationship()
    track: Mapped[Track | None] = relationship()
    speaker_links: Mapped[list[SessionSpeaker]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionSpeaker.position"
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status is SessionStatus.CANCELLED

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def __repr__(self) -> str:
        return f"<AgendaSession {self.id} {self.title[:30]!r}>"


class SessionSpeaker(Model):
    """A speaker's part in one session (speaker, moderator, panelist…)."""

    __tablename__ = "session_speakers"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[SpeakerRole] = mapped_column(str_enum(SpeakerRole), default=SpeakerRole.SPEAKER)
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[AgendaSession] = relationship(back_populates="speaker_links")
    speaker: Mapped[Speaker] = relationship(back_populates="session_links")
