"""Passwords: staff change their own; an admin sends a reset link through the outbox.

A reset link is signed (itsdangerous, with the app's secret key) and names the account, its
session version and when it was sent. Setting the password raises that version, so the link
works once; it also stops working after `RESET_LINK_LIFETIME`, and when the account logs out
or changes its password some other way.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import gettext
from itsdangerous import BadSignature, URLSafeSerializer

from eventapp.errors import InvalidCredentials, NotFound
from eventapp.models import Account, OutboxMessage, db, utcnow
from eventapp.services import accounts
from eventapp.services.mail import public_url
from eventapp.services.mail.outbox import queue_email

RESET_LINK_LIFETIME = timedelta(hours=1)
#: The outbox kind of a reset email; the back office never shows its text (the link).
RESET_MAIL_KIND = "password_reset"
_SALT = "eventapp.password-reset"


def change_own_password(account: Account, current: str, new: str) -> Account:
    """The account holder sets a new password, proving the current one.

    Ends every session of the account. Raises InvalidCredentials (field `current`) or
    InvalidInput (a weak new password)."""
    if not accounts.password_matches(account, current):
        raise InvalidCredentials("the current password is not right", field="current")
    return accounts.set_password(account, new, by=account)


def send_password_reset(
    account: Account, *, by: Account | None, now: datetime | None = None
) -> OutboxMessage:
    """Queue an email with a one-time link to set a new password (valid for an hour)."""
    now = now or utcnow()
    token = _serializer().dumps(
        {"account": account.id, "version": account.session_version, "at": now.timestamp()}
    )
    link = public_url("auth.reset_password", token=token)
    context = {"link": link, "email": account.email, "hours": 1}
    message = queue_email(
        kind=RESET_MAIL_KIND,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        to=account.email,
        subject=gettext("Set a new password for your staff account"),
        text=render_template("mail/password_reset.txt", **context),
        html=render_template("mail/password_reset.html", **context),
        now=now,
    )
    accounts.record(by, "account.reset_link", account, None)
    db.session.commit()
    return message


def account_for_reset(token: str, *, now: datetime | None = None) -> Account:
    """The account a reset link is for, while the link is valid. Raises NotFound."""
    return _account_for(token, now=now, lock=False)


def reset_password(token: str, new: str, *, now: datetime | None = None) -> Account:
    """Set the password with a reset link, which is then used up. Raises NotFound, InvalidInput."""
    account = _account_for(token, now=now, lock=True)  # two uses at once: the second waits
    return accounts.set_password(account, new, by=account)


def _account_for(token: str, *, now: datetime | None, lock: bool) -> Account:
    try:
        claim = _serializer().loads(token)
        account_id, version, issued = int(claim["account"]), claim["version"], claim["at"]
        age = (now or utcnow()).timestamp() - float(issued)
    except (BadSignature, KeyError, TypeError, ValueError):
        raise NotFound("this link is not valid") from None
    statement = db.select(Account).where(Account.id == account_id)
    account = db.session.scalar(statement.with_for_update() if lock else statement)
    if (
        not 0 <= age <= RESET_LINK_LIFETIME.total_seconds()
        or account is None
        or not account.is_active
        or account.session_version != version
    ):
        raise NotFound("this link has expired or was used")
    return account


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)
