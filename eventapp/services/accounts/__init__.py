"""Staff accounts: creation, password checks, and the audit log.

Homes in this package: this module (accounts, the audit log), `teams` (who acts on which
event), `passwords`, `two_factor`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from eventapp.errors import AccountExists, InvalidCredentials, InvalidInput, LastAdmin
from eventapp.models import Account, AuditEntry, Role, db, utcnow

MIN_PASSWORD_LENGTH = 10

# Compared against when the email is unknown, so a wrong email costs as long as a wrong
# password and response times do not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def create_account(email: str, password: str, *, role: Role, by: Account | None = None) -> Account:
    """Create a staff account. Raises AccountExists or InvalidInput (weak password)."""
    email = normalize_email(email)
    if "@" not in email or len(email) > 254:
        raise InvalidInput(f"{email!r} is not an email address", field="email")
    check_password(password)
    if db.session.scalar(db.select(Account.id).where(Account.email == email)) is not None:
        raise AccountExists(f"an account for {email} already exists")
    account = Account(email=email, password_hash=generate_password_hash(password), role=role)
    db.session.add(account)
    db.session.flush()
    record(by, "account.create", account, {"email": email, "role": role.value})
    db.session.commit()
    return account


def password_matches(account: Account, password: str) -> bool:
    """Whether `password` is the account's password."""
    return check_password_hash(account.password_hash, password)


def authenticate(email: str, password: str, *, now: datetime | None = None) -> Account:
    """The active account with this email and password. Raises InvalidCredentials."""
    account = db.session.scalar(db.select(Account).where(Account.email == normalize_email(email)))
    if account is None:
        check_password_hash(_DUMMY_HASH, password)
        raise InvalidCredentials("wrong email or password")
    if not password_matches(account, password) or not account.is_active:
        raise InvalidCredentials("wrong email or password")
    account.last_login_at = now or utcnow()
    db.session.commit()
    return account


def get_account(account_id: int) -> Account | None:
    """The account with this id, or None."""
    return db.session.get(Account, account_id)


def account_for_login_id(login_id: str) -> Account | None:
    """The active account a session or remember-me cookie names (`Account.get_id`), or None
    when that login was ended (logout, password change, deactivation) or is malformed."""
    account_id, _, version = login_id.partition(":")
    if not (account_id.isascii() and account_id.isdigit()):
        return None
    if not (version.isascii() and version.isdigit()):
        return None
    account = db.session.get(Account, int(account_id))
    if account is None or account.session_version != int(version) or not account.is_active:
        return None
    return account


def end_sessions(account: Account) -> None:
    """Log the account out everywhere: every session and remember-me cookie it has.

    Adds to the current transaction (the caller commits)."""
    account.session_version = Account.session_version + 1


def log_out(account: Account) -> None:
    """Logout ends every session of the account, on every browser, not only this one."""
    end_sessions(account)
    db.session.commit()


def check_password(password: str) -> None:
    """Raises InvalidInput when `password` is too weak to be set."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"the password needs at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )


def set_password(account: Account, password: str, *, by: Account | None) -> Account:
    """Give the account a new password and end all its sessions. Raises InvalidInput."""
    check_password(password)
    account.password_hash = generate_password_hash(password)
    end_sessions(account)
    record(by, "account.password", account, None)
    db.session.commit()
    return account


def record(
    actor: Account | None, action: str, target: Any = None, details: dict | None = None
) -> None:
    """Add an audit entry to the current transaction (the caller commits)."""
    target_text = None
    if target is not None:
        table = getattr(target, "__tablename__", type(target).__name__)
        target_text = f"{table}:{getattr(target, 'id', '')}"
    db.session.add(
        AuditEntry(
            account_id=actor.id if actor else None,
            action=action,
            target=target_text,
            details=details,
        )
    )


def accounts_statement() -> Select:
    """Every staff account, by email."""
    return db.select(Account).order_by(Account.email)


def audit_statement(action: str = "") -> Select:
    """The audit log, newest first, optionally only actions starting with `action`."""
    statement = (
        db.select(AuditEntry)
        .options(joinedload(AuditEntry.account))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if action.strip():
        statement = statement.where(AuditEntry.action.startswith(action.strip(), autoescape=True))
    return statement


def _is_last_active_admin(account: Account) -> bool:
    """Whether `account` is the only active admin, with every active admin's row locked
    until the caller commits: two admins removing each other at once cannot both pass
    (the second waits here, then no longer counts the first). Rows lock in id order, so
    two such transactions cannot deadlock."""
    if account.role is not Role.ADMIN or not account.is_active_account:
        return False
    admins = db.session.scalars(
        db.select(Account.id)
        .where(Account.role == Role.ADMIN, Account.is_active_account)
        .order_by(Account.id)
        .with_for_update()
    ).all()
    return not [admin_id for admin_id in admins if admin_id != account.id]


def change_role(account: Account, role: Role, *, by: Account | None) -> Account:
    """Give an account another role. Raises LastAdmin when no active admin would remain."""
    if account.role is role:
        return account
    if _is_last_active_admin(account):
        raise LastAdmin("this is the last active admin account")
    record(by, "account.role", account, {"from": account.role.value, "to": role.value})
    account.role = role
    db.session.commit()
    return account


def set_active(account: Account, active: bool, *, by: Account | None) -> Account:
    """Deactivate (no more logins) or reactivate an account. Raises LastAdmin, InvalidInput."""
    if account.is_active_account is active:
        return account
    if not active:
        if by is not None and by.id == account.id:
            raise InvalidInput("you cannot deactivate your own account")
        if _is_last_active_admin(account):
            raise LastAdmin("this is the last active admin account")
    account.is_active_account = active
    if not active:
        end_sessions(account)
    record(by, "account.activate" if active else "account.deactivate", account, None)
    db.session.commit()
    return account
