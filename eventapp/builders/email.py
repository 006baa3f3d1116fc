"""Build a complete RFC 5322 email (text + HTML, optionally an iMIP invitation).

An invitation follows RFC 6047: the iCalendar object travels as a `text/calendar;
method=…` alternative of the body, and also as an `invite.ics` attachment for clients
that only offer attachments. Every part is UTF-8 in an ASCII-safe transfer encoding.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.charset import BASE64, Charset
from email.header import Header
from email.headerregistry import Address
from email.utils import format_datetime, parseaddr
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class CalendarPart:
    """An iCalendar object to send as an invitation (METHOD must match the object's)."""

    ics: bytes
    method: str  # "REQUEST" or "CANCEL" (RFC 5546)
    filename: str = "invite.ics"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with the message (base64, `Content-Disposition: attachment`)."""

    filename: str
    content_type: str  # e.g. "application/pdf"
    data: bytes


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
    attachments: tuple[Attachment, ...] = ()


@lru_cache(maxsize=256)
def split_address(value: str) -> tuple[str, str]:
    """(display name, address) of an address header's value, as `parseaddr` reads it;
    remembered, since the sender and reply-to addresses recur in every message."""
    return parseaddr(value)


#: What `new_message_id` accepts as a Message-ID's left part (a dot-atom, RFC 5322 §3.6.4).
_LOCAL_PART = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*")


def new_message_id(sender: str, local_part: str | None = None) -> str:
    """A globally unique Message-ID in the sender's domain.

    128 bits from the OS's random source (uuid4), not `make_msgid`'s `random` module
    bits, which a seeded `random` (tests, forked workers) can repeat. With `local_part`
    (letters, digits, `.`, `_`, `-`), that instead: the caller makes it unique.
    """
    if local_part is not None and not _LOCAL_PART.fullmatch(local_part):
        raise ValueError(f"not a Message-ID left part: {local_part!r}")
    address = split_address(sender)[1]
    domain = address.rpartition("@")[2] or "localhost"
    return f"<{local_part or uuid.uuid4().hex}@{domain}>"


def build_email_bytes(content: EmailContent) -> bytes:
    """The message serialized with CRLF line ends, 7-bit clean.

    Structure: `multipart/mixed` [`multipart/alternative` [text/plain, text/html,
    text/calendar; method=…], `invite.ics`] for invitations, `multipart/alternative`
    [text/plain, text/html] otherwise, `text/plain` alone without HTML. Text is UTF-8 in
    quoted-printable, the calendar in base64. Written directly rather than through the
    `email` package's generator, which took a fifth of a registration's time for this
    one fixed shape; tests parse the result back with the `email` package.
    """
    body = _text_part("plain", content.text)
    if content.html is not None or content.calendar is not None:
        parts = [body]
        if content.html is not None:
            parts.append(_text_part("html", content.html))
        if content.calendar is not None:
            method = _quote(content.calendar.method)
            parts.append(
                _Part(
                    [f'Content-Type: text/calendar; charset="utf-8"; method={method}'],
                    _base64(content.calendar.ics),
                    "base64",
                )
            )
        body = _multipart("alternative", parts)
    if content.calendar is not None:
        # Also as an attachment: some webmail clients only offer attachments for import.
        attachment = _Part(
            [
                "Content-Type: application/ics",
                f"Content-Disposition: attachment; filename={_quote(content.calendar.filename)}",
            ],
            _base64(content.calendar.ics),
            "base64",
        )
        body = _multipart("mixed", [body, attachment])
    if content.attachments:
        files = [
            _Part(
                [
                    f"Content-Type: {content_type_of(item)}",
                    f"Content-Disposition: attachment; filename={_quote(item.filename)}",
                ],
                _base64(item.data),
                "base64",
            )
            for item in content.attachments
        ]
        body = _multipart("mixed", [body, *files])

    subject = one_line(content.subject)
    subject_charset = "us-ascii" if subject.isascii() else _BASE64
    headers = [
        _header("From", _address(content.sender, "From")),
        _header("To", _address(content.to, "To")),
        "Subject: " + Header(subject, subject_charset, header_name="Subject").encode(linesep=_CRLF),
        f"Date: {format_datetime(content.date)}",
        f"Message-ID: {content.message_id or new_message_id(content.sender)}",
    ]
    if content.reply_to:
        headers.append(_header("Reply-To", _address(content.reply_to, "Reply-To")))
    headers.append("Auto-Submitted: auto-generated")
    headers.extend(_header(name, one_line(value)) for name, value in content.headers.items())
    headers.append("MIME-Version: 1.0")
    return body.serialize(headers).encode("ascii")


_CRLF = "\r\n"


@dataclass(frozen=True, slots=True)
class _Part:
    """A MIME entity: its Content-* header lines and its encoded body (CRLF line ends)."""

    headers: list[str]
    body: str
    transfer_encoding: str | None = None

    def serialize(self, outer: Sequence[str] = ()) -> str:
        lines = [*outer, *self.headers]
        if self.transfer_encoding:
            lines.append(f"Content-Transfer-Encoding: {self.transfer_encoding}")
        return _CRLF.join(lines) + _CRLF + _CRLF + self.body


def content_type_of(attachment: Attachment) -> str:
    """The attachment's Content-Type, with its name for clients that look there."""
    return f"{one_line(attachment.content_type)}; name={_quote(attachment.filename)}"


def _text_part(subtype: str, text: str) -> _Part:
    crlf = _CRLF.join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    # A final CRLF, cut off again, makes b2a_qp use CRLF for its soft breaks too.
    encoded = binascii.b2a_qp((crlf + _CRLF).encode("utf-8"), istext=True)[:-2].decode("ascii")
    return _Part([f'Content-Type: text/{subtype}; charset="utf-8"'], encoded, "quoted-printable")


def _base64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii").replace("\n", _CRLF)


def _multipart(subtype: str, parts: Sequence[_Part]) -> _Part:
    # "=_" never occurs in quoted-printable or base64 text, so no part can contain it.
    boundary = f"=_{secrets.token_hex(16)}"
    body = "".join(f"--{boundary}{_CRLF}{part.serialize()}{_CRLF}" for part in parts)
    return _Part(
        [f'Content-Type: multipart/{subtype};{_CRLF} boundary="{boundary}"'],
        f"{body}--{boundary}--{_CRLF}",
    )


def _quote(value: str) -> str:
    """A MIME parameter value, quoted (RFC 2045 §5.1)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


#: Line breaks (CR, LF, NEL, U+2028/9) and other controls: a header cannot hold them.
_NOT_IN_HEADERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str) -> str:
    """Header text on one line: line breaks and controls become one space, runs of space
    one space. A stored title may hold a line break (an import, an older form); the
    Subject built from it must neither fail nor start a header of its own."""
    return " ".join(_NOT_IN_HEADERS.sub(" ", text).split())


def _header(name: str, value: str) -> str:
    """`Name: value`, folded at spaces when longer than 78 characters (RFC 5322 §2.2.3)."""
    line = f"{name}: {value}"
    if len(line) <= 78 or not value.isascii() or _CRLF in value:
        return line
    return f"{name}: " + Header(value, "us-ascii", header_name=name).encode(linesep=_CRLF)


def _charset(body_encoding: int) -> Charset:
    charset = Charset("utf-8")
    charset.header_encoding = BASE64
    charset.body_encoding = body_encoding
    return charset


_BASE64 = _charset(BASE64)


def _address(value: str, header_name: str) -> str:
    """An address header's value; a non-ASCII display name is encoded here, whole.

    Encoding the whole name as base64 words keeps the spaces inside it: a header folder
    that splits a mixed-script name can move a space between two encoded words, where
    RFC 2047 §6.2 tells readers to drop it ("Peña" arrived as "Peñ a").
    """
    display_name, address = split_address(value)
    if not display_name or display_name.isascii() or not address:
        return value
    encoded = Header(display_name, _BASE64, header_name=header_name).encode(linesep=_CRLF)
    return f"{encoded} <{address}>"


def format_address(name: str, address: str) -> str:
    """'Name <address>' with the name encoded as RFC 2047 requires."""
    local, _, domain = address.partition("@")
    return str(Address(display_name=name, username=local, domain=domain))
