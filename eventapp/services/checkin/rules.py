"""The check-in rules: what one scan at a door means, a pure function of one row.

`judge` is the rule; the PostgreSQL statement (`postgres.py`) applies it in SQL too, and
the scan (`scan.py`) refuses to commit if the two disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventapp.models import Category, RegistrationStatus, Role, ScanResult
from eventapp.names import display_name
from eventapp.services.checkin.badges import BadgeClaim

#: Roles that may check people in (today every role: admin ⊇ organizer ⊇ check-in).
CHECKIN_ROLES = tuple(role for role in Role if role.includes(Role.CHECKIN))


@dataclass(frozen=True, slots=True)
class Attendee:
    """Whose badge it is, read with the scan so the answer needs no further query."""

    registration_id: int
    event_id: int
    event_slug: str
    name: str
    name_alt: str | None
    organization: str | None
    country: str | None
    category: Category
    status: RegistrationStatus


@dataclass(frozen=True, slots=True)
class BadgeEvent:
    """For `wrong_event`: the event the badge belongs to, so staff can send people there."""

    slug: str
    title: str
    title_ko: str | None


@dataclass(frozen=True, slots=True)
class CheckinOutcome:
    """The answer shown at the door."""

    result: ScanResult
    attendee: Attendee | None = None
    #: Why an `invalid` badge is refused: "malformed", "revoked" (re-issued) or "unknown";
    #: why a session does not admit (`not_admitted`): one of `SESSION_REFUSALS`.
    reason: str | None = None
    first_checked_in_at: datetime | None = None
    badge_event: BadgeEvent | None = None


@dataclass(frozen=True, slots=True)
class Badge:
    """The registration a badge names, as the rules need it: one row, no ORM objects."""

    attendee: Attendee
    serial: int
    event: BadgeEvent
    #: When this registration was first checked in at this door or session, if it was.
    first_checked_in_at: datetime | None

    @classmethod
    def of(cls, row: Mapping[Any, Any]) -> Badge:
        """From either path's read: the registration's columns, its event's, the first time."""
        return cls(
            attendee=Attendee(
                registration_id=row["id"],
                event_id=row["event_id"],
                event_slug=row["slug"],
                name=display_name(row["given_name"], row["family_name"], row["name_order"]),
                name_alt=row["name_alt"],
                organization=row["organization_name"],
                country=row["country"],
                category=Category(row["category"]),
                status=RegistrationStatus(row["status"]),
            ),
            serial=row["badge_serial"],
            event=BadgeEvent(row["slug"], row["title"], row["title_ko"]),
            first_checked_in_at=row["first_checked_in_at"],
        )


#: The check-in rule as a table: the first fact that holds decides the result, with its
#: reason (None: the fact's own value, a `SESSION_REFUSALS` code, or no reason). Nothing
#: holds: `checked_in`. `judge` walks it here; the door page ships it (`rule_table`) to the
#: offline judge (static/js/checkin-offline.js), which works out the same named facts from
#: its copy: one rule, one home.
STEPS: tuple[tuple[str, ScanResult, str | None], ...] = (
    ("unreadable", ScanResult.INVALID, "malformed"),  # the token does not verify
    ("unknown", ScanResult.INVALID, "unknown"),  # it names no registration
    ("revoked", ScanResult.INVALID, "revoked"),  # an older serial: re-issued since
    ("other_event", ScanResult.WRONG_EVENT, None),
    ("not_confirmed", ScanResult.NOT_CONFIRMED, None),
    ("session_refuses", ScanResult.NOT_ADMITTED, None),
    ("seen_before", ScanResult.ALREADY_CHECKED_IN, None),
)
ADMIT = ScanResult.CHECKED_IN


def rule_table() -> dict[str, Any]:
    """`STEPS` as JSON for the offline judge."""
    return {
        "steps": [[fact, result.value, reason] for fact, result, reason in STEPS],
        "admit": ADMIT.value,
    }


def facts(
    claim: BadgeClaim | None,
    badge: Badge | None,
    event_slug: str | None,
    session_refusal: str | None = None,
) -> dict[str, bool | str | None]:
    """The named facts `STEPS` asks about (each read only when the ones before are false)."""
    return {
        "unreadable": claim is None,
        "unknown": badge is None,
        "revoked": badge is not None and claim is not None and badge.serial != claim.serial,
        "other_event": badge is not None
        and event_slug is not None
        and badge.event.slug != event_slug,
        "not_confirmed": badge is not None
        and badge.attendee.status is not RegistrationStatus.CONFIRMED,
        "session_refuses": session_refusal,
        "seen_before": badge is not None and badge.first_checked_in_at is not None,
    }


def judge(
    claim: BadgeClaim | None,
    badge: Badge | None,
    event_slug: str | None,
    now: datetime,
    session_refusal: str | None = None,
) -> CheckinOutcome:
    """What a scan at door `event_slug` means (the check-in rules, `STEPS`). `claim` is what
    the token says (None: it does not verify), `badge` the registration it names, if there is
    one, `session_refusal` why the session scanned at does not admit this person
    (`scan._session_door`).

    `checked_in` means "admit now": the caller still has to win the attendance insert.
    """
    known = facts(claim, badge, event_slug, session_refusal)
    result, reason = ADMIT, None
    for fact, step_result, step_reason in STEPS:
        if value := known[fact]:
            result = step_result
            reason = step_reason or (value if isinstance(value, str) else None)
            break
    if badge is None:
        return CheckinOutcome(result, reason=reason)
    first = {ScanResult.ALREADY_CHECKED_IN: badge.first_checked_in_at, ADMIT: now}.get(result)
    return CheckinOutcome(
        result,
        badge.attendee,
        reason=reason,
        first_checked_in_at=first,
        badge_event=badge.event if result is ScanResult.WRONG_EVENT else None,
    )


#: Why a session's door refuses someone confirmed for the event, most telling first.
SESSION_REFUSALS = ("session_cancelled", "session_unpublished", "no_seat")
