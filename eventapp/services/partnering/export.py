"""CSV of an event's requests and meetings for organizers (UTF-8 with a BOM for Excel)."""

from __future__ import annotations

import csv
import io

from eventapp.models import Event, Meeting, MeetingRequest, RequestStatus, db
from eventapp.services.partnering.requests import event_requests

COLUMNS = (
    "kind",
    "id",
    "status",
    "from_name",
    "from_organization",
    "to_name",
    "to_organization",
    "note",
    "created_at",
    "slot_starts_at",
    "table",
)


def _cell(value: object) -> str:
    """A leading = + - @ is defused (CSV formula injection), as in the registrants CSV."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def _to_organization_open(request: MeetingRequest) -> bool:
    return request.recipient_organization_id is not None and request.status is RequestStatus.OPEN


def export_csv(event: Event) -> bytes:
    zone = event.zone
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in event_requests(event.id):
        writer.writerow(
            _cell(v)
            for v in (
                "request",
                r.id,
                r.status.value,
                r.requester.registration.name,
                r.requester.organization.name,
                # Asked of an organization and not answered yet: no one person is asked.
                "" if _to_organization_open(r) else r.recipient.registration.name,
                r.recipient.organization.name,
                r.note,
                r.created_at.astimezone(zone).isoformat(timespec="minutes"),
                "",
                "",
            )
        )
    found = db.session.scalars(
        db.select(Meeting).where(Meeting.event_id == event.id).order_by(Meeting.id)
    )
    for m in found:
        a, b = (p.participant for p in m.people)
        writer.writerow(
            _cell(v)
            for v in (
                "meeting",
                m.id,
                m.status.value,
                a.registration.name,
                a.organization.name,
                b.registration.name,
                b.organization.name,
                "",
                m.created_at.astimezone(zone).isoformat(timespec="minutes"),
                m.slot.starts_at.astimezone(zone).isoformat(timespec="minutes") if m.slot else "",
                m.table.name if m.table else "",
            )
        )
    return buffer.getvalue().encode("utf-8-sig")
