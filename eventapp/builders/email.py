"""Build a complete RFC 5322 email (text + HTML, optionally an iMIP invitation).

An invitation follows RFC 6047: the iCalendar object travels as a `text/calendar;
method=…` alternative of the body, and also as an `invite.ics` attachment for clients
that only offer attachments. Every part is UTF-8 in an ASCII-safe transfer encoding.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
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


def build_email(content: EmailContent) -> EmailMessage:
    """The message, ready for `smtplib.SMTP.send_message` or `as_bytes()`."""
    message = EmailMessage(policy=SMTP)
    _set_address(message, "From", content.sender)
    _set_address(message, "To", content.to)
    message["Subject"] = content.subject
    message["Date"] = format_datetime(content.date)
    message["Message-ID"] = content.message_id or new_message_id(content.sender)
    message["MIME-Version"] = "1.0"
    if content.reply_to:
        _set_address(message, "Reply-To", content.reply_to)
    message["Auto-Submitted"] = "auto-generated"
    for name, value in content.headers.items():
        message[name] = value

    message.set_content(content.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if content.html is not None:
        message.add_alternative(
            content.html, subtype="html", charset="utf-8", cte="quoted-printable"
        )
    if content.calendar is not None:
        ics_text = content.calendar.ics.decode("utf-8")
        message.add_alternative(
            ics_text,
            subtype="calendar",
            charset="utf-8",
            cte="base64",
            params={"method": content.calendar.method},
        )
        # Also as an attachment: some webmail clients only offer attachments for import.
        message.make_mixed()
        message.add_attachment(
            content.calendar.ics,
            maintype="application",
            subtype="ics",
            filename=content.calendar.filename,
        )
    return message


def _set_address(message: EmailMessage, name: str, value: str) -> None:
    """Set an address header; a non-ASCII display name is encoded here, whole.

    Python 3.11's header folder can split a long mixed-script name so that a space
    moves between two encoded words, where RFC 2047 §6.2 tells readers to drop it
    ("Peña" arrived as "Peñ a", "¦ ¦" as "¦¦"). `email.header.Header` encodes the whole
    name as base64 words, spaces inside, and `set_raw` keeps those lines as they are.
    """
    display_name, address = parseaddr(value)
    if not display_name or display_name.isascii() or not address:
        message[name] = value
        return
    encoded = Header(display_name, "utf-8", header_name=name).encode(linesep="\r\n")
    message.set_raw(name, f"{encoded}\r\n <{address}>")


def build_email_bytes(content: EmailContent) -> bytes:
    """The message serialized with CRLF line ends, 7-bit clean."""
    return build_email(content).as_bytes(policy=SMTP)


def format_address(name: str, address: str) -> str:
    """'Name <address>' with the name encoded as RFC 2047 requires."""
    local, _, domain = address.partition("@")
    return str(Address(display_name=name, username=local, domain=domain))
