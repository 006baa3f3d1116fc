"""An attendee changes the email address of their registration from /me (#22).

The new address confirms itself: a signed link goes to it, and the change happens only when
that link is used, so a typo never hands the registration to a stranger. The registration
stays the same row: the seat, the waiting-list place, the sessions and the badge are kept.
The old address is told afterwards. A link names the address it replaces, so it works once
(the address has changed since) and stops after `LINK_LIFETIME`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from eventapp.errors import DuplicateName, InvalidInput, NotFound
from eventapp.models import OutboxMessage, Registration, db, utcnow
from eventapp.services import mail
from eventapp.services.accounts import normalize_email, record
from eventapp.services.mail import public_url

LINK_LIFETIME = timedelta(hours=48)
_SALT = "eventapp.email-change"


def request_change(
    registration: Registration, new_email: str, *, now: datetime | None = None
) -> OutboxMessage:
    """Send the confirmation link to `new_email`. Raises InvalidInput (field `email`).

    Whether another registration uses that address is not said here (the page would tell
    who is registered); the confirmation refuses it, to the holder of that address."""
    now = now or utcnow()
    try:
        address = validate_email(new_email.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise InvalidInput("give a valid email address", field="email") from None
    address = normalize_email(address)
    if address == registration.email:
        raise InvalidInput("that is already the address of your registration", field="email")
    token = _serializer().dumps(
        {
            "registration": registration.id,
            "from": registration.email,
            "to": address,
            "at": now.timestamp(),
        }
    )
    link = public_url("attendee.confirm_email", token=registration.manage_token, change=token)
    message = mail.send_email_change_link(registration, address, link, now=now)
    record(None, "registration.email_change_asked", registration, None)
    db.session.commit()
    return message


def pending_address(registration: Registration, change: str, *, now: datetime | None = None) -> str:
    """The new address a confirmation link carries, while it is valid. Raises NotFound."""
    try:
        claim = _serializer().loads(change)
        registration_id, old, new = int(claim["registration"]), claim["from"], claim["to"]
        age = (now or utcnow()).timestamp() - float(claim["at"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise NotFound("this link is not valid") from None
    if registration_id != registration.id or not isinstance(new, str):
        raise NotFound("this link is not valid")
    if old != registration.email or not 0 <= age <= LINK_LIFETIME.total_seconds():
        raise NotFound("this link has expired or was used")
    return new


def confirm_change(
    registration: Registration, change: str, *, now: datetime | None = None
) -> Registration:
    """Make the link's address the registration's. Raises NotFound or DuplicateName."""
    now = now or utcnow()
    db.session.execute(  # two uses at once: the second waits, then finds the link used
        db.select(Registration.id).where(Registration.id == registration.id).with_for_update()
    )
    db.session.refresh(registration)
    try:
        new = pending_address(registration, change, now=now)
        clash = db.session.scalar(
            db.select(Registration.id).where(
                Registration.event_id == registration.event_id,
                Registration.email == new,
                Registration.id != registration.id,
            )
        )
        if clash is not None:
            raise DuplicateName("this address is already registered for the event", field="email")
        old = registration.email
        registration.email = new
        record(None, "registration.email_change", registration, {"from": old, "to": new})
        mail.send_email_changed(registration, old, now=now)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise DuplicateName("this address is already registered for the event") from error
    except Exception:
        db.session.rollback()
        raise
    return registration


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)
