"""Who hosts an event: host, co-organizer, sponsor or partner organizations, in order."""

from __future__ import annotations

from dataclasses import dataclass

from eventapp.errors import DuplicateName, InvalidInput
from eventapp.models import Account, Event, EventHost, HostRole, Organization, db
from eventapp.services.accounts import record
from eventapp.services.agenda import mark_agendas_changed
from eventapp.services.setup.keys import commit_unique


@dataclass(frozen=True, slots=True)
class HostData:
    organization_id: int
    role: HostRole = HostRole.HOST
    #: Order on the event's page, smallest first.
    position: int = 0


def add_host(event: Event, data: HostData, *, by: Account | None) -> EventHost:
    """Add an organization to the event's hosts. Raises InvalidInput or DuplicateName."""
    _check(event, data, own_id=None)
    host = EventHost(
        event=event,
        organization_id=data.organization_id,
        role=data.role,
        position=data.position,
    )
    db.session.add(host)
    db.session.flush()
    record(by, "event.host_add", event, _details(data))
    _commit(event)
    return host


def update_host(host: EventHost, data: HostData, *, by: Account | None) -> EventHost:
    """Change a host's organization, role or order. Raises InvalidInput or DuplicateName."""
    _check(host.event, data, own_id=host.id)
    host.organization_id = data.organization_id
    host.role = data.role
    host.position = data.position
    db.session.expire(host, ["organization"])  # a new id does not replace a loaded object
    record(by, "event.host_update", host.event, _details(data))
    _commit(host.event)
    return host


def remove_host(host: EventHost, *, by: Account | None) -> None:
    """Take an organization off the event's hosts (the organization stays)."""
    event = host.event
    record(by, "event.host_remove", event, {"organization_id": host.organization_id})
    db.session.delete(host)
    _commit(event)


def _check(event: Event, data: HostData, *, own_id: int | None) -> None:
    if db.session.get(Organization, data.organization_id) is None:
        raise InvalidInput("choose an existing organization", field="organization_id")
    clash = db.session.scalar(
        db.select(EventHost.id).where(
            EventHost.event_id == event.id,
            EventHost.organization_id == data.organization_id,
            EventHost.id != (own_id or 0),
        )
    )
    if clash is not None:
        raise DuplicateName("that organization is already listed", field="organization_id")


def _details(data: HostData) -> dict[str, object]:
    return {"organization_id": data.organization_id, "role": data.role.value}


def _commit(event: Event) -> None:
    """Commit, the event's pages marked changed; a concurrent duplicate is DuplicateName."""
    mark_agendas_changed([event.id])
    commit_unique("organization_id", "that organization is already listed")
