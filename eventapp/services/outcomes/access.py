"""Who writes which outcomes: organizers (and admins) on their teams' events, rapporteurs on
the events or sessions an organizer assigned them.

The team rule of `teams.can_act_on` decides for organizers; for a rapporteur the
assignments are its team: an event assignment covers every session of the event, a session
assignment that session only. Nothing here grants a rapporteur anything outside outcomes:
every other staff page asks for the organizer or check-in role, which it does not include.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from eventapp.errors import InvalidInput, NotAllowed
from eventapp.models import (
    Account,
    AgendaSession,
    Event,
    RapporteurAssignment,
    Role,
    db,
)
from eventapp.services.accounts import normalize_email, record, teams


def is_organizing(account: Account) -> bool:
    """Organizers and admins publish, assign rapporteurs and run follow-up."""
    return account.has_role(Role.ORGANIZER)


def may_open_event(account: Account, event: Event) -> bool:
    """May `account` see the outcomes pages of `event` at all?"""
    if is_organizing(account):
        return teams.can_act_on(account, event)
    if account.role is not Role.RAPPORTEUR:
        return False
    return (
        db.session.scalar(
            select(RapporteurAssignment.id)
            .where(
                RapporteurAssignment.account_id == account.id,
                RapporteurAssignment.event_id == event.id,
            )
            .limit(1)
        )
        is not None
    )


def may_edit_session(account: Account, session: AgendaSession) -> bool:
    """May `account` write the outcome of `session`?"""
    if is_organizing(account):
        return teams.can_act_on(account, session.event_id)
    if account.role is not Role.RAPPORTEUR:
        return False
    return (
        db.session.scalar(
            select(RapporteurAssignment.id)
            .where(
                RapporteurAssignment.account_id == account.id,
                RapporteurAssignment.event_id == session.event_id,
                or_(
                    RapporteurAssignment.session_id.is_(None),
                    RapporteurAssignment.session_id == session.id,
                ),
            )
            .limit(1)
        )
        is not None
    )


def editable_sessions(account: Account, event: Event) -> list[AgendaSession]:
    """The sessions of `event` whose outcomes `account` writes, in agenda order."""
    statement = (
        select(AgendaSession)
        .where(AgendaSession.event_id == event.id)
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    )
    if not is_organizing(account):
        assigned = select(RapporteurAssignment).where(
            RapporteurAssignment.account_id == account.id,
            RapporteurAssignment.event_id == event.id,
        )
        rows = list(db.session.scalars(assigned))
        if not any(row.session_id is None for row in rows):
            statement = statement.where(AgendaSession.id.in_([row.session_id for row in rows]))
    return list(db.session.scalars(statement))


def events_for(account: Account) -> list[Event]:
    """The events whose outcomes `account` works on, by date."""
    statement = select(Event).order_by(Event.starts_at, Event.id)
    if is_organizing(account):
        statement = statement.where(teams.event_clause(account))
    else:
        statement = statement.where(
            Event.id.in_(
                select(RapporteurAssignment.event_id).where(
                    RapporteurAssignment.account_id == account.id
                )
            )
        )
    return list(db.session.scalars(statement))


def assignments(event: Event) -> list[RapporteurAssignment]:
    """The rapporteurs of `event`, with their sessions."""
    return list(
        db.session.scalars(
            select(RapporteurAssignment)
            .where(RapporteurAssignment.event_id == event.id)
            .options(
                selectinload(RapporteurAssignment.account),
                selectinload(RapporteurAssignment.session),
            )
            .order_by(RapporteurAssignment.id)
        )
    )


def assign_rapporteur(
    event: Event, email: str, *, session: AgendaSession | None = None, by: Account
) -> RapporteurAssignment:
    """Let the rapporteur account `email` write the outcomes of `event` (or of `session`).

    Raises NotAllowed unless `by` organizes the event; InvalidInput (field `email`) when
    no rapporteur account has that email; an existing assignment is returned unchanged.
    """
    if not (is_organizing(by) and teams.can_act_on(by, event)):
        raise NotAllowed("only the event's organizers assign rapporteurs")
    if session is not None and session.event_id != event.id:
        raise InvalidInput("that session is not on this event's agenda", field="session_id")
    account = db.session.scalar(select(Account).where(Account.email == normalize_email(email)))
    if account is None or account.role is not Role.RAPPORTEUR:
        raise InvalidInput(
            "there is no rapporteur account with that email (an admin creates it)",
            field="email",
        )
    session_id = session.id if session is not None else None
    existing = db.session.scalar(
        select(RapporteurAssignment).where(
            RapporteurAssignment.account_id == account.id,
            RapporteurAssignment.event_id == event.id,
            RapporteurAssignment.session_id.is_(None)
            if session_id is None
            else RapporteurAssignment.session_id == session_id,
        )
    )
    if existing is not None:
        return existing
    assignment = RapporteurAssignment(account=account, event=event, session_id=session_id)
    db.session.add(assignment)
    db.session.flush()
    record(
        by,
        "rapporteur.assign",
        assignment,
        {"email": account.email, "event": event.slug, "session": session_id},
    )
    db.session.commit()
    return assignment


def remove_assignment(assignment: RapporteurAssignment, *, by: Account) -> None:
    """End one rapporteur assignment (audited)."""
    if not (is_organizing(by) and teams.can_act_on(by, assignment.event_id)):
        raise NotAllowed("only the event's organizers remove rapporteurs")
    record(
        by,
        "rapporteur.remove",
        assignment,
        {"email": assignment.account.email, "session": assignment.session_id},
    )
    db.session.delete(assignment)
    db.session.commit()
