"""The `[partnering]` table of a seed file: settings, tags, sessions, and demo delegates.

Read by the seed loader (services/seeding) after the rest of the document is written, in
its transaction; it adds what does not exist yet (tags by key, organizations by key,
delegates by email, sessions by name) and flushes only: the loader commits. Problems raise
SeedError naming the key path.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from eventapp.errors import SeedError
from eventapp.models import (
    Event,
    Organization,
    OrganizationKind,
    OrganizationTag,
    Participant,
    PartneringSession,
    PartneringSettings,
    PartneringSlot,
    PartneringTable,
    PartneringTag,
    Registration,
    Room,
    TagDirection,
    db,
)
from eventapp.names import default_order
from eventapp.services.partnering.meetings import slot_times


def _need(table: Mapping[str, Any], key: str, path: str, kind: type = str) -> Any:
    value = table.get(key)
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise SeedError(f"{path}.{key}: expected {kind.__name__}, got {value!r}")
    return value


def _local(value: Any, zone: ZoneInfo, path: str) -> datetime:
    if not isinstance(value, datetime):
        raise SeedError(f"{path}: expected a local date-time, got {value!r}")
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def load(data: Mapping[str, Any], *, source: str) -> dict[str, int]:
    """Write the `[partnering]` table; returns how many rows of each kind were created."""
    created = {"tags": 0, "organizations": 0, "delegates": 0, "sessions": 0}
    slug = _need(data, "event", f"{source}: partnering")
    event = db.session.scalar(db.select(Event).where(Event.slug == slug))
    if event is None:
        raise SeedError(f"{source}: partnering.event: unknown event {slug!r}")
    zone = ZoneInfo(event.timezone)
    settings = db.session.get(PartneringSettings, event.id)
    if settings is None:
        settings = PartneringSettings(event_id=event.id)
        db.session.add(settings)
        settings.enabled = bool(data.get("enabled", True))
        settings.request_limit = int(data.get("request_limit", 12))
        settings.needs_acceptance = bool(data.get("needs_acceptance", True))
        settings.cross_country_first = bool(data.get("cross_country_first", False))
    tags: dict[str, PartneringTag] = {
        t.key: t
        for t in db.session.scalars(
            db.select(PartneringTag).where(PartneringTag.event_id == event.id)
        )
    }
    for i, row in enumerate(data.get("tags", [])):
        path = f"{source}: partnering.tags[{i}]"
        key = _need(row, "key", path)
        if key not in tags:
            tags[key] = PartneringTag(
                event_id=event.id,
                key=key,
                name=_need(row, "name", path),
                name_ko=row.get("name_ko"),
                position=i,
            )
            db.session.add(tags[key])
            created["tags"] += 1
    db.session.flush()
    for i, row in enumerate(data.get("organizations", [])):
        path = f"{source}: partnering.organizations[{i}]"
        key = _need(row, "key", path)
        organization = db.session.scalar(db.select(Organization).where(Organization.key == key))
        if organization is None:
            organization = Organization(
                key=key,
                name=_need(row, "name", path),
                name_ko=row.get("name_ko"),
                country=row.get("country"),
                website=row.get("website"),
                description=row.get("description"),
                description_ko=row.get("description_ko"),
                kind=OrganizationKind.COMPANY,
            )
            db.session.add(organization)
            db.session.flush()
            for direction in TagDirection:
                for tag_key in row.get(direction.value, []):
                    if tag_key not in tags:
                        raise SeedError(f"{path}.{direction.value}: unknown tag {tag_key!r}")
                    db.session.add(
                        OrganizationTag(
                            organization_id=organization.id,
                            tag_id=tags[tag_key].id,
                            direction=direction,
                        )
                    )
            created["organizations"] += 1
        for j, person in enumerate(row.get("delegates", [])):
            where = f"{path}.delegates[{j}]"
            email = _need(person, "email", where).strip().lower()
            found = db.session.scalar(
                db.select(Registration).where(
                    Registration.event_id == event.id, Registration.email == email
                )
            )
            if found is None:
                found = Registration(
                    event_id=event.id,
                    email=email,
                    given_name=_need(person, "given_name", where),
                    family_name=person.get("family_name", ""),
                    name_alt=person.get("name_alt"),
                    name_order=default_order(person.get("name_alt"), organization.country),
                    organization_name=organization.name,
                    country=organization.country,
                    locale=person.get("locale", "en"),
                )
                db.session.add(found)
                db.session.flush()
            if (
                db.session.scalar(
                    db.select(Participant.id).where(Participant.registration_id == found.id)
                )
                is None
            ):
                db.session.add(
                    Participant(
                        event_id=event.id,
                        registration_id=found.id,
                        organization_id=organization.id,
                        role_line=person.get("role"),
                        discuss=person.get("discuss"),
                    )
                )
                if organization.created_by_registration_id is None:
                    organization.created_by_registration_id = found.id
                created["delegates"] += 1
    for i, row in enumerate(data.get("sessions", [])):
        path = f"{source}: partnering.sessions[{i}]"
        name = _need(row, "name", path)
        exists = db.session.scalar(
            db.select(PartneringSession.id).where(
                PartneringSession.event_id == event.id, PartneringSession.name == name
            )
        )
        if exists:
            continue
        room = None
        if row.get("room"):
            room = db.session.scalar(
                db.select(Room).where(Room.event_id == event.id, Room.name == row["room"])
            )
        session = PartneringSession(
            event_id=event.id,
            name=name,
            name_ko=row.get("name_ko"),
            starts_at=_local(row.get("starts_at"), zone, f"{path}.starts_at"),
            ends_at=_local(row.get("ends_at"), zone, f"{path}.ends_at"),
            meeting_minutes=int(row.get("meeting_minutes", 20)),
            break_minutes=int(row.get("break_minutes", 5)),
            room=room,
        )
        session.slots = [
            PartneringSlot(index=n, starts_at=start, ends_at=end)
            for n, (start, end) in enumerate(slot_times(session))
        ]
        session.tables = [
            PartneringTable(name=str(n + 1), position=n) for n in range(int(row.get("tables", 10)))
        ]
        db.session.add(session)
        created["sessions"] += 1
    db.session.flush()
    return created
