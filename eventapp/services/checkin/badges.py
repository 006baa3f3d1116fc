"""Badges: the signed token in the QR code, and the data printed on each badge.

Token format (all of it covered by the MAC):
    base32( uvarint(event_id) ‖ uvarint(registration_id) ‖ uvarint(badge_serial) ‖ mac80 )
with mac80 the first 10 bytes of HMAC-SHA256 under a key derived from SECRET_KEY for this
purpose only. Upper-case base32 uses QR's alphanumeric mode, so a typical token is 23
characters and a version 2 symbol at error correction Q. We did not use itsdangerous:
its tokens are mixed-case base64 (byte mode, a bigger symbol) with a 27-character
signature. An 80-bit MAC is verified online only, so it cannot be brute-forced offline.
Bumping `badge_serial` revokes a printed badge; `BADGE_SIGNING_KEYS` lists old secrets
whose badges still verify after SECRET_KEY rotates.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func

from eventapp.builders.badge_layout import BadgeData, unprintable
from eventapp.builders.badge_pdf import Layout, build_badges_pdf
from eventapp.builders.qr import qr_symbols
from eventapp.countries import country_name
from eventapp.errors import BadgeUnavailable, InvalidBadgeToken
from eventapp.models import Account, Category, Event, Registration, RegistrationStatus, db
from eventapp.services import mail
from eventapp.services.accounts import record

PURPOSE = b"eventapp/badge-token/v1"
MAC_BYTES = 10
MAX_TOKEN_LENGTH = 48

#: Band colour, and the word printed on it in English and Korean (colour is never the only
#: cue). White text on each colour has a contrast of at least 4.5:1.
CATEGORY_STYLE: dict[Category, tuple[str, str, str]] = {
    Category.GOVERNMENT: ("#1f3a93", "Government", "정부"),
    Category.INDUSTRY: ("#1b6e30", "Industry", "산업계"),
    Category.ACADEMIA: ("#6a1b9a", "Academia", "학계"),
    Category.PRESS: ("#a33f00", "Press", "언론"),
    Category.SPEAKER: ("#a4161a", "Speaker", "연사"),
    Category.STAFF: ("#1b1f24", "Staff", "스태프"),
    Category.OTHER: ("#4a5562", "Participant", "참가자"),
}


@dataclass(frozen=True, slots=True)
class BadgeKeys:
    """The key that signs new badges, and every key that still verifies old ones."""

    signing: bytes
    verifying: tuple[bytes, ...]

    @classmethod
    def from_secrets(cls, current: str, old: Iterable[str] | str | None = None) -> BadgeKeys:
        """Derive badge keys from SECRET_KEY and the old secrets in BADGE_SIGNING_KEYS."""
        if isinstance(old, str):
            old = old.split(",")
        secrets = [current, *(s.strip() for s in (old or ()) if s and s.strip())]
        keys = tuple(_derive(s) for s in dict.fromkeys(secrets))
        return cls(signing=keys[0], verifying=keys)


def _derive(secret: str) -> bytes:
    if not secret:
        raise ValueError("badge keys need a non-empty SECRET_KEY")
    return hmac.new(secret.encode("utf-8"), PURPOSE, hashlib.sha256).digest()


@dataclass(frozen=True, slots=True)
class BadgeClaim:
    """What a verified token says: whose badge, for which event, which issue of it."""

    event_id: int
    registration_id: int
    serial: int


def _uvarint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _read_uvarints(data: bytes, count: int) -> list[int]:
    values, position = [], 0
    for _ in range(count):
        value = shift = 0
        while True:
            if position >= len(data) or shift > 35:
                raise InvalidBadgeToken("malformed badge token")
            byte = data[position]
            position += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        values.append(value)
    if position != len(data):
        raise InvalidBadgeToken("malformed badge token")
    return values


def _mac(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).digest()[:MAC_BYTES]


def sign_claim(claim: BadgeClaim, keys: BadgeKeys) -> str:
    """The token for `claim`, signed with the current key."""
    body = _uvarint(claim.event_id) + _uvarint(claim.registration_id) + _uvarint(claim.serial)
    return base64.b32encode(body + _mac(keys.signing, body)).decode("ascii").rstrip("=")


def badge_token(registration: Registration, keys: BadgeKeys) -> str:
    """The token printed in this registration's badge QR code."""
    claim = BadgeClaim(registration.event_id, registration.id, registration.badge_serial)
    return sign_claim(claim, keys)


# A USB scanner "types" the code as key presses. With a Korean input method in Hangul
# mode those keys arrive as Hangul (r k → 가): map them back to the keys of the standard
# 2-beolsik layout, so a badge scans whatever mode the door laptop's keyboard is in.
_JAMO_KEYS = dict(
    zip(
        "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡㅃㅉㄸㄲㅆㅒㅖ",
        "QWERTYUIOPASDFGHJKLZXCVBNMQWERTOP",
        strict=True,
    )
)
_COMPOUND_JAMO = {
    "ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ", "ㅝ": "ㅜㅓ",
    "ㅞ": "ㅜㅔ", "ㅟ": "ㅜㅣ", "ㅢ": "ㅡㅣ",
    "ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ",
    "ㄽ": "ㄹㅅ", "ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ",
}  # fmt: skip
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")


def _keys_typed(char: str) -> str:
    """The keys that produce `char` in Hangul mode (itself for anything else)."""
    code = ord(char) - 0xAC00
    if 0 <= code < 11172:  # a composed syllable: initial, medial, optional final
        jamo = _INITIALS[code // 588] + _MEDIALS[code % 588 // 28] + _FINALS[code % 28]
        return "".join(_keys_typed(j) for j in jamo)
    if char in _COMPOUND_JAMO:
        return "".join(_JAMO_KEYS[j] for j in _COMPOUND_JAMO[char])
    return _JAMO_KEYS.get(char, char)


def hangul_keys() -> dict[str, Any]:
    """The tables `normalize_token` reads Hangul-mode keys back with, as JSON for the
    offline judge in the browser: the keys of each jamo, and the jamo of a syllable."""
    return {
        "jamo": {jamo: _keys_typed(jamo) for jamo in (*_JAMO_KEYS, *_COMPOUND_JAMO)},
        "initials": _INITIALS,
        "medials": _MEDIALS,
        "finals": list(_FINALS),
    }


#: The letters of a badge code: RFC 4648 base32, so never 0, 1, 8 or 9.
CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
#: Digits people type for the letters that look like them on a badge: 0 for O; 1 for I
#: or for L (each spelling is tried: the MAC tells which one was printed).
_LOOK_ALIKES = {"0": "O", "1": "IL"}
#: At most 2**8 spellings are tried; a code has about one I or L on average.
_MAX_AMBIGUOUS = 8


def normalize_token(text: str) -> str:
    """What scanners and people type: any case, spaces or hyphens, even Hangul-mode keys,
    0 for O (1, for I or L, stays: see `_spellings`)."""
    typed = "".join(_keys_typed(c) for c in "".join(text.split()))
    return typed.replace("-", "").upper().replace("0", "O")


def _spellings(text: str) -> list[str]:
    """Every code `text` may stand for: one, or one per reading of each 1 as I or L."""
    token = normalize_token(text)
    if not 0 < token.count("1") <= _MAX_AMBIGUOUS:
        return [token]
    return [
        "".join(letters) for letters in itertools.product(*(_LOOK_ALIKES.get(c, c) for c in token))
    ]


def read_token(text: str, keys: BadgeKeys) -> BadgeClaim:
    """The claim in a badge token as scanned or typed (`normalize_token`). Raises
    InvalidBadgeToken if malformed or not ours."""
    spellings = _spellings(text or "")
    for token in spellings[:-1]:
        with contextlib.suppress(InvalidBadgeToken):
            return _read_code(token, keys)
    return _read_code(spellings[-1], keys)


def _read_code(token: str, keys: BadgeKeys) -> BadgeClaim:
    if not 16 <= len(token) <= MAX_TOKEN_LENGTH:
        raise InvalidBadgeToken("malformed badge token")
    try:
        raw = base64.b32decode(token + "=" * (-len(token) % 8))
    except (binascii.Error, ValueError) as error:
        raise InvalidBadgeToken("malformed badge token") from error
    # One spelling per token: unused trailing bits must be zero, or an altered last
    # character could decode to the same bytes.
    if base64.b32encode(raw).decode("ascii").rstrip("=") != token or len(raw) <= MAC_BYTES:
        raise InvalidBadgeToken("malformed badge token")
    body, mac = raw[:-MAC_BYTES], raw[-MAC_BYTES:]
    if not any(hmac.compare_digest(mac, _mac(key, body)) for key in keys.verifying):
        raise InvalidBadgeToken("badge token signature does not verify")
    event_id, registration_id, serial = _read_uvarints(body, 3)
    return BadgeClaim(event_id, registration_id, serial)


def badge_data(registration: Registration, keys: BadgeKeys) -> BadgeData:
    """What goes on this registration's badge. Raises BadgeUnavailable unless confirmed."""
    if registration.status is not RegistrationStatus.CONFIRMED:
        raise BadgeUnavailable(
            f"no badge for a {registration.status.value} registration",
            status=registration.status.value,
        )
    color, label, label_ko = CATEGORY_STYLE.get(
        registration.category, CATEGORY_STYLE[Category.OTHER]
    )
    event = registration.event
    return BadgeData(
        token=badge_token(registration, keys),
        event_title=event.title,
        event_title_alt=event.title_ko,
        name=registration.name,
        name_alt=registration.name_alt if registration.name_alt != registration.name else None,
        organization=registration.organization_name,
        country=country_name(registration.country, "en") or None,
        category_label=label,
        category_label_alt=label_ko,
        color=color,
    )


def left_off_badge(registration: Registration) -> str:
    """The characters of the registrant's name or organization their badge cannot print
    (shown to them and to organizers, so nobody learns it at the door)."""
    return unprintable(registration.name, registration.name_alt, registration.organization_name)


def badge_registrations(
    event: Event, *, categories: Sequence[Category] = (), confirmed_since: datetime | None = None
) -> list[Registration]:
    """Confirmed registrations of `event` (optionally of some categories, or only those
    confirmed since a moment: the late ones, after a first print run), by family name."""
    statement = db.select(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED
    )
    if categories:
        statement = statement.where(Registration.category.in_(categories))
    if confirmed_since is not None:
        statement = statement.where(Registration.confirmed_at >= confirmed_since)
    rows = db.session.scalars(statement).all()
    return sorted(rows, key=lambda r: (*r.sort_key, r.id))


def confirmed_by_category(event: Event) -> dict[Category, int]:
    """How many confirmed registrations each category has (for the batch page)."""
    rows = db.session.execute(
        db.select(Registration.category, func.count(Registration.id))
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .group_by(Registration.category)
    ).all()
    return {Category(category): count for category, count in rows}


def batch_pdf(
    event: Event,
    keys: BadgeKeys,
    *,
    categories: Sequence[Category] = (),
    confirmed_since: datetime | None = None,
    layout: Layout = "a6",
    progress: Callable[[int], None] | None = None,
) -> tuple[int, bytes]:
    """All confirmed attendees' badges in one PDF, sorted by family name: (count, bytes)."""
    registrations = badge_registrations(
        event, categories=categories, confirmed_since=confirmed_since
    )
    badges = [badge_data(r, keys) for r in registrations]
    symbols = qr_symbols([badge.token for badge in badges])
    pdf = build_badges_pdf(
        (replace(badge, qr=symbol) for badge, symbol in zip(badges, symbols, strict=True)),
        layout=layout,
        title=f"{event.title} badges",
        progress=progress,
    )
    return len(registrations), pdf


def reissue_badge(registration: Registration, *, by: Account | None = None) -> int:
    """Revoke the printed badge by bumping its serial, and email the person the new one;
    returns the new serial."""
    registration.badge_serial += 1
    record(by, "registration.reissue_badge", registration, {"serial": registration.badge_serial})
    mail.send_badge_reissued(registration)
    db.session.commit()
    return registration.badge_serial
