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
    Organization,
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


#: At most this many preferred slots on one request.
PREFERRED_MAX = 12


def delegates(event_id: int, organization_id: int) -> list[Participant]:
    """The organization's delegates still taking part in the event, oldest first."""
    return list(
        db.session.scalars(
            db.select(Participant)
            .where(
                Participant.event_id == event_id,
                Participant.organization_id == organization_id,
                Participant.withdrawn.is_(False),
            )
            .order_by(Participant.id)
        )
    )


def _addressee(
    requester: Participant, recipient_id: int | None, organization_id: int | None
) -> tuple[Participant, list[Participant], Organization | None]:
    """(recipient, everyone to tell, the organization asked or None)."""
    if organization_id is not None:
        organization = db.session.get(Organization, organization_id)
        known = organization is not None and db.session.scalar(
            db.select(Participant.id).where(
                Participant.event_id == requester.event_id,
                Participant.organization_id == organization_id,
            )
        )
        if not known:
            raise NotFound("No such organization.")
        people = delegates(requester.event_id, organization_id)
        if not people:
            raise PartneringRefused(
                "withdrawn", "This organization no longer takes part in partnering."
            )
        return people[0], people, organization
    recipient = db.session.get(Participant, recipient_id) if recipient_id else None
    if recipient is None or recipient.event_id != requester.event_id:
        raise NotFound("No such participant.")
    return recipient, [recipient], None


def _preferred(event_id: int, slot_ids: Iterable[int]) -> str | None:
    from eventapp.services.partnering.meetings import event_slot_ids

    slots = sorted({int(slot) for slot in slot_ids})
    if len(slots) > PREFERRED_MAX:
        raise PartneringRefused(
            "too_many_slots", f"Choose at most {PREFERRED_MAX} preferred times."
        )
    if not set(slots) <= event_slot_ids(event_id):
        raise PartneringRefused("unknown_slot", "One of these times is not a meeting slot.")
    return ",".join(map(str, slots)) or None


def send_request(
    requester: Participant,
    recipient_id: int | None = None,
    *,
    organization_id: int | None = None,
    note: str | None = None,
    preferred_slot_ids: Iterable[int] = (),
    now: datetime | None = None,
) -> MeetingRequest:
    """Ask `recipient_id` (a participant of the same event), or the organization
    `organization_id` (any of its delegates), for a meeting, with a note and preferred slots
    (a hint). The other side is emailed. Accepted at once when the event does not need
    acceptance (an organization's request then goes to its first delegate)."""
    now = now or utcnow()
    settings = settings_for(requester.registration.event)
    recipient, told, organization = _addressee(requester, recipient_id, organization_id)
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
    preferred = _preferred(requester.event_id, preferred_slot_ids)
    key = (
        f"{requester.id}:o{organization.id}"
        if organization is not None
        else pair_key(requester.id, recipient.id)
    )
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
        recipient_organization=organization,
        note=note,
        preferred_slots=preferred,
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
    for person in told:
        mail.send_partnering_notice(
            "partnering_request",
            person.registration,
            lambda title: gettext("Meeting request: %(title)s", title=title),
            now=now,
            other_name=requester.registration.name,
            other_organization=requester.organization.name,
            note=note,
            accepted=request.status is RequestStatus.ACCEPTED,
            to_organization=organization is not None and request.status is RequestStatus.OPEN,
        )
    record(
        None,
        "partnering.request",
        request,
        {"to": recipient.id, "organization": organization.id if organization else None},
    )
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
    for_my_organization = (
        as_recipient
        and request is not None
        and request.recipient_organization_id is not None
        and request.recipient_organization_id == participant.organization_id
        and not participant.withdrawn
    )
    if request is None or (side != participant.id and not for_my_organization):
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
    # A request to an organization is answered by whichever delegate answers first.
    request.recipient, request.recipient_id = recipient, recipient.id
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
    to_me = (MeetingRequest.recipient_id == participant.id) & (
        MeetingRequest.recipient_organization_id.is_(None)
    )
    received = db.session.scalars(
        db.select(MeetingRequest)
        .where(to_me | (MeetingRequest.recipient_organization_id == participant.organization_id))
        .where(MeetingRequest.event_id == participant.event_id)
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
