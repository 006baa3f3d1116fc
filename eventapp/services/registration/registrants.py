"""Registrants seen by organizers: search and filter, edit, CSV export, and the organizer's
own actions (promote one person, resend their confirmation). Cancelling and promoting
the next in line live in `services.registration`."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_
from sqlalchemy.exc import IntegrityError

from eventapp.errors import DuplicateName, InvalidInput
from eventapp.models import (
    Account,
    Category,
    Delegation,
    Event,
    Registration,
    RegistrationStatus,
    SessionSignup,
    db,
    utcnow,
)
from eventapp.services import locks, mail
from eventapp.services.accounts import normalize_email, record
from eventapp.services.checkin.attendance import checked_in_ids, is_checked_in
from eventapp.services.questions import answers, event_questions
from eventapp.services.questions.answers import AnswerValue
from eventapp.services.registration import PersonDetails, signups, waitlist


@dataclass(frozen=True, slots=True)
class RegistrantFilter:
    """Which registrants to show, export or write to. Empty values mean 'any'."""

    query: str = ""
    status: RegistrationStatus | None = None
    category: Category | None = None
    country: str | None = None
    organization: str = ""
    checked_in: bool | None = None
    #: The language they registered in ('en' or 'ko').
    language: str | None = None
    #: Holds a seat (a confirmed sign-up) in this session.
    session_id: int | None = None
    #: Answered this question (#17): (question id, None for any answer, or a choice key
    #: or "yes"/"no"); with `unanswered`, did not answer it.
    answer: tuple[int, str | None] | None = None
    unanswered: bool = False
    #: A free-text answer contains this.
    answer_text: str = ""
    #: A member of this delegation (#17).
    delegation_id: int | None = None


@dataclass(frozen=True, slots=True)
class RegistrantData:
    """What an organizer may correct on a registration: more than the registrant may."""

    email: str
    details: PersonDetails
    locale: str = "en"
    #: The whole set of answers to the event's questions (#17); None leaves them as they are.
    answers: tuple[AnswerValue, ...] | None = None


def _matches(query: str) -> ColumnElement[bool]:
    """Registrations that `query` names: every word in a name, email or organization, or the
    whole query in the name as written in either order (김민지, "Minji Kim"). Partial and
    case-insensitive; % and _ are literal."""
    fields = (
        Registration.given_name,
        Registration.family_name,
        Registration.name_alt,
        Registration.email,
        Registration.organization_name,
    )
    words = query.split()
    whole = "".join(words)
    names = (
        Registration.family_name + Registration.given_name,
        Registration.given_name + Registration.family_name,
        func.replace(Registration.name_alt, " ", ""),
    )
    return or_(
        and_(*(or_(*(f.icontains(word, autoescape=True) for f in fields)) for word in words)),
        *(name.icontains(whole, autoescape=True) for name in names),
    )


def registrants_statement(event: Event, flt: RegistrantFilter) -> Select:
    """The event's registrations matching `flt`, grouped by delegation (those of none
    first), then sorted by family name."""
    statement = (
        db.select(Registration)
        .outerjoin(Delegation, Delegation.id == Registration.delegation_id)
        .where(Registration.event_id == event.id)
        .order_by(
            func.coalesce(Delegation.name, ""),
            func.lower(Registration.family_name),
            func.lower(Registration.given_name),
            Registration.id,
        )
    )
    if flt.query.strip():
        statement = statement.where(_matches(flt.query))
    if flt.status is not None:
        statement = statement.where(Registration.status == flt.status)
    if flt.category is not None:
        statement = statement.where(Registration.category == flt.category)
    if flt.country:
        statement = statement.where(Registration.country == flt.country.upper())
    if flt.organization.strip():
        statement = statement.where(
            Registration.organization_name.icontains(flt.organization.strip(), autoescape=True)
        )
    if flt.checked_in is not None:
        statement = statement.where(is_checked_in() if flt.checked_in else ~is_checked_in())
    if flt.language == "ko":
        statement = statement.where(Registration.locale == "ko")
    elif flt.language is not None:
        statement = statement.where(Registration.locale != "ko")
    if flt.delegation_id is not None:
        statement = statement.where(Registration.delegation_id == flt.delegation_id)
    if flt.session_id is not None:
        statement = statement.where(
            exists().where(
                SessionSignup.registration_id == Registration.id,
                SessionSignup.session_id == flt.session_id,
                SessionSignup.status == RegistrationStatus.CONFIRMED,
            )
        )
    if flt.answer is not None:
        clause = answers.answered(*flt.answer)
        statement = statement.where(~clause if flt.unanswered else clause)
    if flt.answer_text.strip():
        statement = statement.where(answers.answer_contains(flt.answer_text.strip()))
    return statement


def update_registrant(
    registration: Registration, data: RegistrantData, *, by: Account | None
) -> Registration:
    """Correct a registrant's details. Raises InvalidInput or DuplicateName (email)."""
    values = {"email": normalize_email(data.email), **asdict(data.details), "locale": data.locale}
    if "@" not in values["email"]:
        raise InvalidInput("give an email address", field="email")
    if not data.details.given_name.strip():
        raise InvalidInput("a given name is required", field="given_name")
    clash = db.session.scalar(
        db.select(Registration.id).where(
            Registration.event_id == registration.event_id,
            Registration.email == values["email"],
            Registration.id != registration.id,
        )
    )
    if clash is not None:
        raise DuplicateName("someone else is registered with this email", field="email")
    changed = {}
    for name, value in values.items():
        if getattr(registration, name) != value:
            setattr(registration, name, value)
            changed[name] = str(value) if value is not None else None
    if data.answers is not None:
        answered = answers.replace_answers(registration, data.answers)
        if answered:
            changed["answers"] = answered  # type: ignore[assignment]
    if changed:
        record(by, "registration.update", registration, changed)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise DuplicateName("someone else is registered with this email", field="email") from error
    return registration


CSV_COLUMNS = (
    "id",
    "status",
    #: The full name as badges and emails write it (`names.display_name`, in its order).
    "name",
    "given_name",
    "family_name",
    "name_order",
    "name_alt",
    "email",
    "organization_name",
    "job_title",
    "country",
    "category",
    "locale",
    "dietary_needs",
    "accessibility_needs",
    "checked_in",
    "created_at",
    "waitlist_position",
    "sessions",
    "delegation",
)


def _cell(value: object) -> str:
    """Text for a spreadsheet cell; a leading = + - @ is defused (CSV formula injection)."""
    text = "" if value is None else str(value)
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


def export_csv(event: Event, flt: RegistrantFilter) -> bytes:
    """The filtered registrants as CSV: UTF-8 with a BOM so Excel reads Hangul correctly."""
    registrations = db.session.scalars(registrants_statement(event, flt)).all()
    checked = checked_in_ids([r.id for r in registrations])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    # One column per question (#17), named by its English label; none without questions.
    questions = event_questions(event)
    given = answers.answers_by_registration([r.id for r in registrations]) if questions else {}
    writer.writerow([*CSV_COLUMNS, *answers.csv_headers(questions, CSV_COLUMNS)])
    for r in registrations:
        row = [getattr(r, name, None) for name in CSV_COLUMNS]
        row[CSV_COLUMNS.index("checked_in")] = "yes" if r.id in checked else "no"
        row[CSV_COLUMNS.index("created_at")] = r.created_at.astimezone(event.zone).isoformat(
            timespec="minutes"
        )
        row[CSV_COLUMNS.index("waitlist_position")] = waitlist.waitlist_position(r)
        row[CSV_COLUMNS.index("sessions")] = _sessions_cell(r)
        mine = given.get(r.id, {})
        row[CSV_COLUMNS.index("delegation")] = r.delegation.name if r.delegation else ""
        row += [answers.answer_text(q, mine.get(q.id)) for q in questions]
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _sessions_cell(registration: Registration) -> str:
    """Seats and session waiting-list places, as caterers and door staff read them:
    "Panel 1 (seat); Reception (waiting list 3)", in time order."""
    parts = []
    for signup in signups.shown_signups(registration):
        position = signups.session_position(signup)
        where = "seat" if position is None else f"waiting list {position}"
        parts.append(f"{signup.session.title} ({where})")
    return "; ".join(parts)


def promote_registrant(
    registration: Registration, *, by: Account | None, now: datetime | None = None
) -> Registration:
    """Give one waitlisted person a seat now, even past the capacity (the organizer's call).

    Raises InvalidInput when the person is not on the waiting list (any more).
    """
    now = now or utcnow()
    locks.lock_event(registration.event)  # the same lock every seat change takes
    db.session.refresh(registration)
    if registration.status is not RegistrationStatus.WAITLISTED:
        db.session.rollback()
        raise InvalidInput("only people on the waiting list can be promoted")
    waitlist.promote(registration, now)
    record(by, "registration.promote", registration, None)
    db.session.commit()
    return registration


def resend_confirmation(
    registration: Registration, *, by: Account | None, now: datetime | None = None
) -> None:
    """Queue the registrant's confirmation (or waiting-list notice) again, with its link.

    Raises InvalidInput for a cancelled registration.
    """
    now = now or utcnow()
    if registration.status is RegistrationStatus.CONFIRMED:
        mail.send_confirmation(registration, now=now)
    elif registration.status is RegistrationStatus.WAITLISTED:
        mail.send_waitlisted(
            registration, position=waitlist.waitlist_position(registration), now=now
        )
    else:
        raise InvalidInput("the registration is cancelled; nothing to resend")
    record(by, "registration.resend", registration, {"status": registration.status.value})
    db.session.commit()
