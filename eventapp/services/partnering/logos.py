"""Organization logos on partnering profiles: checked and resized as speaker photos are
(`services/pictures.py`), stored beside them, edited by whoever may edit the profile."""

from __future__ import annotations

from pathlib import Path

from eventapp.errors import NotAllowed
from eventapp.models import Account, Organization, Participant, db
from eventapp.services import pictures
from eventapp.services.accounts import record
from eventapp.services.partnering.profiles import can_edit

#: The edge the directory shows a logo at (one of `pictures.SIZES`).
DIRECTORY_SIZE = 96


def _check(organization: Organization, participant: Participant | None, by: Account | None) -> None:
    if by is None and not can_edit(organization, participant):
        raise NotAllowed("Only the person who created this profile and organizers can edit it.")


def save_logo(
    organization: Organization,
    upload: bytes,
    *,
    photos_dir: Path,
    participant: Participant | None = None,
    by: Account | None = None,
) -> str:
    """Store an uploaded logo for the organization (replacing its old one). `participant`:
    the profile's creator editing from their page; `by`: an organizer.
    Raises NotAllowed, or InvalidPhoto (field `logo`) for a file that is not a picture."""
    _check(organization, participant, by)
    name = pictures.store(
        upload, prefix=f"org-{organization.id}", photos_dir=photos_dir, field="logo"
    )
    old = organization.logo
    organization.logo = name
    record(by, "partnering.logo", organization, {"logo": name})
    db.session.commit()
    if old:
        pictures.remove(old, photos_dir=photos_dir)
    return name


def remove_logo(
    organization: Organization,
    *,
    photos_dir: Path,
    participant: Participant | None = None,
    by: Account | None = None,
) -> None:
    """Take the organization's logo off its profile and delete its files."""
    _check(organization, participant, by)
    old = organization.logo
    if not old:
        return
    organization.logo = None
    record(by, "partnering.logo_remove", organization, {"logo": old})
    db.session.commit()
    pictures.remove(old, photos_dir=photos_dir)


def logo_path(organization: Organization, *, photos_dir: Path) -> Path | None:
    """The logo at the directory's size, or None."""
    return pictures.sized(organization.logo, DIRECTORY_SIZE, photos_dir=photos_dir)
