"""Invitations (#17): who is invited to an event, their personal links, and what became
of each (sent, opened, registered, declined, revoked).

An invitation list comes as CSV (`parse_csv` previews it and changes nothing;
`import_csv` writes all of it, or nothing when a row is wrong) or one person at a time
(`invite`). Each invitee gets a personal link through the outbox; `resend` sends one
again, `remind` everyone who has not answered, once per send key (as announcements).
Registering through a link is `registration.register(..., invitation=...)`; the rule that
a link works once, for its own address, is `claim` below, run under the event's lock.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func
from sqlalchemy.exc import IntegrityError

from eventapp.builders.email import format_address
from eventapp.errors import AlreadySent, DelegationFull, InvalidInput, InvitationRequired
from eventapp.languages import LANGUAGES, in_language, normalize_language
from eventapp.links import public_url
from eventapp.models import (
    Account,
    Category,
    Delegation,
    Event,
    Invitation,
    InvitationState,
    OutboxMessage,
    Registration,
    db,
    utcnow,
)
from eventapp.models import RegistrationStatus as Status
from eventapp.services.accounts import normalize_email, record
from eventapp.services.outbox import compose_email
from eventapp.services.units import transaction

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
#: What a reminder's send key looks like (as `communications.new_send_key`).
SEND_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
_MIN_TOKEN_LENGTH = 32
#: Statuses that hold a place (a delegation's seats count these).
HOLDING = (Status.CONFIRMED, Status.WAITLISTED, Status.PENDING)


@dataclass(frozen=True, slots=True)
class InviteeData:
    """One person to invite."""

    email: str
    given_name: str
    family_name: str = ""
    organization_name: str | None = None
    category: Category = Category.OTHER
    delegation_id: int | None = None
    locale: str = "en"


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One CSV line: what it would invite, or why it cannot."""

    line: int
    values: dict[str, str]
    data: InviteeData | None
    errors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CsvPreview:
    rows: tuple[PreviewRow, ...] = ()
    #: Problems with the file as a whole (encoding, header, size).
    errors: tuple[str, ...] = ()
    ok: int = 0

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(row.errors for row in self.rows)


@dataclass(frozen=True, slots=True)
class InvitationCounts:
    by_state: dict[InvitationState, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


# Reading.


def invitations_statement(event: Event, state: InvitationState | None = None) -> Select:
    """The event's invitations, newest first (optionally those in one state)."""
    statement = db.select(Invitation).where(Invitation.event_id == event.id)
    if state is InvitationState.REVOKED:
        statement = statement.where(Invitation.revoked_at.is_not(None))
    elif state is not None:
        statement = statement.where(Invitation.revoked_at.is_(None))
        registered = Invitation.registration_id.is_not(None)
        if state is InvitationState.REGISTERED:
            statement = statement.where(registered)
        else:
            statement = statement.where(~registered)
            declined = Invitation.declined_at.is_not(None)
            if state is InvitationState.DECLINED:
                statement = statement.where(declined)
            else:
                opened = Invitation.opened_at.is_not(None)
                statement = statement.where(
                    ~declined, opened if state is InvitationState.OPENED else ~opened
                )
    return statement.order_by(Invitation.created_at.desc(), Invitation.id.desc())


def counts(event: Event) -> InvitationCounts:
    """How many invitations are in each state."""
    found: dict[InvitationState, int] = dict.fromkeys(InvitationState, 0)
    for invitation in db.session.scalars(
        db.select(Invitation).where(Invitation.event_id == event.id)
    ):
        found[invitation.state] += 1
    return InvitationCounts(found)


def find_by_token(token: str) -> Invitation | None:
    """The invitation with this personal token, or None (also for a malformed token)."""
    if not token or not _MIN_TOKEN_LENGTH <= len(token) <= 64:
        return None
    return db.session.scalar(db.select(Invitation).where(Invitation.token == token))


def delegations(event: Event) -> list[Delegation]:
    return list(
        db.session.scalars(
            db.select(Delegation).where(Delegation.event_id == event.id).order_by(Delegation.name)
        )
    )


# The CSV.


def parse_csv(event: Event, raw: bytes | str) -> CsvPreview:
    """What importing this CSV would do, row by row, with each row's errors. Writes nothing."""
    text, problem = _decode(raw)
    if problem is not None:
        return CsvPreview(errors=(problem,))
    reader = csv.DictReader(io.StringIO(text))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in _REQUIRED_COLUMNS if name not in header]
    if missing:
        return CsvPreview(
            errors=(_l("Missing columns: %(names)s.", names=", ".join(missing)),)
        )
    reader.fieldnames = header
    known = {d.name.casefold(): d for d in delegations(event)}
    invited = set(
        db.session.scalars(db.select(Invitation.email).where(Invitation.event_id == event.id))
    )
    seen: set[str] = set()
    rows = []
    for number, record_ in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            return CsvPreview(
                errors=(_l("At most %(n)d rows at a time, please.", n=MAX_ROWS),)
            )
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
    return _invite_all(event, people, by=by, now=now, action="event.invitations_import")


def _decode(raw: bytes | str) -> tuple[str, str | None]:
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


def _row(values: dict[str, str], known: dict[str, Delegation]) -> tuple[InviteeData | None, list]:
    errors: list[str] = []
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


# Writing.


def invite(
    event: Event, data: InviteeData, *, by: Account | None = None, now: datetime | None = None
) -> Invitation:
    """Invite one person by email. Raises InvalidInput (already invited, unknown delegation)."""
    if data.delegation_id is not None:
        delegation = db.session.get(Delegation, data.delegation_id)
        if delegation is None or delegation.event_id != event.id:
            raise InvalidInput("no such delegation", field="delegation")
    return _invite_all(event, [data], by=by, now=now, action="event.invite")[0]


def _invite_all(
    event: Event,
    people: Sequence[InviteeData],
    *,
    by: Account | None,
    now: datetime | None,
    action: str,
) -> list[Invitation]:
    now = now or utcnow()
    made = []
    try:
        with transaction():
            for data in people:
                invitation = Invitation(
                    event_id=event.id,
                    email=normalize_email(data.email),
                    given_name=data.given_name,
                    family_name=data.family_name,
                    organization_name=data.organization_name,
                    category=data.category,
                    delegation_id=data.delegation_id,
                    locale=data.locale,
                    created_at=now,
                )
                db.session.add(invitation)
                db.session.flush()
                _send(invitation, event, "invited", now=now)
                made.append(invitation)
            record(by, action, event, {"invited": len(made)})
    except IntegrityError as error:
        raise InvalidInput("this address is invited already", field="email") from error
    return made


def resend(
    invitation: Invitation, *, by: Account | None = None, now: datetime | None = None
) -> None:
    """Send the personal link again. Raises InvitationRequired for a revoked or used one."""
    now = now or utcnow()
    with transaction():
        _refuse_unusable(invitation)
        _send(invitation, _event(invitation), "invited", now=now)
        record(by, "invitation.resend", _event(invitation), {"email": invitation.email})


def remind(
    event: Event, *, send_key: str, by: Account | None = None, now: datetime | None = None
) -> int:
    """Remind every invitee who neither registered, declined nor was revoked, once per
    `send_key`: a second reminder with the same key raises AlreadySent and sends nothing."""
    now = now or utcnow()
    if not SEND_KEY.fullmatch(send_key or ""):
        raise InvalidInput("reload the page, then remind")
    waiting = db.session.scalars(
        db.select(Invitation).where(
            Invitation.event_id == event.id,
            Invitation.registration_id.is_(None),
            Invitation.declined_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
    ).all()
    try:
        with transaction():
            for invitation in waiting:
                key = f"invitation-reminder.{send_key}.{invitation.id}"
                _send(invitation, event, "invitation_reminder", now=now, message_key=key)
            record(by, "event.invitations_remind", event, {"reminded": len(waiting)})
    except IntegrityError as error:
        raise AlreadySent("these reminders were sent already; not sent again") from error
    return len(waiting)


def revoke(
    invitation: Invitation, *, by: Account | None = None, now: datetime | None = None
) -> None:
    """Make the link useless (a registration made through it stays as it is)."""
    with transaction():
        if invitation.revoked_at is None:
            invitation.revoked_at = now or utcnow()
            record(by, "invitation.revoke", _event(invitation), {"email": invitation.email})


def mark_opened(invitation: Invitation, *, now: datetime | None = None) -> None:
    """Note the first time the link was opened (later openings change nothing)."""
    if invitation.opened_at is None and invitation.revoked_at is None:
        db.session.execute(
            db.update(Invitation)
            .where(Invitation.id == invitation.id, Invitation.opened_at.is_(None))
            .values(opened_at=now or utcnow())
        )
        db.session.commit()


def decline(invitation: Invitation, *, now: datetime | None = None) -> None:
    """The invitee will not come. Raises InvitationRequired for a revoked or used link."""
    with transaction():
        _refuse_unusable(invitation)
        invitation.declined_at = now or utcnow()


def claim(event: Event, invitation: Invitation | None, registration: Registration) -> None:
    """Registering through `invitation` (event locked): the link must be this event's,
    unused and not revoked or declined; the registration gets the invited address,
    category and delegation, and the link is used up. Raises InvitationRequired,
    DelegationFull."""
    if invitation is None or invitation.event_id != event.id:
        raise InvitationRequired("this event is by invitation only", reason="missing")
    db.session.refresh(invitation)
    _refuse_unusable(invitation)
    registration.email = invitation.email
    registration.category = invitation.category
    registration.delegation_id = invitation.delegation_id
    if invitation.delegation_id is not None:
        check_seats(invitation.delegation_id, 1)


def used_by(invitation: Invitation | None, registration: Registration) -> None:
    """After the registration's insert: the link is used up."""
    if invitation is not None:
        invitation.registration_id = registration.id
        invitation.opened_at = invitation.opened_at or registration.created_at


def check_seats(delegation_id: int, adding: int) -> None:
    """Refuse `adding` more members holding a place beyond the delegation's seats
    (event locked: the count cannot change meanwhile). Raises DelegationFull."""
    seats = db.session.scalar(db.select(Delegation.seats).where(Delegation.id == delegation_id))
    if seats is None:
        return
    holding = db.session.scalar(
        db.select(func.count(Registration.id)).where(
            Registration.delegation_id == delegation_id, Registration.status.in_(HOLDING)
        )
    )
    if (holding or 0) + adding > seats:
        raise DelegationFull(
            "the delegation has no seat left", seats=seats, left=max(0, seats - (holding or 0))
        )


def _refuse_unusable(invitation: Invitation) -> None:
    state = invitation.state
    if state is InvitationState.REVOKED:
        raise InvitationRequired("this invitation was withdrawn", reason="revoked")
    if state is InvitationState.REGISTERED:
        raise InvitationRequired("this invitation was used already", reason="used")
    if state is InvitationState.DECLINED:
        raise InvitationRequired("this invitation was declined", reason="declined")


def _event(invitation: Invitation) -> Event:
    return db.session.get_one(Event, invitation.event_id)


def _send(
    invitation: Invitation,
    event: Event,
    kind: str,
    *,
    now: datetime,
    message_key: str | None = None,
) -> OutboxMessage:
    """Queue the invitation (or reminder) email with the personal link, in its language."""
    language = invitation.locale or "en"
    with force_locale(language):
        title = in_language(event, "title", language)
        context = {
            "registration": invitation,  # the mail layout reads `.locale` from it
            "event": event,
            "event_title": title,
            "name": invitation.name,
            "manage_url": None,
            "invitation_url": public_url(
                "register.invited", slug=event.slug, token=invitation.token
            ),
            "event_url": public_url("public.event", slug=event.slug),
        }
        text = render_template(f"mail/{kind}.txt", **context)
        html = render_template(f"mail/{kind}.html", **context)
        if kind == "invited":
            subject = gettext("You are invited: %(title)s", title=title)
        else:
            subject = gettext("Reminder, your invitation: %(title)s", title=title)
    message = compose_email(
        kind=kind,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        to=format_address(invitation.name, invitation.email),
        subject=subject,
        text=text,
        html=html,
        reply_to=event.contact_email,
        now=now,
        message_key=message_key,
    )
    db.session.add(message)
    db.session.flush()
    invitation.sent_at = now
    invitation.sent_count = (invitation.sent_count or 0) + 1
    return message
