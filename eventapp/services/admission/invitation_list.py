"""An invitation list as CSV (#17): `parse_csv` previews it row by row with each row's
errors and writes nothing; `import_csv` invites everyone it lists, or, when any row is
wrong, nobody. Messages are `Problem`s, translated when shown, with the file's values
escaped by the page like any text."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext

from eventapp.errors import InvalidInput
from eventapp.languages import LANGUAGES, normalize_language
from eventapp.models import Account, Category, Delegation, Event, Invitation, db
from eventapp.services.accounts import normalize_email
from eventapp.services.admission import invitees
from eventapp.services.admission.invitees import InviteeData

#: The CSV's columns: the first three are required, the others optional.
CSV_COLUMNS = (
    "email",
    "given_name",
    "family_name",
    "organization",
    "category",
    "delegation",
    "language",
)
_REQUIRED_COLUMNS = ("email", "given_name")
MAX_ROWS = 2000
MAX_CSV_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class Problem:
    """A preview's message, translated when shown (`str`). Unlike a lazy string with
    values it has no `__html__`, so a page escapes the values (which come from the file)."""

    text: str
    values: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        return gettext(self.text, **dict(self.values))


def _l(text: str, **values: object) -> Problem:
    return Problem(text, tuple(values.items()))


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One CSV line: what it would invite, or why it cannot."""

    line: int
    values: dict[str, str]
    data: InviteeData | None
    errors: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class CsvPreview:
    rows: tuple[PreviewRow, ...] = ()
    #: Problems with the file as a whole (encoding, header, size).
    errors: tuple[Problem, ...] = ()
    ok: int = 0

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(row.errors for row in self.rows)


def parse_csv(event: Event, raw: bytes | str) -> CsvPreview:
    """What importing this CSV would do, row by row, with each row's errors. Writes nothing."""
    text, problem = _decode(raw)
    if problem is not None:
        return CsvPreview(errors=(problem,))
    reader = csv.DictReader(io.StringIO(text))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in _REQUIRED_COLUMNS if name not in header]
    if missing:
        return CsvPreview(errors=(_l("Missing columns: %(names)s.", names=", ".join(missing)),))
    reader.fieldnames = header
    known = {d.name.casefold(): d for d in invitees.delegations(event)}
    invited = set(
        db.session.scalars(db.select(Invitation.email).where(Invitation.event_id == event.id))
    )
    seen: set[str] = set()
    rows = []
    for number, record_ in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            return CsvPreview(errors=(_l("At most %(n)d rows at a time, please.", n=MAX_ROWS),))
        values = {name: str(record_.get(name) or "").strip() for name in CSV_COLUMNS}
        if not any(values.values()):
            continue
        data, errors = _row(values, known)
        if data is not None:
            if data.email in invited:
                errors.append(_l("This address is invited already."))
            elif data.email in seen:
                errors.append(_l("This address is on an earlier line too."))
            seen.add(data.email)
        rows.append(PreviewRow(number, values, None if errors else data, tuple(errors)))
    if not rows:
        return CsvPreview(errors=(_l("The file lists nobody to invite."),))
    return CsvPreview(tuple(rows), ok=sum(1 for row in rows if not row.errors))


def import_csv(
    event: Event, raw: bytes | str, *, by: Account | None = None, now: datetime | None = None
) -> list[Invitation]:
    """Invite everyone the CSV lists, each by email, in one transaction; or, when any row
    is wrong (`parse_csv`), nobody: raises InvalidInput and changes nothing."""
    preview = parse_csv(event, raw)
    if preview.has_errors:
        raise InvalidInput("the list has errors; see the preview", field="csv")
    people = [row.data for row in preview.rows if row.data is not None]
    return invitees.invite_all(event, people, by=by, now=now, action="event.invitations_import")


def _decode(raw: bytes | str) -> tuple[str, Problem | None]:
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_CSV_BYTES:
        return "", _l("The file is too large (at most 1 MB).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "", _l("The file is not UTF-8 text; save it as CSV UTF-8 and try again.")
    if "\x00" in text:
        return "", _l("The file is not a CSV text file.")
    return text, None


def _row(
    values: dict[str, str], known: dict[str, Delegation]
) -> tuple[InviteeData | None, list[Problem]]:
    errors: list[Problem] = []
    email = ""
    try:
        email = validate_email(values["email"], check_deliverability=False).ascii_email or ""
        if not email:
            errors.append(_l("Use an address written in Latin letters before the @ sign."))
    except EmailNotValidError:
        errors.append(_l("Not a valid email address."))
    for name, limit in (("given_name", 100), ("family_name", 100), ("organization", 200)):
        if len(values[name]) > limit:
            errors.append(_l("%(column)s: at most %(n)d characters.", column=name, n=limit))
        if any(unicodedata.category(ch) == "Cc" for ch in values[name]):
            errors.append(_l("%(column)s: invisible control characters.", column=name))
    if not values["given_name"]:
        errors.append(_l("The given name is missing."))
    category = Category.OTHER
    if values["category"]:
        try:
            category = Category(values["category"].lower())
        except ValueError:
            errors.append(
                _l(
                    "Unknown category %(value)s (one of: %(known)s).",
                    value=values["category"][:40],
                    known=", ".join(c.value for c in Category),
                )
            )
    delegation = None
    if values["delegation"]:
        delegation = known.get(values["delegation"].casefold())
        if delegation is None:
            errors.append(
                _l(
                    "No delegation named %(name)s: create it first.",
                    name=values["delegation"][:200],
                )
            )
    language = values["language"].lower() or "en"
    if language not in LANGUAGES:
        errors.append(_l("Unknown language %(value)s.", value=values["language"][:20]))
    if errors:
        return None, errors
    return InviteeData(
        email=normalize_email(email),
        given_name=" ".join(values["given_name"].split()),
        family_name=" ".join(values["family_name"].split()),
        organization_name=values["organization"] or None,
        category=category,
        delegation_id=delegation.id if delegation else None,
        locale=normalize_language(language),
    ), []
