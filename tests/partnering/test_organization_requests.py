"""Requests addressed to an organization (any of its delegates answers) and preferred
slots on a request."""

from email import message_from_string
from email.policy import default

import pytest

from eventapp.errors import NotFound, PartneringRefused
from eventapp.models import MeetingRequest, RequestStatus, db
from eventapp.services.mail import outbox
from eventapp.services.partnering import export, meetings, profiles, requests
from tests.partnering.support import participant, partnering_event, session


def _body(registration) -> str:
    message = outbox.messages_for(registration)[-1]
    parsed = message_from_string(message.raw, policy=default)
    return parsed.get_body(preferencelist=("plain",)).get_content()


def _count() -> int:
    return db.session.scalar(db.select(db.func.count(MeetingRequest.id)))


def test_a_request_to_an_organization_tells_every_delegate(ctx):
    event = partnering_event()
    asker = participant(event, "Example Launch", "US")
    first = participant(event, "Example Sat", "KR", locale="ko")
    second = participant(event, organization_id=first.organization_id)

    request = requests.send_request(asker, organization_id=first.organization_id, note="LEO?")

    assert request.recipient_organization_id == first.organization_id
    assert request.status is RequestStatus.OPEN
    for delegate in (first, second):
        body = _body(delegate.registration)
        assert "LEO?" in body
        assert delegate.registration.manage_token in body
    assert "any of its delegates may answer" in _body(second.registration)
    assert [r.id for r in requests.requests_of(second)[0]] == [request.id]
    assert [r.id for r in requests.requests_of(first)[0]] == [request.id]


def test_any_delegate_answers_and_becomes_the_recipient(ctx):
    event = partnering_event()
    asker = participant(event, "Example Launch", "US")
    first = participant(event, "Example Sat", "KR")
    second = participant(event, organization_id=first.organization_id)
    request = requests.send_request(asker, organization_id=first.organization_id)

    requests.respond(second, request.id, accept=True)

    db.session.expire_all()
    answered = db.session.get(MeetingRequest, request.id)
    assert answered.status is RequestStatus.ACCEPTED
    assert answered.recipient_id == second.id
    (meeting,) = meetings.meetings_of(second)
    assert {p.participant_id for p in meeting.people} == {asker.id, second.id}
    assert meetings.meetings_of(first) == []
    with pytest.raises(PartneringRefused) as again:
        requests.respond(first, request.id, accept=False)
    assert again.value.code == "not_open"


def test_someone_outside_the_organization_cannot_answer_it(ctx):
    event = partnering_event()
    asker = participant(event, "Example Launch", "US")
    asked = participant(event, "Example Sat", "KR")
    stranger = participant(event, "Example Other", "KR")
    request = requests.send_request(asker, organization_id=asked.organization_id)

    with pytest.raises(NotFound):
        requests.respond(stranger, request.id, accept=True)
    with pytest.raises(NotFound):
        requests.respond(asker, request.id, accept=True)

    db.session.rollback()
    assert db.session.get(MeetingRequest, request.id).status is RequestStatus.OPEN


def test_organization_requests_are_refused_like_personal_ones(ctx):
    event = partnering_event()
    asker = participant(event, "Example Launch", "US")
    colleague = participant(event, organization_id=asker.organization_id)
    asked = participant(event, "Example Sat", "KR")
    gone = participant(event, "Example Gone", "KR")
    profiles.withdraw(gone)
    before = _count()
    cases = [
        ("same_organization", colleague, asker.organization_id),
        ("withdrawn", asker, gone.organization_id),
    ]
    for code, who, organization_id in cases:
        with pytest.raises(PartneringRefused) as refused:
            requests.send_request(who, organization_id=organization_id)
        db.session.rollback()
        assert refused.value.code == code
    with pytest.raises(NotFound):
        requests.send_request(asker, organization_id=987654)
    requests.send_request(asker, organization_id=asked.organization_id)
    with pytest.raises(PartneringRefused) as twice:
        requests.send_request(asker, organization_id=asked.organization_id)
    db.session.rollback()
    assert twice.value.code == "duplicate_open"
    assert _count() == before + 1


def test_a_withdrawing_delegate_hands_the_request_to_a_colleague(ctx):
    event = partnering_event()
    asker = participant(event, "Example Launch", "US")
    first = participant(event, "Example Sat", "KR")
    second = participant(event, organization_id=first.organization_id)
    request = requests.send_request(asker, organization_id=first.organization_id)

    assert profiles.withdraw(first) == 0

    db.session.expire_all()
    kept = db.session.get(MeetingRequest, request.id)
    assert (kept.status, kept.recipient_id) == (RequestStatus.OPEN, second.id)
    assert profiles.withdraw(second) == 1
    db.session.expire_all()
    assert db.session.get(MeetingRequest, request.id).status is RequestStatus.CANCELLED


def test_open_organization_request_names_no_person_in_the_csv(ctx):
    event = partnering_event()
    asker = participant(event, "Example Launch", "US")
    asked = participant(event, "Example Sat", "KR")
    requests.send_request(asker, organization_id=asked.organization_id)

    rows = export.export_csv(event).decode("utf-8-sig").splitlines()

    request_row = next(row for row in rows if row.startswith("request,"))
    assert request_row.split(",")[5:7] == ["", "Example Sat"]


def test_preferred_slots_are_kept_and_checked(ctx):
    event = partnering_event()
    other_event = partnering_event()
    asker = participant(event, "Example Launch", "US")
    asked = participant(event, "Example Sat", "KR")
    slots = session(event).slots
    foreign = session(other_event).slots[0]

    with pytest.raises(PartneringRefused) as refused:
        requests.send_request(asker, asked.id, preferred_slot_ids=[slots[0].id, foreign.id])
    db.session.rollback()
    assert refused.value.code == "unknown_slot"
    assert _count() == 0

    request = requests.send_request(asker, asked.id, preferred_slot_ids=[slots[2].id, slots[0].id])
    assert request.preferred_slot_ids == [slots[0].id, slots[2].id]
