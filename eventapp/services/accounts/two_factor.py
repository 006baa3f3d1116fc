"""Optional two-factor login for staff: time-based one-time codes (RFC 6238, pyotp).

The holder enrols from their account page (a QR code for an authenticator app, or the
secret typed in) by entering one code; login then asks for a code after the password.
They turn it off with a code; an admin can reset it (a lost phone). A code is accepted
once: the step it belongs to is stored, and older or equal steps are refused.
"""

from __future__ import annotations

from datetime import datetime

import pyotp

from eventapp.errors import InvalidInput
from eventapp.models import Account, db, utcnow
from eventapp.services import accounts

#: Codes from one step before or after the current one are accepted (clock drift).
VALID_WINDOW = 1
_STEP_SECONDS = 30


def new_secret() -> str:
    """A fresh random base32 secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str, *, issuer: str) -> str:
    """The `otpauth://totp/…` link an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def enrol(account: Account, secret: str, code: str, *, now: datetime | None = None) -> Account:
    """Turn two-factor login on with `secret` once `code` proves the app has it.

    Raises InvalidInput (field `code`)."""
    step = _matching_step(secret, code, None, now)
    account.totp_secret = secret
    account.totp_last_step = step
    accounts.record(account, "account.two_factor_on", account, None)
    db.session.commit()
    return account


def check_code(account: Account, code: str, *, now: datetime | None = None) -> Account:
    """Accept one code of the account's secret, never the same step twice.

    Raises InvalidInput (field `code`)."""
    locked = db.session.scalars(
        db.select(Account).where(Account.id == account.id).with_for_update()
    ).one()  # two logins with one code at once: the second sees the first's step
    if locked.totp_secret is None:
        raise InvalidInput("two-factor login is off for this account", field="code")
    locked.totp_last_step = _matching_step(locked.totp_secret, code, locked.totp_last_step, now)
    db.session.commit()
    return locked


def disable(account: Account, code: str, *, now: datetime | None = None) -> Account:
    """The holder turns two-factor login off, proving it with a code. Raises InvalidInput."""
    check_code(account, code, now=now)
    return _clear(account, by=account, action="account.two_factor_off")


def reset(account: Account, *, by: Account | None) -> Account:
    """An admin turns two-factor login off for someone who lost their authenticator."""
    return _clear(account, by=by, action="account.two_factor_reset")


def _clear(account: Account, *, by: Account | None, action: str) -> Account:
    if account.totp_secret is not None:
        account.totp_secret = None
        account.totp_last_step = None
        accounts.record(by, action, account, None)
    db.session.commit()
    return account


def _matching_step(secret: str, code: str, last_step: int | None, now: datetime | None) -> int:
    """The time step `code` belongs to, within the window and after `last_step`."""
    code = code.strip().replace(" ", "")
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        raise InvalidInput("enter the 6 digits your app shows", field="code")
    totp = pyotp.TOTP(secret)
    current = int((now or utcnow()).timestamp()) // _STEP_SECONDS
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if (last_step is None or step > last_step) and totp.verify(
            code, for_time=step * _STEP_SECONDS
        ):
            return step
    raise InvalidInput("that code is not right (or was already used)", field="code")
