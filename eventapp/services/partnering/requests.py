"""Meeting requests: asking, answering, cancelling.

At most one open request per pair, either way round: checked first for a clear message,
and refused by the database (UNIQUE `open_pair`) when two arrive at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from eventapp.errors import NotFound, PartneringRefused
from eventapp.models import (
    Account,
    Meeting,
    MeetingPerson,
    MeetingRequest,
    Participant,
    RequestStatus,
    db,
    utcnow,
)
from eventapp.models.partnering import NOTE_MAX
from eventapp.services import mail
from eventapp.services.accounts import record
from eventapp.services.partnering.profiles import settings_for


def pair_key(a: int, b: int) -> str:
    low, high = sorted((a, b))
    return f"{low}:{high}"


def _sent_count(participant: Participant) -> int:
    return db.session.scalar(
        db.select(db.func.count(MeetingRequest.id)).where(
            MeetingRequest.requester_id == participant.id,
            MeetingRequest.status.in_([RequestStatus.OPEN, RequestStatus.ACCEPTED]),
        )
    )


def send_request(
    requester: Participant,
    recipient_id: int,
    *,
    note: str | None = None,
    preferred_slot_ids: Iterable[int] = (),
    now: datetime | None = None,
) -> MeetingRequest:
    """Ask `recipient_id` (a participant of the same event) for a meeting; the other side
    is emailed. Accepted at once when the event does not need acceptance."""
    now = now or utcnow()
    settings = settings_for(requester.registration.event)
    recipient = db.session.get(Participant, recipient_id)
    if recipient is None or recipient.event_id != requester.event_id:
        raise NotFound("No such participant.")
    if not settings.window_open(now):
        raise PartneringRefused("window_closed", "Meeting requests are not open now.")
    if requester.withdrawn:
        raise PartneringRefused("withdrawn", "You have withdrawn from partnering.")
    if recipient.withdrawn:
        raise PartneringRefused("withdrawn", "This person no longer takes part in partnering.")
    if recipient.id == requester.id:
        raise PartneringRefused("self_request", "You cannot request a meeting with yourself.")
    if recipient.organization_id == requester.organization_id:
        raise PartneringRefused(
            "same_organization", "You cannot request a meeting within your own organization."
        )
    note = (note or "").strip() or None
    if note and len(note) > NOTE_MAX:
        raise PartneringRefused("note_too_long", f"The note is too long ({NOTE_MAX} characters).")
    slots = sorted({int(slot) for slot in preferred_slot_ids})
    key = pair_key(requester.id, recipient.id)
    if db.session.scalar(db.select(MeetingRequest.id).where(MeetingRequest.open_pair == key)):
        raise PartneringRefused("duplicate_open", "There is already an open request between you.")
    if _sent_count(requester) >= settings.request_limit:
        raise PartneringRefused(
            "limit_reached",
            f"You have reached the limit of {settings.request_limit} requests.",
            limit=settings.request_limit,
        )
    request = MeetingRequest(
        event_id=requester.event_id,
        requester=requester,
        recipient=recipient,
        note=note,
        preferred_slots=",".join(map(str, slots))[:300] or None,
        status=RequestStatus.OPEN,
        open_pair=key,
        created_at=now,
    )
    db.session.add(request)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise PartneringRefused(
            "duplicate_open", "There is already an open request between you."
        ) from None
    if not settings.needs_acceptance:
        _accept(request, now)
    mail.send_partnering_notice(
        "partnering_request",
        recipient.registration,
        lambda title: gettext("Meeting request: %(title)s", title=title),
        now=now,
        other_name=requester.registration.name,
        other_organization=requester.organization.name,
        note=note,
        accepted=request.status is RequestStatus.ACCEPTED,
    )
    record(None, "partnering.request", request, {"to": recipient.id})
    db.session.commit()
    return request


def _accept(request: MeetingRequest, now: datetime) -> Meeting:
    request.status, request.open_pair, request.responded_at = RequestStatus.ACCEPTED, None, now
    meeting = Meeting(event_id=request.event_id, request=request)
    meeting.people = [
        MeetingPerson(participant_id=request.requester_id),
        MeetingPerson(participant_id=request.recipient_id),
    ]
    db.session.add(meeting)
    db.session.flush()
    return meeting


def _own(participant: Participant, request_id: int, *, as_recipient: bool) -> MeetingRequest:
    """The request if it is this participant's (a forged id answers NotFound)."""
    request = db.session.get(MeetingRequest, request_id)
    side = request and (request.recipient_id if as_recipient else request.requester_id)
    if request is None or side != participant.id:
        raise NotFound("No such request.")
    if request.status is not RequestStatus.OPEN:
        raise PartneringRefused("not_open", "This request has already been answered.")
    return request


def respond(
    recipient: Participant, request_id: int, *, accept: bool, now: datetime | None = None
) -> MeetingRequest:
    """Accept (a meeting is created, not yet placed) or decline a request made to you."""
    now = now or utcnow()
    request = _own(recipient, request_id, as_recipient=True)
    if accept:
        _accept(request, now)
    else:
        request.status, request.open_pair, request.responded_at = (
            RequestStatus.DECLINED,
            None,
            now,
        )
    mail.send_partnering_notice(
        "partnering_answered",
        request.requester.registration,
        lambda title: gettext("Your meeting request was answered: %(title)s", title=title),
        now=now,
        other_name=recipient.registration.name,
        accepted=accept,
    )
    record(None, "partnering.accept" if accept else "partnering.decline", request, None)
    db.session.commit()
    return request


def cancel_request(
    requester: Participant, request_id: int, *, now: datetime | None = None
) -> MeetingRequest:
    """Take back an open request you made."""
    now = now or utcnow()
    request = _own(requester, request_id, as_recipient=False)
    request.status, request.open_pair, request.responded_at = RequestStatus.CANCELLED, None, now
    record(None, "partnering.request_cancel", request, None)
    db.session.commit()
    return request


def requests_of(participant: Participant) -> tuple[list[MeetingRequest], list[MeetingRequest]]:
    """(received, sent), newest first."""
    order = MeetingRequest.created_at.desc()
    received = db.session.scalars(
        db.select(MeetingRequest)
        .where(MeetingRequest.recipient_id == participant.id)
        .order_by(order)
    ).all()
    sent = db.session.scalars(
        db.select(MeetingRequest)
        .where(MeetingRequest.requester_id == participant.id)
        .order_by(order)
    ).all()
    return list(received), list(sent)


def event_requests(event_id: int) -> list[MeetingRequest]:
    """Every request of the event (organizers' list and CSV)."""
    return list(
        db.session.scalars(
            db.select(MeetingRequest)
            .where(MeetingRequest.event_id == event_id)
            .order_by(MeetingRequest.created_at, MeetingRequest.id)
        )
    )


def create_meeting(
    a: Participant, b: Participant, *, by: Account | None, now: datetime | None = None
) -> Meeting:
    """An organizer puts two participants in a meeting (unplaced), without a request."""
    if a.id == b.id or a.event_id != b.event_id:
        raise PartneringRefused("self_request", "A meeting needs two people of the event.")
    if a.withdrawn or b.withdrawn:
        raise PartneringRefused("withdrawn", "This person no longer takes part in partnering.")
    meeting = Meeting(event_id=a.event_id, pinned=False)
    meeting.people = [MeetingPerson(participant_id=a.id), MeetingPerson(participant_id=b.id)]
    db.session.add(meeting)
    db.session.flush()
    record(by, "partnering.meeting_create", meeting, {"people": [a.id, b.id]})
    db.session.commit()
    return meeting
