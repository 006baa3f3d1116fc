"""What outcomes are shown outside the editing pages: published ones only.

The one rule (`is_public`): a recommendation leaves the editing pages (public page, report,
follow-up list, CSV, email) only when it, its session's outcome and its session are
published. Drafts never reach a page, feed or export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import selectinload

from eventapp.models import (
    Account,
    AgendaSession,
    Event,
    FollowUp,
    Organization,
    OutcomeStatus,
    Recommendation,
    RecommendationOwner,
    SessionOutcome,
    db,
)
from eventapp.services.accounts import teams


def is_public() -> ColumnElement[bool]:
    """SQL condition on Recommendation ⋈ SessionOutcome ⋈ AgendaSession."""
    return and_(
        Recommendation.status == OutcomeStatus.PUBLISHED,
        SessionOutcome.status == OutcomeStatus.PUBLISHED,
        AgendaSession.is_published,
    )


@dataclass(frozen=True, slots=True)
class PublishedOutcome:
    session: AgendaSession
    outcome: SessionOutcome
    recommendations: list[Recommendation]


def _loads() -> tuple:
    return (
        selectinload(Recommendation.owners),
        selectinload(Recommendation.speakers),
        selectinload(Recommendation.organizations),
        selectinload(Recommendation.tags),
    )


def published_outcomes(event: Event) -> list[PublishedOutcome]:
    """The published outcomes of `event`'s published sessions, in agenda order, each with
    its published recommendations."""
    outcomes = db.session.execute(
        select(AgendaSession, SessionOutcome)
        .join(SessionOutcome, SessionOutcome.session_id == AgendaSession.id)
        .where(
            AgendaSession.event_id == event.id,
            AgendaSession.is_published,
            SessionOutcome.status == OutcomeStatus.PUBLISHED,
        )
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).all()
    if not outcomes:
        return []
    recommendations = db.session.scalars(
        select(Recommendation)
        .where(
            Recommendation.outcome_id.in_([outcome.id for _, outcome in outcomes]),
            Recommendation.status == OutcomeStatus.PUBLISHED,
        )
        .options(*_loads())
        .order_by(Recommendation.number)
    ).all()
    by_outcome: dict[int, list[Recommendation]] = {}
    for recommendation in recommendations:
        by_outcome.setdefault(recommendation.outcome_id, []).append(recommendation)
    return [
        PublishedOutcome(session, outcome, by_outcome.get(outcome.id, []))
        for session, outcome in outcomes
    ]


@dataclass(frozen=True, slots=True)
class FollowUpFilter:
    owner_id: int | None = None
    state: FollowUp | None = None
    #: Only those due on or before this date.
    due_by: date | None = None
    event_id: int | None = None


def follow_up_statement(account: Account, chosen: FollowUpFilter) -> Select:
    """Published recommendations of the events `account` acts on, by due date then event,
    session and number; filtered by owner, state, due date and event."""
    statement = (
        select(Recommendation)
        .join(SessionOutcome, SessionOutcome.id == Recommendation.outcome_id)
        .join(AgendaSession, AgendaSession.id == SessionOutcome.session_id)
        .join(Event, Event.id == AgendaSession.event_id)
        .where(is_public(), teams.event_clause(account, AgendaSession.event_id))
        .options(
            *_loads(),
            selectinload(Recommendation.outcome)
            .selectinload(SessionOutcome.session)
            .selectinload(AgendaSession.event),
        )
        .order_by(
            Recommendation.due_on.is_(None),
            Recommendation.due_on,
            Event.starts_at,
            AgendaSession.starts_at,
            Recommendation.number,
        )
    )
    if chosen.owner_id is not None:
        statement = statement.where(
            Recommendation.id.in_(
                select(RecommendationOwner.recommendation_id).where(
                    RecommendationOwner.organization_id == chosen.owner_id
                )
            )
        )
    if chosen.state is not None:
        statement = statement.where(Recommendation.follow_up == chosen.state)
    if chosen.due_by is not None:
        statement = statement.where(Recommendation.due_on <= chosen.due_by)
    if chosen.event_id is not None:
        statement = statement.where(AgendaSession.event_id == chosen.event_id)
    return statement


def follow_up(account: Account, chosen: FollowUpFilter) -> list[Recommendation]:
    """`follow_up_statement`, run."""
    return list(db.session.scalars(follow_up_statement(account, chosen)))


def owners_in_use() -> list[Organization]:
    """The organizations that own at least one recommendation, by name."""
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.id.in_(select(RecommendationOwner.organization_id)))
            .order_by(Organization.name)
        )
    )
