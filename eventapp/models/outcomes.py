"""Panel outcomes: per-session key points, numbered recommendations with their owners and
follow-up, and the rapporteurs who write them.

Owners are `Organization` rows of the government kind (MSIT, U.S. DoC…), not a table of
their own: organizations already carry the English and Korean names, the short name and
the country a briefing needs, the seed files already list the ministries, and one body is
then one row whether it hosts an event, employs a speaker or owns a recommendation.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.accounts import Account
from eventapp.models.agenda import AgendaSession
from eventapp.models.base import Model, UTCDateTime, str_enum, utcnow
from eventapp.models.events import Event
from eventapp.models.people import Organization, Speaker

#: Longest key points (per language) and recommendation text, in characters.
KEY_POINTS_MAX = 20_000
RECOMMENDATION_MAX = 4_000
NOTE_MAX = 2_000
TAG_MAX = 60


class OutcomeStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class FollowUp(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class SessionOutcome(Model):
    """What one session concluded: its key points, in English and Korean (plain text)."""

    __tablename__ = "session_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_sessions.id", ondelete="CASCADE"), unique=True
    )
    #: Plain text: blank lines separate paragraphs, lines starting "- " or "1. " are lists.
    key_points: Mapped[str] = mapped_column(Text, default="")
    key_points_ko: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[OutcomeStatus] = mapped_column(
        str_enum(OutcomeStatus), default=OutcomeStatus.DRAFT
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    session: Mapped[AgendaSession] = relationship()
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="outcome", cascade="all, delete-orphan", order_by="Recommendation.number"
    )

    @property
    def is_published(self) -> bool:
        return self.status is OutcomeStatus.PUBLISHED


class Recommendation(Model):
    """One numbered recommendation of a session, with its owners and follow-up."""

    __tablename__ = "recommendations"
    __table_args__ = (
        UniqueConstraint("outcome_id", "number", name="uq_recommendations_number"),
        CheckConstraint("text_en <> '' OR text_ko <> ''", name="has_text"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("session_outcomes.id", ondelete="CASCADE"), index=True
    )
    #: 1, 2, 3… within the session, in the order they were recorded.
    number: Mapped[int]
    #: Either language may be filled first; an empty one is shown as missing.
    text_en: Mapped[str] = mapped_column(Text, default="")
    text_ko: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[OutcomeStatus] = mapped_column(
        str_enum(OutcomeStatus), default=OutcomeStatus.DRAFT
    )
    follow_up: Mapped[FollowUp] = mapped_column(str_enum(FollowUp), default=FollowUp.OPEN)
    due_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    outcome: Mapped[SessionOutcome] = relationship(back_populates="recommendations")
    owners: Mapped[list[Organization]] = relationship(
        secondary="recommendation_owners", order_by="Organization.name"
    )
    speakers: Mapped[list[Speaker]] = relationship(
        secondary="recommendation_speakers", order_by="Speaker.family_name"
    )
    organizations: Mapped[list[Organization]] = relationship(
        secondary="recommendation_organizations", order_by="Organization.name"
    )
    tags: Mapped[list[RecommendationTag]] = relationship(
        cascade="all, delete-orphan", order_by="RecommendationTag.name"
    )

    @property
    def is_published(self) -> bool:
        return self.status is OutcomeStatus.PUBLISHED


class RecommendationOwner(Model):
    """A government body that owns (acts on) a recommendation."""

    __tablename__ = "recommendation_owners"

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RecommendationSpeaker(Model):
    """A speaker of the agenda who made the recommendation."""

    __tablename__ = "recommendation_speakers"

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RecommendationOrganization(Model):
    """An organization of the event that made the recommendation."""

    __tablename__ = "recommendation_organizations"

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RecommendationTag(Model):
    """A free tag (lower-cased), e.g. a partnering topic."""

    __tablename__ = "recommendation_tags"

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(TAG_MAX), primary_key=True, index=True)


class RapporteurAssignment(Model):
    """A rapporteur account writes the outcomes of one event (session NULL) or one session."""

    __tablename__ = "rapporteur_assignments"
    __table_args__ = (
        UniqueConstraint("account_id", "event_id", "session_id", name="uq_rapporteur_assignments"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_sessions.id", ondelete="CASCADE"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    account: Mapped[Account] = relationship()
    event: Mapped[Event] = relationship()
    session: Mapped[AgendaSession | None] = relationship()
