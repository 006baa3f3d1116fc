"""Follow-up of recommendations: the CSV export and an owner's list sent by email.

Only published recommendations (`queries.is_public`) are listed, exported or sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask import current_app

from eventapp.builders.briefing.followup import FollowUpRow, build_follow_up_csv
from eventapp.builders.briefing.pdf import build_owner_list_pdf
from eventapp.builders.email import Attachment, format_address
from eventapp.errors import InvalidInput, NotAllowed
from eventapp.models import (
    Account,
    Organization,
    OrganizationKind,
    OutboxMessage,
    Recommendation,
    db,
)
from eventapp.services.accounts import normalize_email, record
from eventapp.services.mail.outbox import queue_email
from eventapp.services.outcomes.access import is_organizing
from eventapp.services.outcomes.queries import FollowUpFilter, follow_up
from eventapp.services.outcomes.report import owner_label, recommendation_item


def rows_of(recommendations: Sequence[Recommendation]) -> list[FollowUpRow]:
    """The recommendations as export rows (event, session, item)."""
    return [
        FollowUpRow(
            event=r.outcome.session.event.title,
            session=r.outcome.session.title,
            item=recommendation_item(r),
        )
        for r in recommendations
    ]


def export_csv(account: Account, chosen: FollowUpFilter) -> bytes:
    """The follow-up list as CSV (UTF-8 with BOM)."""
    return build_follow_up_csv(rows_of(follow_up(account, chosen)))


def send_owner_list(
    owner: Organization,
    *,
    contact_name: str,
    contact_email: str,
    by: Account,
    note: str = "",
    now: datetime | None = None,
) -> OutboxMessage:
    """Queue an email to the owner's named contact with their open list as a PDF.

    Lists the published recommendations `owner` owns on the events `by` acts on. Raises
    NotAllowed (not an organizer) or InvalidInput (field `contact_email`/`contact_name`).
    """
    if not is_organizing(by):
        raise NotAllowed("only organizers send follow-up lists")
    if owner.kind is not OrganizationKind.GOVERNMENT:
        raise InvalidInput("the owner must be a government body", field="owner_id")
    name = " ".join(contact_name.split())
    if not name or len(name) > 200:
        raise InvalidInput("give the contact's name (at most 200 characters)", field="contact_name")
    address = normalize_email(contact_email)
    local, _, domain = address.partition("@")
    if not local or "." not in domain or len(address) > 254 or any(c in address for c in " <>,"):
        raise InvalidInput(f"{contact_email!r} is not an email address", field="contact_email")
    if len(note) > 2000:
        raise InvalidInput("the note has at most 2000 characters", field="note")
    recommendations = follow_up(by, FollowUpFilter(owner_id=owner.id))
    rows = rows_of(recommendations)
    label = owner_label(owner)
    pdf = build_owner_list_pdf(
        f"Recommendations · 권고사항: {label}",
        f"{len(rows)} recommendation(s) · 권고 {len(rows)}건",
        [(f"{row.event} — {row.session}", row.item) for row in rows],
    )
    lines = [
        f"Dear {name},",
        "",
        f"Attached are the {len(rows)} recommendation(s) owned by {label}, with their "
        "follow-up state.",
        "",
        f"{name} 님, {label} 담당 권고사항 {len(rows)}건과 후속 조치 현황을 첨부합니다.",
    ]
    if note.strip():
        lines += ["", note.strip()]
    short = owner.short_name or owner.name
    message = queue_email(
        kind="follow_up",
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        to=format_address(name, address),
        subject=f"Recommendations for follow-up · 후속 조치 권고사항: {short}",
        text="\n".join(lines),
        reply_to=by.email,
        now=now,
        attachments=[Attachment(f"recommendations-{owner.id}.pdf", "application/pdf", pdf)],
    )
    db.session.flush()
    record(
        by,
        "recommendation.send_list",
        owner,
        {"to": address, "count": len(rows), "message": message.message_id},
    )
    db.session.commit()
    return message
