"""Event teams: the one rule of who acts on which event, and the admins' changes to teams.

The rule (`can_act_on`): an admin acts on every event; any other staff account (organizer,
door staff) acts only on the events whose team it is in. Role decides *what* an account may
do, the team *where*. Lists use `event_clause`, the same rule as a WHERE clause. Speakers,
organizations and venues belong to no one event: `may_change_shared` applies the same rule
to every event that uses one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Select,
    exists,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import selectinload

from eventapp.models import (
    Account,
    AgendaSession,
    Event,
    Organization,
    Participant,
    Role,
    Speaker,
    TeamMember,
    Venue,
    db,
)
from eventapp.services.accounts import record
from eventapp.services.agenda import events_of_organization, events_of_speaker


def sees_every_event(account: Account) -> bool:
    """Admins are in every event's team without being added."""
    return account.role is Role.ADMIN


def can_act_on(account: Account, event: Event | int) -> bool:
    """May `account` act on `event` (an Event or its id)? Admins always; others in its team."""
    if sees_every_event(account):
        return True
    event_id = event if isinstance(event, int) else event.id
    return bool(
        db.session.scalar(
            select(
                exists().where(TeamMember.account_id == account.id, TeamMember.event_id == event_id)
            )
        )
    )


def event_clause(account: Account, event_id: Any = None) -> ColumnElement:
    """`can_act_on` as a WHERE clause over `event_id` (default `Event.id`), for lists."""
    if sees_every_event(account):
        return true()
    column = Event.id if event_id is None else event_id
    return column.in_(select(TeamMember.event_id).where(TeamMember.account_id == account.id))


def may_change_shared(account: Account, entry: Speaker | Organization | Venue) -> bool:
    """May `account` change (edit, delete, a photo) a speaker, organization or venue? (#15)

    These are shared by every event, and a change shows on each event that uses the entry
    (its agenda, calendars, badges). So an admin changes any; another account only one that
    no event outside its teams uses: unused (just added, say), or used by its events alone.
    Linking another team's speaker to one's own session therefore does not open it.
    """
    if sees_every_event(account):
        return True
    using = _events_using(entry).subquery()
    mine = select(TeamMember.event_id).where(TeamMember.account_id == account.id)
    foreign = select(literal(1)).select_from(using).where(using.c[0].not_in(mine)).exists()
    return not db.session.scalar(select(foreign))


def _events_using(entry: Speaker | Organization | Venue) -> Select[Any]:
    """The ids of the events that show `entry` (ids may repeat)."""
    if isinstance(entry, Speaker):
        return events_of_speaker(entry.id)
    if isinstance(entry, Organization):
        # Hosts and speakers' sessions, and the delegates of partnering.
        # (Flat: SQLite refuses a UNION nested in parentheses.)
        delegates = select(Participant.event_id).where(Participant.organization_id == entry.id)
        return union_all(delegates, *events_of_organization(entry.id).selects)  # type: ignore[return-value]
    return select(Event.id).where(Event.venue_id == entry.id)


def may_scan_at(account_id: int, *, event_slug: str | None, session_id: int | None) -> bool:
    """`can_act_on` for a scan, by account id and in one query (the door loads no account).

    The door is the event `event_slug`, else the event of `session_id`; a scan naming
    neither takes the badge's own event, which only an admin may leave open. An unknown
    door is let through: the scan then answers "not found" and records nothing.
    """
    door: ScalarSelect[Any] | None
    if event_slug is not None:
        door = select(Event.id).where(Event.slug == event_slug).scalar_subquery()
    elif session_id is not None:
        door = (
            select(AgendaSession.event_id).where(AgendaSession.id == session_id).scalar_subquery()
        )
    else:
        door = None
    admin = exists().where(Account.id == account_id, Account.role == Role.ADMIN)
    if door is None:
        return bool(db.session.scalar(select(admin)))
    member = exists().where(TeamMember.account_id == account_id, TeamMember.event_id == door)
    return bool(db.session.scalar(select(or_(admin, door.is_(None), member))))


def events_of(account: Account) -> list[Event]:
    """The events whose team `account` is in (not every event for an admin), by date."""
    return list(
        db.session.scalars(
            select(Event)
            .join(TeamMember, TeamMember.event_id == Event.id)
            .where(TeamMember.account_id == account.id)
            .order_by(Event.starts_at, Event.id)
        )
    )


def teams_by_account(account_ids: Iterable[int]) -> dict[int, list[Event]]:
    """For the accounts page: each account's team events, in one query."""
    ids = list(account_ids)
    found: dict[int, list[Event]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.scalars(
        select(TeamMember)
        .where(TeamMember.account_id.in_(ids))
        .options(selectinload(TeamMember.event))
        .join(Event, Event.id == TeamMember.event_id)
        .order_by(Event.starts_at, Event.id)
    )
    for member in rows:
        found[member.account_id].append(member.event)
    return found


def _add(account: Account, event: Event, by: Account | None) -> None:
    db.session.add(TeamMember(account_id=account.id, event_id=event.id))
    record(by, "team.add", account, {"email": account.email, "event": event.slug})


def set_events(account: Account, events: Iterable[Event], *, by: Account | None) -> Account:
    """Make `account`'s teams exactly `events`; each addition and removal is audited."""
    wanted = {event.id: event for event in events}
    current = {
        member.event_id: member
        for member in db.session.scalars(
            select(TeamMember)
            .where(TeamMember.account_id == account.id)
            .options(selectinload(TeamMember.event))
        )
    }
    for event_id, member in current.items():
        if event_id not in wanted:
            record(by, "team.remove", account, {"email": account.email, "event": member.event.slug})
            db.session.delete(member)
    for event_id, event in wanted.items():
        if event_id not in current:
            _add(account, event, by)
    db.session.commit()
    return account


def add_to_events(account: Account, events: Iterable[Event], *, by: Account | None) -> Account:
    """Put `account` in the teams of `events` as well (those it is in already are kept)."""
    return set_events(account, [*events_of(account), *events], by=by)


def join_new_event(event: Event, *, by: Account | None) -> None:
    """An organizer who creates an event is in its team (the caller commits and audits
    the creation, which says who)."""
    if by is not None and not can_act_on(by, event):
        db.session.add(TeamMember(account_id=by.id, event_id=event.id))
