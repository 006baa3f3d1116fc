"""Meeting requests: limits, refusals with stable codes, answering, forged ids."""

from datetime import timedelta
from email import message_from_string
from email.policy import default

import pytest

from eventapp.errors import NotFound, PartneringRefused
from eventapp.models import Meeting, MeetingRequest, RequestStatus, db, utcnow
from eventapp.services.mail import outbox
from eventapp.services.partnering import requests
from tests.partnering.support import participant, partnering_event


def _count() -> int:
    return db.session.scalar(db.select(db.func.count(MeetingRequest.id)))


def _refused(code: str, *args, **kwargs) -> PartneringRefused:
    before = _count()
    with pytest.raises(PartneringRefused) as refused:
        requests.send_request(*args, **kwargs)
    db.session.rollback()
    assert refused.value.code == code
    assert refused.value.message
    assert _count() == before
    return refused.value


def test_a_request_is_mailed_to_the_other_side_in_their_language(ctx):
    event = partnering_event()
    asker = participant(event, "Example Launch", "US")
    asked = participant(event, "Example Sat", "KR", locale="ko")
    request = requests.send_request(asker, asked.id, note="Rideshare to LEO?")
    assert request.status is RequestStatus.OPEN
    message = outbox.messages_for(asked.registration)[-1]
    parsed = message_from_string(message.raw, policy=default)
    body = parsed.get_body(preferencelist=("plain",)).get_content()
    assert "Rideshare to LEO?" in body
    assert asker.registration.name in body
    assert asked.registration.manage_token in body


def test_refusals_change_nothing(ctx):
    event = partnering_event(request_limit=1)
    asker = participant(event, "Example A", "US")
    colleague = participant(event, organization_id=asker.organization_id)
    other = participant(event, "Example B", "KR")
    third = participant(event, "Example C", "KR")
    _refused("self_request", asker, asker.id)
    _refused("same_organization", asker, colleague.id)
    _refused("note_too_long", asker, other.id, note="x" * 501)
    requests.send_request(asker, other.id)
    _refused("duplicate_open", asker, other.id)
    _refused("duplicate_open", other, asker.id)  # either way round
    _refused("limit_reached", asker, third.id)


def test_requests_outside_the_window_are_refused(ctx):
    now = utcnow()
    event = partnering_event(requests_open_at=now + timedelta(days=1))
    asker, asked = participant(event, "Example A"), participant(event, "Example B", "KR")
    _refused("window_closed", asker, asked.id)


def test_accept_creates_an_unplaced_meeting_and_a_new_request_is_allowed_after(ctx):
    event = partnering_event()
    asker, asked = participant(event, "Example A"), participant(event, "Example B", "KR")
    request = requests.send_request(asker, asked.id)
    requests.respond(asked, request.id, accept=True)
    meeting = db.session.scalar(db.select(Meeting))
    assert meeting.request_id == request.id
    assert meeting.slot_id is None
    assert meeting.table_id is None
    assert {p.participant_id for p in meeting.people} == {asker.id, asked.id}
    assert outbox.messages_for(asker.registration)[-1].kind == "partnering_answered"
    with pytest.raises(PartneringRefused) as refused:
        requests.respond(asked, request.id, accept=False)
    assert refused.value.code == "not_open"


def test_a_forged_request_id_of_someone_else_is_not_found(ctx):
    event = partnering_event()
    a, b = participant(event, "Example A"), participant(event, "Example B", "KR")
    intruder = participant(event, "Example C", "KR")
    request = requests.send_request(a, b.id)
    with pytest.raises(NotFound):
        requests.respond(intruder, request.id, accept=True)
    with pytest.raises(NotFound):
        requests.respond(a, request.id, accept=True)  # the asker cannot accept their own
    with pytest.raises(NotFound):
        requests.cancel_request(b, request.id)
    db.session.rollback()
    assert db.session.get(MeetingRequest, request.id).status is RequestStatus.OPEN


def test_decline_then_cancel(ctx):
    event = partnering_event()
    a, b = participant(event, "Example A"), participant(event, "Example B", "KR")
    first = requests.send_request(a, b.id)
    requests.respond(b, first.id, accept=False)
    assert first.status is RequestStatus.DECLINED
    second = requests.send_request(a, b.id)
    requests.cancel_request(a, second.id)
    assert second.status is RequestStatus.CANCELLED
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0


def test_without_acceptance_requests_are_accepted_at_once(ctx):
    event = partnering_event(needs_acceptance=False)
    a, b = participant(event, "Example A"), participant(event, "Example B", "KR")
    request = requests.send_request(a, b.id)
    assert request.status is RequestStatus.ACCEPTED
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 1
