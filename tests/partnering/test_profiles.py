"""Opting in, organization profiles and tags, withdrawing."""

from email import message_from_string
from email.policy import default

import pytest

from eventapp.errors import NotAllowed, PartneringRefused
from eventapp.models import (
    MeetingRequest,
    OrganizationTag,
    Participant,
    RegistrationStatus,
    RequestStatus,
    TagDirection,
    db,
)
from eventapp.services.mail import outbox
from eventapp.services.partnering import profiles, requests
from eventapp.services.partnering.profiles import OrganizationDetails
from tests.factories import make_event, make_registration
from tests.partnering.support import participant, partnering_event


def test_partnering_is_off_by_default_and_opting_in_is_refused(ctx):
    event = make_event()
    assert profiles.settings_for(event).enabled is False
    with pytest.raises(PartneringRefused) as refused:
        profiles.opt_in(make_registration(event), new_organization=OrganizationDetails("X"))
    assert refused.value.code == "partnering_off"
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0


def test_only_confirmed_registrants_opt_in(ctx):
    event = partnering_event()
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)
    with pytest.raises(PartneringRefused) as refused:
        profiles.opt_in(waiting, new_organization=OrganizationDetails("Example Co"))
    assert refused.value.code == "not_confirmed"


def test_two_people_of_one_company_share_the_profile_only_the_creator_edits_it(ctx):
    event = partnering_event()
    first = participant(event, "Example Launch Co", "KR", offers=("launch",))
    second = participant(event, organization_id=first.organization_id)
    assert second.organization is first.organization
    assert first.organization.created_by_registration_id == first.registration_id
    assert profiles.can_edit(first.organization, first)
    assert not profiles.can_edit(first.organization, second)
    with pytest.raises(NotAllowed):
        profiles.update_organization(
            event,
            first.organization,
            OrganizationDetails("Hijacked"),
            offers=(),
            seeks=(),
            participant=second,
        )
    # An organizer may.
    profiles.update_organization(
        event,
        first.organization,
        OrganizationDetails("Example Launch Co", name_ko="예시 발사", country="KR"),
        offers=("launch", "satellites"),
        seeks=("ground-segment",),
        organizer=True,
    )
    tags = profiles.organization_tags(event, first.organization_id)
    assert [t.key for t in tags[TagDirection.OFFERS]] == ["launch", "satellites"]
    assert [t.key for t in tags[TagDirection.SEEKS]] == ["ground-segment"]
    assert first.organization.name_ko == "예시 발사"


def test_unknown_tag_is_refused_and_changes_nothing(ctx):
    event = partnering_event()
    person = participant(event, "Example Sat", offers=("launch",))
    with pytest.raises(PartneringRefused) as refused:
        profiles.update_organization(
            event,
            person.organization,
            OrganizationDetails("Renamed"),
            offers=("launch", "warp-drive"),
            seeks=(),
            participant=person,
        )
    assert refused.value.code == "unknown_tag"
    assert "warp-drive" in refused.value.message
    db.session.rollback()
    assert person.organization.name == "Example Sat"
    assert db.session.scalar(db.select(db.func.count(OrganizationTag.id))) == 1


def test_overlong_discussion_line_is_refused(ctx):
    event = partnering_event()
    with pytest.raises(PartneringRefused) as refused:
        profiles.opt_in(
            make_registration(event),
            new_organization=OrganizationDetails("Example Co"),
            discuss="x" * 1001,
        )
    assert refused.value.code == "discuss_too_long"
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0


def test_tags_are_bilingual_and_renamed_by_key(ctx):
    event = partnering_event()
    tag = profiles.save_tag(
        event, key="Launch", name="Launch services", name_ko="발사 서비스", by=None
    )
    assert [t.key for t in profiles.tags_of(event)].count("launch") == 1
    assert tag.label("ko") == "발사 서비스"
    assert tag.label("en") == "Launch services"


def test_withdrawing_cancels_open_requests_and_tells_the_other_side(ctx):
    event = partnering_event()
    leaver = participant(event, "Example A", "US")
    other = participant(event, "Example B", "KR", locale="ko")
    third = participant(event, "Example C", "KR")
    requests.send_request(leaver, other.id, note="Hello")
    requests.send_request(third, leaver.id)
    assert profiles.withdraw(leaver) == 2
    assert leaver.withdrawn
    statuses = set(db.session.scalars(db.select(MeetingRequest.status)))
    assert statuses == {RequestStatus.CANCELLED}
    assert db.session.scalar(db.select(MeetingRequest.open_pair).limit(1)) is None
    kinds = [m.kind for m in outbox.messages_for(other.registration)]
    assert kinds == ["partnering_request", "partnering_cancelled"]
    notice = message_from_string(outbox.messages_for(third.registration)[-1].raw, policy=default)
    body = notice.get_body(preferencelist=("plain",)).get_content()
    assert leaver.registration.name in body
    # Withdrawn people can no longer be asked.
    with pytest.raises(PartneringRefused) as refused:
        requests.send_request(third, leaver.id)
    assert refused.value.code == "withdrawn"
