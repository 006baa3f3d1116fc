"""The partnering directory: organizations with their delegates, best counterparts first.

The score of an organization for a viewer is how many tags it offers that the viewer's
organization seeks plus how many it seeks that the viewer's offers; each counts as one
reason ("offers launch, which you seek"). With `cross_country_first`, organizations of
another country than the viewer's come before those of the same country.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import contains_eager, selectinload

from eventapp.models import (
    Event,
    Organization,
    OrganizationTag,
    Participant,
    PartneringTag,
    Registration,
    TagDirection,
    db,
)
from eventapp.services.partnering.profiles import settings_for


@dataclass(frozen=True, slots=True)
class Reason:
    """One match: the organization `direction`s `tag` (offers what you seek, or seeks
    what you offer)."""

    direction: TagDirection
    tag: PartneringTag

    def text(self, locale: str) -> str:
        from flask_babel import gettext

        label = self.tag.label(locale)
        if self.direction is TagDirection.OFFERS:
            return gettext("offers %(tag)s, which you seek", tag=label)
        return gettext("seeks %(tag)s, which you offer", tag=label)


@dataclass(slots=True)
class Entry:
    organization: Organization
    delegates: list[Participant]
    offers: list[PartneringTag] = field(default_factory=list)
    seeks: list[PartneringTag] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    cross_country: bool = False

    @property
    def score(self) -> int:
        return len(self.reasons)


@dataclass(frozen=True, slots=True)
class Filters:
    country: str | None = None
    #: A tag key, with `direction` (offers / seeks; either when None).
    tag: str | None = None
    direction: TagDirection | None = None
    text: str | None = None


def directory(
    event: Event, viewer: Participant | None, filters: Filters = Filters()
) -> list[Entry]:
    """Every organization with an opted-in (not withdrawn) delegate, filtered, best first.
    The viewer's own organization is left out; an organizer (no viewer) sees all, by name."""
    delegates = db.session.scalars(
        db.select(Participant)
        .join(Registration, Registration.id == Participant.registration_id)
        .where(Participant.event_id == event.id, Participant.withdrawn.is_(False))
        .order_by(Registration.family_name, Registration.given_name)
        # One statement for the people and one for their organizations, whatever their
        # number (it was two more per delegate).
        .options(contains_eager(Participant.registration), selectinload(Participant.organization))
    ).all()
    entries: dict[int, Entry] = {}
    for person in delegates:
        entry = entries.setdefault(
            person.organization_id, Entry(organization=person.organization, delegates=[])
        )
        entry.delegates.append(person)
    tag_rows = db.session.execute(
        db.select(OrganizationTag.organization_id, OrganizationTag.direction, PartneringTag)
        .join(PartneringTag, PartneringTag.id == OrganizationTag.tag_id)
        .where(PartneringTag.event_id == event.id)
        .order_by(PartneringTag.position, PartneringTag.id)
    ).all()
    mine: dict[TagDirection, set[int]] = {d: set() for d in TagDirection}
    viewer_org = viewer.organization_id if viewer else None
    for org_id, direction, tag in tag_rows:
        if org_id == viewer_org:
            mine[direction].add(tag.id)
        listed = entries.get(org_id)
        if listed is not None:
            (listed.offers if direction is TagDirection.OFFERS else listed.seeks).append(tag)
    entries.pop(viewer_org, None)  # type: ignore[arg-type]
    viewer_country = viewer.organization.country if viewer else None
    for entry in entries.values():
        entry.reasons = [
            Reason(TagDirection.OFFERS, t) for t in entry.offers if t.id in mine[TagDirection.SEEKS]
        ] + [
            Reason(TagDirection.SEEKS, t) for t in entry.seeks if t.id in mine[TagDirection.OFFERS]
        ]
        entry.cross_country = bool(
            viewer_country
            and entry.organization.country
            and entry.organization.country != viewer_country
        )
    found = [entry for entry in entries.values() if _matches(entry, filters)]
    cross_first = viewer is not None and settings_for(event).cross_country_first
    found.sort(
        key=lambda e: (
            0 if (e.cross_country or not cross_first) else 1,
            -e.score,
            e.organization.name.casefold(),
        )
    )
    return found


def _matches(entry: Entry, filters: Filters) -> bool:
    organization = entry.organization
    if filters.country and (organization.country or "") != filters.country.upper():
        return False
    if filters.tag:
        pools = {
            TagDirection.OFFERS: entry.offers,
            TagDirection.SEEKS: entry.seeks,
        }
        chosen = [pools[filters.direction]] if filters.direction else list(pools.values())
        if not any(tag.key == filters.tag for pool in chosen for tag in pool):
            return False
    if filters.text:
        needle = filters.text.strip().casefold()
        haystack = " ".join(
            filter(
                None,
                [
                    organization.name,
                    organization.name_ko,
                    organization.description,
                    organization.description_ko,
                    *(p.registration.name for p in entry.delegates),
                    *(p.registration.name_alt for p in entry.delegates),
                    *(p.role_line for p in entry.delegates),
                    *(p.discuss for p in entry.delegates),
                    *(t.name for t in entry.offers + entry.seeks),
                    *(t.name_ko for t in entry.offers + entry.seeks),
                ],
            )
        ).casefold()
        if needle and needle not in haystack:
            return False
    return True
