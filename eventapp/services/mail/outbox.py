"""The outbox: queue an email in the caller's transaction; `deliver_pending` sends it later.

`flask outbox send` (eventapp/cli.py) runs `deliver_pending` with the `MAIL_*` settings,
or prints the pending messages with `preview` when no `MAIL_SERVER` is set.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_string
from email.policy import default
from typing import Any, ParamSpec

from eventapp.builders.email import (
    Attachment,
    CalendarPart,
    EmailContent,
    build_email_bytes,
    new_message_id,
    split_address,
)
from eventapp.models import OutboxMessage, OutboxStatus, Registration, db, utcnow

P = ParamSpec("P")


def compose_email(
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
    message_key: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> OutboxMessage:
    """One outbox message, built but not added: `db.session.add` it to queue it.

    The message is built now, so what is delivered is exactly what was decided in the
    transaction, even if the data changes before the worker runs. `message_key`: the left
    part of its Message-ID instead of a random one. Message-IDs are unique in the outbox,
    so a caller that derives the key from what it sends cannot queue the same twice.
    """
    now = now or utcnow()
    message_id = new_message_id(sender, message_key)
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
            attachments=tuple(attachments),
        )
    )
    return OutboxMessage(
        kind=kind,
        registration=registration,
        to_address=split_address(to)[1] or to,
        subject=subject[:300],
        message_id=message_id,
        raw=raw.decode("ascii"),
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )


def _queued(compose: Callable[P, OutboxMessage]) -> Callable[P, OutboxMessage]:
    """`compose`, then the message added to the session: queued in the caller's
    transaction, delivered once the caller commits. Same (typed) arguments as `compose`."""

    def queue(*args: P.args, **kwargs: P.kwargs) -> OutboxMessage:
        message = compose(*args, **kwargs)
        db.session.add(message)
        return message

    return queue


#: Write one message and add it to the outbox in the current transaction (the caller
#: commits); takes `compose_email`'s arguments, checked by type checkers.
queue_email = _queued(compose_email)


def messages_for(registration: Registration) -> Sequence[OutboxMessage]:
    """Every message written to this registrant, oldest first."""
    return db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.registration_id == registration.id)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ).all()


def pending_messages(*, now: datetime | None = None, limit: int = 100) -> Sequence[OutboxMessage]:
    """Messages waiting for delivery (due or not), oldest first."""
    statement = db.select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
    if now is not None:
        statement = statement.where(OutboxMessage.next_attempt_at <= now)
    return db.session.scalars(
        statement.order_by(OutboxMessage.created_at, OutboxMessage.id).limit(limit)
    ).all()


# Delivery -----------------------------------------------------------------------------

#: After this many failed attempts a message is marked `failed` (organizers see it).
MAX_ATTEMPTS = 8
#: Wait before retry n is BACKOFF_BASE * 2^(n-1), at most BACKOFF_CAP: 1, 2, 4 … 60 min.
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where and how to deliver, from Flask-Mail's setting names (DESIGN.md)."""

    server: str
    port: int = 25
    username: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    sender: str = "eventapp@localhost"
    timeout: float = 30.0
    #: Extra CA bundle to trust (a private mail relay); None trusts the system's CAs only.
    cafile: str | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        return cls(
            server=config.get("MAIL_SERVER") or "",
            port=int(config.get("MAIL_PORT") or 25),
            username=config.get("MAIL_USERNAME") or "",
            password=config.get("MAIL_PASSWORD") or "",
            use_tls=bool(config.get("MAIL_USE_TLS")),
            use_ssl=bool(config.get("MAIL_USE_SSL")),
            sender=config.get("MAIL_DEFAULT_SENDER") or "eventapp@localhost",
        )


@dataclass(slots=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure (exponential, capped)."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def deliver_pending(
    settings: SmtpSettings,
    *,
    now: Callable[[], datetime] = utcnow,
    limit: int = 100,
    max_attempts: int = MAX_ATTEMPTS,
    keep_going: Callable[[], bool] = lambda: True,
) -> DeliveryReport:
    """Send due messages over SMTP, one transaction per message; returns what happened.

    Each message is claimed with `SELECT … FOR UPDATE SKIP LOCKED` (PostgreSQL), so
    several senders running at once never take the same row: the row lock is held while
    the message is handed to the SMTP server and released by the commit that marks it
    sent. Delivery is at-least-once by design: if the process dies after the server
    accepted the message but before that commit, the lock goes away with the connection,
    the row is still `pending`, and the next run sends it again. Nothing is lost; the
    copy carries the same Message-ID (built once, when queued), which lets receiving
    servers and mail clients recognise and drop the duplicate.
    """
    report = DeliveryReport()
    connection: smtplib.SMTP | None = None
    try:
        for _ in range(limit):
            if not keep_going():
                break
            message = _claim_next(now())
            if message is None:
                break
            try:
                if connection is None:
                    connection = _connect(settings)
                _send(connection, settings, message)
            except (smtplib.SMTPException, OSError) as error:
                _drop(connection)
                connection = None
                _record_failure(message, error, now(), max_attempts, report)
                db.session.commit()
                if not _is_permanent(error):
                    break  # the server is unwell: try the rest on the next run
                continue
            message.status = OutboxStatus.SENT
            message.sent_at = now()
            message.attempts += 1
            message.last_error = None
            db.session.commit()
            report.sent += 1
    finally:
        db.session.rollback()
        _drop(connection)
    return report


def _claim_next(now: datetime) -> OutboxMessage | None:
    return db.session.scalar(
        db.select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=settings.cafile)
    if settings.use_ssl:
        connection: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.server, settings.port, timeout=settings.timeout, context=context
        )
    else:
        connection = smtplib.SMTP(settings.server, settings.port, timeout=settings.timeout)
    try:
        if settings.use_tls:
            connection.starttls(context=context)
        if settings.username:
            connection.login(settings.username, settings.password)
    except BaseException:
        connection.close()  # a refused login must not leak the socket
        raise
    return connection


def _send(connection: smtplib.SMTP, settings: SmtpSettings, message: OutboxMessage) -> None:
    envelope_from = split_address(settings.sender)[1] or settings.sender
    # The stored message is 7-bit ASCII with CRLF line ends (builders/email.py).
    connection.sendmail(envelope_from, [message.to_address], message.raw.encode("ascii"))


def _drop(connection: smtplib.SMTP | None) -> None:
    if connection is not None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.quit()
    return None


def _is_permanent(error: Exception) -> bool:
    """A 5xx answer about this message (not the connection): retrying will not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


def _record_failure(
    message: OutboxMessage,
    error: Exception,
    now: datetime,
    max_attempts: int,
    report: DeliveryReport,
) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if _is_permanent(error) or message.attempts >= max_attempts:
        message.status = OutboxStatus.FAILED
        report.failed += 1
    else:
        message.next_attempt_at = now + backoff(message.attempts)
        report.retrying += 1


def preview(message: OutboxMessage) -> str:
    """The message's headers and plain-text part, for printing when no SMTP is set."""
    parsed = message_from_string(message.raw, policy=default)
    lines = [f"{name}: {parsed[name]}" for name in _PREVIEW_HEADERS if parsed[name]]
    body = parsed.get_body(("plain",))
    text = body.get_content() if body is not None else ""
    return "\n".join([*lines, "", text.rstrip(), ""])


_PREVIEW_HEADERS = ("Message-ID", "Date", "From", "To", "Reply-To", "Subject")
