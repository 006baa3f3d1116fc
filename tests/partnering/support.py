"""Builders for the partnering tests: an event with partnering on, participants, a session."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from eventapp.models import Event, Participant, PartneringSession
from eventapp.services.partnering import meetings, profiles
from eventapp.services.partnering.profiles import OrganizationDetails
from tests.factories import make_event, make_registration

TAGS = [
    ("launch", "Launch", "발사"),
    ("satellites", "Satellites", "위성"),
    ("ground-segment", "Ground segment", "지상국"),
    ("earth-observation", "Earth observation", "지구관측"),
]


def partnering_event(**settings: Any) -> Event:
    event = make_event()
    profiles.configure(event, by=None, enabled=True, **settings)
    for key, name, name_ko in TAGS:
        profiles.save_tag(event, key=key, name=name, name_ko=name_ko, by=None)
    return event


def participant(
    event: Event,
    org: str = "Example Orbital",
    country: str = "US",
    *,
    organization_id: int | None = None,
    offers: tuple[str, ...] = (),
    seeks: tuple[str, ...] = (),
    **registration: Any,
) -> Participant:
    person = make_registration(event, **registration)
    if organization_id is not None:
        return profiles.opt_in(person, organization_id=organization_id, role_line="Engineer")
    created = profiles.opt_in(
        person,
        new_organization=OrganizationDetails(name=org, country=country),
        role_line="Director",
        discuss="Partners",
    )
    if offers or seeks:
        profiles.update_organization(
            event,
            created.organization,
            OrganizationDetails(name=org, country=country),
            offers=offers,
            seeks=seeks,
            participant=created,
        )
    return created


def session(event: Event, tables: int = 2, **overrides: Any) -> PartneringSession:
    starts = overrides.pop("starts_at", event.starts_at + timedelta(hours=5))
    return meetings.add_session(
        event,
        name="Partnering",
        starts_at=starts,
        ends_at=overrides.pop("ends_at", starts + timedelta(minutes=75)),
        tables=tables,
        **overrides,
    )
