"""The outbox: every email is written here in the same transaction as its cause."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import Model, UTCDateTime, str_enum, utcnow
from eventapp.models.registration import Registration


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry; visible to organizers


class OutboxMessage(Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What caused it: "confirmation", "waitlisted", "promoted", "cancelled", "update"…
    kind: Mapped[str] = mapped_column(String(40))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    #: Message-ID header; lets a resend after a crash be recognised as the same message.
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    #: The complete RFC 5322 message (headers and MIME body), built when queued.
    raw: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus), default=OutboxStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registration: Mapped[Registration | None] = relationship()
