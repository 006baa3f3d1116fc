"""What the back office's create and edit services share: stable keys (the names seed
files use), applying a form's values, and committing where values must be unique."""

from __future__ import annotations

import re
import secrets
import unicodedata
from typing import Any

from sqlalchemy.exc import IntegrityError

from eventapp.errors import DuplicateName, InvalidInput
from eventapp.models import db

_KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")


def make_key(text: str) -> str:
    """A stable ASCII key from a name, with a random suffix (Hangul-only names included)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "item"
    return f"{stem}-{secrets.token_hex(3)}"


def check_key(model: Any, key: str, own_id: int | None) -> None:
    """Raise InvalidInput for a malformed key, DuplicateName for one another row has."""
    if not _KEY_PATTERN.match(key):
        raise InvalidInput("use lower-case letters, digits, '-' and '_'", field="key")
    clash = db.session.scalar(
        db.select(model.id).where(model.key == key, model.id != (own_id or 0))
    )
    if clash is not None:
        raise DuplicateName(f"the key {key!r} is taken", field="key")


def apply_changes(obj: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Set the attributes that differ; return them as audit details (text values)."""
    changed = {}
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed[name] = value if isinstance(value, int | None) else str(value)
    return changed


def commit_unique(field: str = "key", message: str = "that key is already taken") -> None:
    """Commit; a UNIQUE value taken meanwhile by a concurrent change becomes DuplicateName
    naming `field`."""
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise DuplicateName(message, field=field) from error
