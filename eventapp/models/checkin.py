"""Every badge scan at the door, with its outcome, and who is in (one row per person and place)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.accounts import Account
from eventapp.models.base import Model, UTCDateTime, str_enum, utcnow
from eventapp.models.registration import Registration


class ScanResult(StrEnum):
    CHECKED_IN = "checked_in"
    ALREADY_CHECKED_IN = "already_checked_in"
    INVALID = "invalid"
    NOT_CONFIRMED = "not_confirmed"
    WRONG_EVENT = "wrong_event"
    #: Confirmed for the event, but this session does not let them in (see `reason`).
    NOT_ADMITTED = "not_admitted"


class Scan(Model):
    """One scan of one badge by one staff member (recorded whatever the result)."""

    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_sessions.id", ondelete="SET NULL"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    result: Mapped[ScanResult] = mapped_column(str_enum(ScanResult))
    #: Where the scan happened (door, device name), as sent by the scanner.
    location: Mapped[str | None] = mapped_column(String(120))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    registration: Mapped[Registration | None] = relationship()
    account: Mapped[Account | None] = relationship()


class Attendance(Model):
    """The first successful check-in of a registration at the event door or at one session.

    The database keeps it unique, so two staff scanning the same badge at the same moment
    make one row: the second insert fails and that scan becomes `already_checked_in`.
    A row with `session_id` NULL is the event door; NULLs are distinct in a UNIQUE
    constraint, hence the partial unique index for that case.
    """

    __tablename__ = "attendances"
    __table_args__ = (
        UniqueConstraint("registration_id", "session_id"),
        Index(
            "uq_attendances_registration_id_door",
            "registration_id",
            unique=True,
            sqlite_where=text("session_id IS NULL"),
            postgresql_where=text("session_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Denormalized from the registration so counts per event need no join.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_sessions.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship()


class OfflineScan(Model):
    """A scan made offline at a door device and uploaded later (#19): its client-made id
    is unique, so a scan uploaded twice is recorded once and answered the same."""

    __tablename__ = "offline_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Made by the device when it scanned (a UUID).
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    device: Mapped[str | None] = mapped_column(String(120))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: What the server answered for it (JSON), once recorded; None while being recorded.
    answer: Mapped[str | None] = mapped_column(Text)
