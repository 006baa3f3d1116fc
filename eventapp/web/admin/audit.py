"""The audit log: who changed what, when. Admins only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import render_template, url_for

from eventapp.models import (
    Account,
    AgendaSession,
    AuditEntry,
    Event,
    EventHost,
    Organization,
    Registration,
    Role,
    Room,
    Speaker,
    Track,
    Venue,
    db,
)
from eventapp.services import accounts
from eventapp.web.access import role_required
from eventapp.web.admin import bp, paginate, text_arg
from eventapp.web.templating import person_name


@dataclass(frozen=True, slots=True)
class Target:
    """What an audit entry changed, named for people, with its page where it still exists."""

    name: str
    url: str | None


def _event_child(kind: str) -> Callable[[Any], str]:
    return lambda row: url_for("admin.place_edit", slug=row.event.slug, kind=kind, item_id=row.id)


#: table → (model, name of a row, its back-office page).
_TARGETS: dict[str, tuple[Any, Callable[[Any], str], Callable[[Any], str]]] = {
    "events": (Event, lambda e: e.title, lambda e: url_for("admin.event_dashboard", slug=e.slug)),
    "agenda_sessions": (
        AgendaSession,
        lambda s: s.title,
        lambda s: url_for("admin.session_edit", slug=s.event.slug, session_id=s.id),
    ),
    "registrations": (
        Registration,
        person_name,
        lambda r: url_for("admin.registrant_edit", slug=r.event.slug, registration_id=r.id),
    ),
    "speakers": (Speaker, person_name, lambda s: url_for("admin.speaker_edit", speaker_id=s.id)),
    "organizations": (
        Organization,
        lambda o: o.name,
        lambda o: url_for("admin.organization_edit", organization_id=o.id),
    ),
    "venues": (Venue, lambda v: v.name, lambda v: url_for("admin.venue_edit", venue_id=v.id)),
    "accounts": (
        Account,
        lambda a: a.email,
        lambda a: url_for("admin.account_events", account_id=a.id),
    ),
    "rooms": (Room, lambda r: r.name, _event_child("rooms")),
    "tracks": (Track, lambda t: t.name, _event_child("tracks")),
    "event_hosts": (
        EventHost,
        lambda h: h.organization.name,
        lambda h: url_for("admin.host_edit", slug=h.event.slug, host_id=h.id),
    ),
}


def audit_targets(entries: Sequence[AuditEntry]) -> dict[str, Target]:
    """The targets of a page of entries, one query per kind of target. A deleted row keeps
    its raw reference ("speakers:12"), without a link."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        table, _, key = (entry.target or "").partition(":")
        if table in _TARGETS and key.isdigit():
            wanted[table].add(int(key))
    found: dict[str, Target] = {}
    for table, ids in wanted.items():
        model, name, page = _TARGETS[table]
        for row in db.session.scalars(db.select(model).where(model.id.in_(ids))):
            found[f"{table}:{row.id}"] = Target(name(row), page(row))
    return found


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit_log() -> Any:
    action = text_arg("action", 80)
    page = paginate(accounts.audit_statement(action))
    return render_template(
        "admin/audit.html", page=page, action=action, targets=audit_targets(page.items)
    )
