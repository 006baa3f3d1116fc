"""Partnering settings, tags, opting in and out, and organization profiles.

Every public function here commits once (or raises and changes nothing).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext

from eventapp.errors import NotAllowed, PartneringRefused
from eventapp.models import (
    Account,
    Event,
    MeetingRequest,
    MeetingStatus,
    Organization,
    OrganizationKind,
    OrganizationTag,
    Participant,
    PartneringSettings,
    PartneringTag,
    Registration,
    RegistrationStatus,
    RequestStatus,
    TagDirection,
    db,
    utcnow,
)
from eventapp.models.partnering import DISCUSS_MAX
from eventapp.services import mail
from eventapp.services.accounts import record
from eventapp.services.setup.keys import KEY_RULE, is_key

#: Longest organization description (each language).
DESCRIPTION_MAX = 2000


def settings_for(event: Event) -> PartneringSettings:
    """The event's settings; an unsaved default (partnering off) when it has none."""
    found = db.session.get(PartneringSettings, event.id)
    return found or PartneringSettings(
        event_id=event.id,
        enabled=False,
        request_limit=12,
        needs_acceptance=True,
        cross_country_first=False,
        plan_revision=0,
    )


def configure(
    event: Event,
    *,
    by: Account | None,
    enabled: bool,
    requests_open_at: datetime | None = None,
    requests_close_at: datetime | None = None,
    request_limit: int = 12,
    needs_acceptance: bool = True,
    cross_country_first: bool = False,
) -> PartneringSettings:
    """Switch partnering on or off and set its window and rules."""
    if request_limit < 0 or request_limit > 200:
        raise PartneringRefused("invalid_limit", "The request limit must be from 0 to 200.")
    if requests_open_at and requests_close_at and requests_close_at <= requests_open_at:
        raise PartneringRefused("invalid_window", "Requests must close after they open.")
    settings = db.session.get(PartneringSettings, event.id)
    if settings is None:
        settings = PartneringSettings(event_id=event.id)
        db.session.add(settings)
    settings.enabled = enabled
    settings.requests_open_at = requests_open_at
    settings.requests_close_at = requests_close_at
    settings.request_limit = request_limit
    settings.needs_acceptance = needs_acceptance
    settings.cross_country_first = cross_country_first
    record(by, "partnering.settings", event, {"enabled": enabled, "limit": request_limit})
    db.session.commit()
    return settings


def tags_of(event: Event) -> list[PartneringTag]:
    return list(
        db.session.scalars(
            db.select(PartneringTag)
            .where(PartneringTag.event_id == event.id)
            .order_by(PartneringTag.position, PartneringTag.id)
        )
    )


def save_tag(
    event: Event, *, key: str, name: str, name_ko: str | None, by: Account | None
) -> PartneringTag:
    """Add the tag `key` to the event, or rename it."""
    key, name = key.strip().lower(), name.strip()
    if not is_key(key) or not name or len(name) > 120 or len(name_ko or "") > 120:
        raise PartneringRefused(
            "invalid_tag", f"A tag needs a key ({KEY_RULE}) and a name (120 characters)."
        )
    tag = db.session.scalar(
        db.select(PartneringTag).where(PartneringTag.event_id == event.id, PartneringTag.key == key)
    )
    if tag is None:
        tag = PartneringTag(event_id=event.id, key=key, position=len(tags_of(event)))
        db.session.add(tag)
    tag.name, tag.name_ko = name, (name_ko or "").strip() or None
    db.session.flush()
    record(by, "partnering.tag", tag, {"key": key})
    db.session.commit()
    return tag


def participant_for(registration: Registration) -> Participant | None:
    return db.session.scalar(
        db.select(Participant).where(Participant.registration_id == registration.id)
    )


@dataclass(frozen=True, slots=True)
class OrganizationDetails:
    """What a participant or organizer writes on an organization's profile."""

    name: str
    name_ko: str | None = None
    country: str | None = None
    website: str | None = None
    description: str | None = None
    description_ko: str | None = None


def _check_details(details: OrganizationDetails) -> None:
    if not details.name.strip() or len(details.name) > 200 or len(details.name_ko or "") > 200:
        raise PartneringRefused("invalid_name", "The organization needs a name (200 characters).")
    if details.country and (len(details.country) != 2 or not details.country.isalpha()):
        raise PartneringRefused("invalid_country", "The country is a two-letter code, e.g. KR.")
    if details.website and (
        len(details.website) > 300 or not details.website.startswith(("https://", "http://"))
    ):
        raise PartneringRefused("invalid_website", "The website starts with https://.")
    for text in (details.description, details.description_ko):
        if text and len(text) > DESCRIPTION_MAX:
            raise PartneringRefused(
                "description_too_long", "The description is too long (2000 characters)."
            )


def _apply(organization: Organization, details: OrganizationDetails) -> None:
    organization.name = details.name.strip()
    organization.name_ko = (details.name_ko or "").strip() or None
    organization.country = (details.country or "").strip().upper() or None
    organization.website = (details.website or "").strip() or None
    organization.description = (details.description or "").strip() or None
    organization.description_ko = (details.description_ko or "").strip() or None


def _check_person(role_line: str | None, discuss: str | None) -> None:
    if role_line and len(role_line) > 200:
        raise PartneringRefused("role_too_long", "The role line is too long (200 characters).")
    if discuss and len(discuss) > DISCUSS_MAX:
        raise PartneringRefused(
            "discuss_too_long", "What you want to discuss is too long (1000 characters)."
        )


def opt_in(
    registration: Registration,
    *,
    organization_id: int | None = None,
    new_organization: OrganizationDetails | None = None,
    role_line: str | None = None,
    discuss: str | None = None,
    now: datetime | None = None,
) -> Participant:
    """Take part in the event's partnering as a delegate of an existing organization (one
    already taking part in this event, or any by id) or of a new one the person creates
    (and may then edit). Opting in again after withdrawing returns to the directory."""
    settings = settings_for(registration.event)
    if not settings.enabled:
        raise PartneringRefused("partnering_off", "Partnering is not open for this event.")
    if registration.status is not RegistrationStatus.CONFIRMED:
        raise PartneringRefused("not_confirmed", "Only confirmed registrants can take part.")
    _check_person(role_line, discuss)
    if new_organization is not None:
        _check_details(new_organization)
        organization = Organization(
            key=f"p-{secrets.token_hex(8)}",
            kind=OrganizationKind.COMPANY,
            created_by_registration_id=registration.id,
        )
        _apply(organization, new_organization)
        db.session.add(organization)
    else:
        found = db.session.get(Organization, organization_id) if organization_id else None
        if found is None:
            raise PartneringRefused("unknown_organization", "Choose or create an organization.")
        organization = found
    participant = participant_for(registration)
    if participant is None:
        participant = Participant(event_id=registration.event_id, registration=registration)
        db.session.add(participant)
    participant.organization = organization
    participant.role_line = (role_line or "").strip() or None
    participant.discuss = (discuss or "").strip() or None
    participant.withdrawn, participant.withdrawn_at = False, None
    db.session.flush()
    record(None, "partnering.opt_in", participant, {"registration": registration.id})
    db.session.commit()
    return participant


def update_person(participant: Participant, *, role_line: str | None, discuss: str | None) -> None:
    _check_person(role_line, discuss)
    participant.role_line = (role_line or "").strip() or None
    participant.discuss = (discuss or "").strip() or None
    record(None, "partnering.person", participant, None)
    db.session.commit()


def can_edit(organization: Organization, participant: Participant | None) -> bool:
    """The participant who created the profile may edit it (organizers always may)."""
    return (
        participant is not None
        and not participant.withdrawn
        and organization.created_by_registration_id == participant.registration_id
    )


def update_organization(
    event: Event,
    organization: Organization,
    details: OrganizationDetails,
    *,
    offers: Iterable[str],
    seeks: Iterable[str],
    participant: Participant | None = None,
    by: Account | None = None,
    organizer: bool = False,
) -> Organization:
    """Edit a profile and the event's tags it offers and seeks (tag keys). `participant`:
    the person editing from their page (must be the creator); `by` (or `organizer` for the
    seed loader): an organizer, who may edit any profile."""
    if by is None and not organizer and not can_edit(organization, participant):
        raise NotAllowed("Only the person who created this profile and organizers can edit it.")
    _check_details(details)
    known = {tag.key: tag for tag in tags_of(event)}
    offers, seeks = list(dict.fromkeys(offers)), list(dict.fromkeys(seeks))
    unknown = sorted(set(offers + seeks) - set(known))
    if unknown:
        raise PartneringRefused("unknown_tag", f"Unknown tag: {', '.join(unknown)}.", tags=unknown)
    _apply(organization, details)
    event_tag_ids = [tag.id for tag in known.values()]
    db.session.execute(
        db.delete(OrganizationTag).where(
            OrganizationTag.organization_id == organization.id,
            OrganizationTag.tag_id.in_(event_tag_ids),
        )
    )
    for direction, keys in ((TagDirection.OFFERS, offers), (TagDirection.SEEKS, seeks)):
        for key in keys:
            db.session.add(
                OrganizationTag(
                    organization_id=organization.id, tag_id=known[key].id, direction=direction
                )
            )
    record(by, "partnering.profile", organization, {"offers": offers, "seeks": seeks})
    db.session.commit()
    return organization


def organization_tags(
    event: Event, organization_id: int
) -> dict[TagDirection, list[PartneringTag]]:
    rows = db.session.execute(
        db.select(OrganizationTag.direction, PartneringTag)
        .join(PartneringTag, PartneringTag.id == OrganizationTag.tag_id)
        .where(
            OrganizationTag.organization_id == organization_id,
            PartneringTag.event_id == event.id,
        )
        .order_by(PartneringTag.position, PartneringTag.id)
    )
    found: dict[TagDirection, list[PartneringTag]] = {d: [] for d in TagDirection}
    for direction, tag in rows:
        found[direction].append(tag)
    return found


def withdraw(participant: Participant, *, now: datetime | None = None) -> int:
    """Leave the directory at once: open requests either way are cancelled (the other
    side is told by email), planned meetings are cancelled. Returns how many requests."""
    now = now or utcnow()
    participant.withdrawn, participant.withdrawn_at = True, now
    open_requests = db.session.scalars(
        db.select(MeetingRequest).where(
            MeetingRequest.status == RequestStatus.OPEN,
            (MeetingRequest.requester_id == participant.id)
            | (MeetingRequest.recipient_id == participant.id),
        )
    ).all()
    from eventapp.services.partnering import meetings, requests

    cancelled = 0
    for request in open_requests:
        if request.recipient_id == participant.id and request.recipient_organization_id:
            # Asked of the organization: it stays open while a colleague takes part.
            others = requests.delegates(participant.event_id, request.recipient_organization_id)
            others = [other for other in others if other.id != participant.id]
            if others:
                request.recipient = others[0]
                continue
        cancelled += 1
        request.status, request.open_pair, request.responded_at = RequestStatus.CANCELLED, None, now
        other = request.recipient if request.requester_id == participant.id else request.requester
        mail.send_partnering_notice(
            "partnering_cancelled",
            other.registration,
            lambda title: gettext("Meeting request cancelled: %(title)s", title=title),
            now=now,
            other_name=participant.registration.name,
        )
    for meeting in meetings.meetings_of(participant):
        if meeting.status is MeetingStatus.PLANNED:
            meetings.cancel_in_transaction(meeting, now=now)
    record(None, "partnering.withdraw", participant, {"requests": cancelled})
    db.session.commit()
    return cancelled
