"""The outbox: queue an email in the caller's transaction; a worker delivers it later."""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr

from eventapp.builders.email import CalendarPart, EmailContent, build_email_bytes, new_message_id
from eventapp.models import OutboxMessage, Registration, db, utcnow


def queue_email(
    *,
    kind: str,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    calendar: CalendarPart | None = None,
    registration: Registration | None = None,
    reply_to: str | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """Add one message to the outbox in the current transaction; the caller commits.

    The message is built now, so what is delivered is exactly what was decided in the
    transaction, even if the data changes before the worker runs.
    """
    now = now or utcnow()
    message_id = new_message_id(sender)
    raw = build_email_bytes(
        EmailContent(
            sender=sender,
            to=to,
            subject=subject,
            text=text,
            html=html,
            calendar=calendar,
            reply_to=reply_to,
            date=now,
            message_id=message_id,
        )
    )
    message = OutboxMessage(
        kind=kind,
        registration=registration,
        to_address=parseaddr(to)[1] or to,
        subject=subject[:300],
        message_id=message_id,
        raw=raw.decode("ascii"),
        next_attempt_at=now,
        created_at=now,
    )
    db.session.add(message)
    return message
