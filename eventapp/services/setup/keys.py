"""What the back office's create and edit services share: stable keys (the names seed
files use), applying a form's values, and committing where values must be unique.

`create_keyed` and `keyed_changes` are the create and edit of a row with a key
(organizations, speakers, venues): the service checks its own rules first."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import asdict
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError

from eventapp.errors import DuplicateName, InvalidInput
from eventapp.models import Account, db
from eventapp.services.accounts import record

Row = TypeVar("Row")

#: What a key or an event's slug is, wherever it is made (back office, seed file, import):
#: lower-case ASCII letters and digits, in words joined by single hyphens or underscores.
KEY_PATTERN = r"[a-z0-9]+(?:[-_][a-z0-9]+)*"
KEY_RULE = "lower-case letters and digits, words joined by '-' or '_' (e.g. space-forum-2023)"
KEY_LENGTH = 80


def is_key(text: str) -> bool:
    """True when `text` is a well-formed key or slug (see KEY_PATTERN), at most 80 long."""
    return len(text) <= KEY_LENGTH and re.fullmatch(KEY_PATTERN, text) is not None


def make_key(text: str) -> str:
    """A stable ASCII key from a name, with a random suffix (Hangul-only names included)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "item"
    return f"{stem}-{secrets.token_hex(3)}"


def check_key(model: Any, key: str, own_id: int | None) -> None:
    """Raise InvalidInput for a malformed key, DuplicateName for one another row has."""
    if not is_key(key):
        raise InvalidInput(f"use {KEY_RULE}", field="key")
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


def create_keyed(model: type[Row], data: Any, *, name: str, action: str, by: Account | None) -> Row:
    """Add a row from a form's dataclass (`data`) and commit, audited as `action`. A blank
    `data.key` is made from `name`. Raises InvalidInput or DuplicateName (key)."""
    values = asdict(data) | {"key": data.key or make_key(name)}
    check_key(model, values["key"], None)
    row = model(**values)
    db.session.add(row)
    db.session.flush()
    record(by, action, row, {"key": values["key"]})
    commit_unique()
    return row


def keyed_changes(row: Any, data: Any) -> dict[str, Any]:
    """Apply a form's dataclass to a row with a key (a blank key keeps the row's) and
    return what changed, as `apply_changes` does; the caller audits and commits.
    Raises InvalidInput or DuplicateName (key)."""
    values = asdict(data) | {"key": data.key or row.key}
    check_key(type(row), values["key"], row.id)
    return apply_changes(row, values)
