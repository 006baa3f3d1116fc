"""Staff accounts (admin, organizer, check-in) and the audit log of their changes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import Model, UTCDateTime, str_enum, utcnow


class Role(StrEnum):
    ADMIN = "admin"
    ORGANIZER = "organizer"
    CHECKIN = "checkin"
    #: Writes the outcomes of the events or sessions an organizer assigned, nothing else.
    RAPPORTEUR = "rapporteur"

    @property
    def rank(self) -> int:
        """The place on the line admin > organizer > checkin; a rapporteur is off it (0)."""
        return {Role.RAPPORTEUR: 0, Role.CHECKIN: 1, Role.ORGANIZER: 2, Role.ADMIN: 3}[self]

    def includes(self, other: Role) -> bool:
        """An admin can do what an organizer can, an organizer what check-in staff can.

        A rapporteur is beside that line, not below it: it includes no other role (not
        even check-in), and organizers and admins include it (they edit outcomes too).
        """
        if other is Role.RAPPORTEUR:
            return self is Role.RAPPORTEUR or self.rank >= Role.ORGANIZER.rank
        if self is Role.RAPPORTEUR:
            return False
        return self.rank >= other.rank


class Account(UserMixin, Model):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Normalized: stripped and lower-cased.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: Werkzeug's salted scrypt hash; the password itself is never stored.
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Part of the id every session and remember-me cookie of this account carries; raised
    #: by logout, a password change and deactivation, which ends all of them at once.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: Base32 TOTP secret (RFC 6238) once the holder enrolled in two-factor login, else None.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: The 30-second step of the last code accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None]

    def get_id(self) -> str:  # Flask-Login: what the session and remember-me cookie hold
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive accounts cannot log in
        return self.is_active_account

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    def has_role(self, role: Role) -> bool:
        return self.role.includes(role)

    def __repr__(self) -> str:
        return f"<Account {self.email} {self.role}>"


class AuditEntry(Model):
    """Who changed what, when: written in the same transaction as the change."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    #: e.g. "session.update", "registration.cancel", "account.create".
    action: Mapped[str] = mapped_column(String(80))
    #: e.g. "agenda_sessions:12".
    target: Mapped[str | None] = mapped_column(String(120))
    details: Mapped[dict | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    account: Mapped[Account | None] = relationship()
