"""Speakers and organizations: create, change, delete; speaker photos (checked, resized)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Select, func, or_, update

from eventapp.errors import InvalidInput
from eventapp.models import Account, Organization, OrganizationKind, Speaker, db
from eventapp.names import NameOrder, default_order, display_name
from eventapp.services import pictures
from eventapp.services.accounts import record
from eventapp.services.agenda import events_of_organization, events_of_speaker, mark_agendas_changed
from eventapp.services.setup.keys import commit_unique, create_keyed, keyed_changes

#: The picture rules are those of `services/pictures.py` (shared with organization logos).
MAX_PHOTO_BYTES = pictures.MAX_BYTES
MAX_PHOTO_PIXELS = pictures.MAX_PIXELS
STORED_EDGE = pictures.STORED_EDGE
PHOTO_SIZES = pictures.SIZES


@dataclass(frozen=True, slots=True)
class SpeakerData:
    given_name: str
    family_name: str = ""
    key: str = ""
    name_alt: str | None = None
    position: str | None = None
    position_ko: str | None = None
    organization_id: int | None = None
    country: str | None = None
    bio: str | None = None
    bio_ko: str | None = None
    email: str | None = None
    #: How the Latin-script name is written; None: `names.default_order` decides.
    name_order: NameOrder | None = None

    def __post_init__(self) -> None:
        if self.name_order is None:  # frozen: set once, here
            object.__setattr__(self, "name_order", default_order(self.name_alt, self.country))


@dataclass(frozen=True, slots=True)
class OrganizationData:
    name: str
    key: str = ""
    name_ko: str | None = None
    short_name: str | None = None
    country: str | None = None
    kind: OrganizationKind = OrganizationKind.OTHER
    website: str | None = None


def speakers_statement(query: str = "") -> Select:
    """Speakers sorted by family name, optionally filtered by a name, position or email."""
    statement = db.select(Speaker).order_by(
        func.lower(Speaker.family_name), func.lower(Speaker.given_name), Speaker.id
    )
    if query.strip():
        q = query.strip()
        statement = statement.where(
            or_(
                Speaker.given_name.icontains(q, autoescape=True),
                Speaker.family_name.icontains(q, autoescape=True),
                Speaker.name_alt.icontains(q, autoescape=True),
                Speaker.position.icontains(q, autoescape=True),
                Speaker.email.icontains(q, autoescape=True),
            )
        )
    return statement


def _check_speaker(data: SpeakerData) -> None:
    if not data.given_name.strip():
        raise InvalidInput("a given name is required", field="given_name")
    if (
        data.organization_id is not None
        and db.session.get(Organization, data.organization_id) is None
    ):
        raise InvalidInput("choose an existing organization", field="organization_id")


def create_speaker(data: SpeakerData, *, by: Account | None) -> Speaker:
    """Add a speaker; a blank key is made from the name. Raises InvalidInput, DuplicateName."""
    _check_speaker(data)
    # The key stays given name first whatever the order shown: "jong-ho-lee".
    name = display_name(data.given_name, data.family_name)
    return create_keyed(Speaker, data, name=name, action="speaker.create", by=by)


def update_speaker(speaker: Speaker, data: SpeakerData, *, by: Account | None) -> Speaker:
    """Change a speaker. Raises InvalidInput or DuplicateName."""
    _check_speaker(data)
    changed = keyed_changes(speaker, data)
    if changed:
        record(by, "speaker.update", speaker, changed)
        mark_agendas_changed(events_of_speaker(speaker.id))
    commit_unique()
    return speaker


def delete_speaker(speaker: Speaker, *, by: Account | None, photos_dir: Path) -> None:
    """Delete a speaker (their session links go with them) and their photo files."""
    old_photo = speaker.photo
    record(by, "speaker.delete", speaker, {"key": speaker.key})
    mark_agendas_changed(events_of_speaker(speaker.id))  # before the links go with them
    db.session.delete(speaker)
    db.session.commit()
    if old_photo:
        pictures.remove(old_photo, photos_dir=photos_dir)


def organizations_statement() -> Select:
    """Organizations by name."""
    return db.select(Organization).order_by(func.lower(Organization.name), Organization.id)


def organizations() -> list[Organization]:
    """Every organization, by name (for the back office's choice lists)."""
    return list(db.session.scalars(organizations_statement()))


def _check_organization(data: OrganizationData) -> None:
    if not data.name.strip():
        raise InvalidInput("a name is required", field="name")
    if data.website and not re.match(r"^https?://[^\s]+$", data.website):
        raise InvalidInput("give the full address, starting with https://", field="website")


def create_organization(data: OrganizationData, *, by: Account | None) -> Organization:
    """Add an organization. Raises InvalidInput or DuplicateName."""
    _check_organization(data)
    return create_keyed(Organization, data, name=data.name, action="organization.create", by=by)


def update_organization(
    organization: Organization, data: OrganizationData, *, by: Account | None
) -> Organization:
    """Change an organization. Raises InvalidInput or DuplicateName."""
    _check_organization(data)
    changed = keyed_changes(organization, data)
    if changed:
        record(by, "organization.update", organization, changed)
        mark_agendas_changed(events_of_organization(organization.id))
    commit_unique()
    return organization


def delete_organization(organization: Organization, *, by: Account | None) -> None:
    """Delete an organization; its speakers stay, without an organization."""
    mark_agendas_changed(events_of_organization(organization.id))
    db.session.execute(
        update(Speaker)
        .where(Speaker.organization_id == organization.id)
        .values(organization_id=None)
    )
    record(by, "organization.delete", organization, {"key": organization.key})
    db.session.delete(organization)
    db.session.commit()


def save_photo(speaker: Speaker, upload: bytes, *, by: Account | None, photos_dir: Path) -> str:
    """Check an uploaded picture, store it re-encoded as JPEG, and link it to the speaker.

    Re-encoding drops metadata (EXIF location) and anything that is not pixels.
    Raises InvalidPhoto for files that are too large, not images, or unsupported formats.
    """
    name = pictures.store(upload, prefix=str(speaker.id), photos_dir=photos_dir)
    old_photo = speaker.photo
    speaker.photo = name
    record(by, "speaker.photo", speaker, {"photo": name})
    db.session.commit()
    if old_photo:
        pictures.remove(old_photo, photos_dir=photos_dir)
    return name


def remove_photo(speaker: Speaker, *, by: Account | None, photos_dir: Path) -> None:
    """Unlink and delete the speaker's photo."""
    old_photo = speaker.photo
    if not old_photo:
        return
    speaker.photo = None
    record(by, "speaker.photo_remove", speaker, {"photo": old_photo})
    db.session.commit()
    pictures.remove(old_photo, photos_dir=photos_dir)


def photo_path(speaker: Speaker, size: int, *, photos_dir: Path) -> Path | None:
    """The speaker's photo at most `size` pixels wide/high, made on first request."""
    return pictures.sized(speaker.photo, size, photos_dir=photos_dir)
