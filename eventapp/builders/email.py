"""Build a complete RFC 5322 email (text + HTML, optionally an iMIP invitation).

An invitation follows RFC 6047: the iCalendar object travels as a `text/calendar;
method=…` alternative of the body, and also as an `invite.ics` attachment for clients
that only offer attachments. Every part is UTF-8 in an ASCII-safe transfer encoding.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email import encoders
from email.charset import BASE64, QP, Charset
from email.header import Header
from email.headerregistry import Address
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, parseaddr


@dataclass(frozen=True, slots=True)
class CalendarPart:
    """An iCalendar object to send as an invitation (METHOD must match the object's)."""

    ics: bytes
    method: str  # "REQUEST" or "CANCEL" (RFC 5546)
    filename: str = "invite.ics"


@dataclass(frozen=True, slots=True)
class EmailContent:
    sender: str  # "Name <address>" or a bare address
    to: str
    subject: str
    text: str
    date: datetime  # aware
    html: str | None = None
    calendar: CalendarPart | None = None
    reply_to: str | None = None
    message_id: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def new_message_id(sender: str) -> str:
    """A globally unique Message-ID in the sender's domain.

    128 bits from the OS's random source (uuid4), not `make_msgid`'s `random` module
    bits, which a seeded `random` (tests, forked workers) can repeat.
    """
    address = parseaddr(sender)[1]
    domain = address.rpartition("@")[2] or "localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


def build_email_bytes(content: EmailContent) -> bytes:
    """The message serialized with CRLF line ends, 7-bit clean.

    Built with the `email` package's classic (compat32) API: the modern `EmailMessage`
    parses every header it is given and was a third of a registration's time; the
    result is the same MIME tree. Structure: `multipart/mixed` [`multipart/alternative`
    [text/plain, text/html, text/calendar; method=…], `invite.ics`] for invitations,
    `multipart/alternative` [text/plain, text/html] otherwise.
    """
    body: Message = MIMEText(content.text, "plain", _QUOTED_PRINTABLE)
    if content.html is not None or content.calendar is not None:
        alternative = MIMEMultipart("alternative")
        alternative.attach(body)
        if content.html is not None:
            alternative.attach(MIMEText(content.html, "html", _QUOTED_PRINTABLE))
        if content.calendar is not None:
            part = MIMEText(content.calendar.ics.decode("utf-8"), "calendar", _BASE64)
            part.set_param("method", content.calendar.method)
            alternative.attach(part)
        body = alternative
    if content.calendar is not None:
        # Also as an attachment: some webmail clients only offer attachments for import.
        mixed = MIMEMultipart("mixed")
        mixed.attach(body)
        attachment = MIMEBase("application", "ics")
        attachment.set_payload(content.calendar.ics)
        encoders.encode_base64(attachment)
        attachment.add_header(
            "Content-Disposition", "attachment", filename=content.calendar.filename
        )
        mixed.attach(attachment)
        body = mixed

    for part in body.walk():
        if part is not body:
            del part["MIME-Version"]  # the classic classes add it to every part; once is right
    body["From"] = _address(content.sender, "From")
    body["To"] = _address(content.to, "To")
    body["Subject"] = Header(
        content.subject, "us-ascii" if content.subject.isascii() else _BASE64, header_name="Subject"
    )
    body["Date"] = format_datetime(content.date)
    body["Message-ID"] = content.message_id or new_message_id(content.sender)
    if content.reply_to:
        body["Reply-To"] = _address(content.reply_to, "Reply-To")
    body["Auto-Submitted"] = "auto-generated"
    for name, value in content.headers.items():
        body[name] = value
    return body.as_bytes(policy=_WIRE)


def _charset(body_encoding: int) -> Charset:
    charset = Charset("utf-8")
    charset.header_encoding = BASE64
    charset.body_encoding = body_encoding
    return charset


_QUOTED_PRINTABLE = _charset(QP)
_BASE64 = _charset(BASE64)
_WIRE = compat32.clone(linesep="\r\n")


def _address(value: str, header_name: str) -> str:
    """An address header's value; a non-ASCII display name is encoded here, whole.

    Encoding the whole name as base64 words keeps the spaces inside it: a header folder
    that splits a mixed-script name can move a space between two encoded words, where
    RFC 2047 §6.2 tells readers to drop it ("Peña" arrived as "Peñ a").
    """
    display_name, address = parseaddr(value)
    if not display_name or display_name.isascii() or not address:
        return value
    encoded = Header(display_name, _BASE64, header_name=header_name).encode(linesep="\r\n")
    return f"{encoded} <{address}>"


def format_address(name: str, address: str) -> str:
    """'Name <address>' with the name encoded as RFC 2047 requires."""
    local, _, domain = address.partition("@")
    return str(Address(display_name=name, username=local, domain=domain))
