"""Delegations (#17): the head registers members at once within the seats, or hands
each a personal link; the members' rows say which delegation; all or nothing."""

from email import message_from_string, policy

import pytest

from eventapp.errors import AlreadyRegistered, DelegationFull, InvalidInput
from eventapp.models import AdmissionMode, Category, OutboxMessage, Registration, db
from eventapp.models import RegistrationStatus as Status
from eventapp.services import registration as registrations
from eventapp.services.admission import delegations, invitees
from eventapp.services.registration import changes
from tests.factories import make_event, make_registration_data


def _delegation(event, seats=3, name="MSIT"):
    return delegations.create_delegation(
        event,
        delegations.DelegationData(
            name=name,
            head_given_name="Jiwon",
            head_family_name="Park",
            head_email="Head@Example.org",
            seats=seats,
        ),
    )


def _member(email, given="Ana"):
    return delegations.MemberData(email=email, given_name=given, family_name="Lee")


def test_head_gets_the_page_link_by_email(ctx):
    event = make_event()
    delegation = _delegation(event)
    [message] = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.kind == "delegation_head")
    )
    assert "head@example.org" in message.to_address
    parsed = message_from_string(message.raw, policy=policy.default)
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    assert f"/delegation/{delegation.head_token}" in text
    assert "MSIT" in parsed["Subject"] or "MSIT" in text
    assert delegations.find_by_head_token(delegation.head_token).id == delegation.id
    assert delegations.find_by_head_token("short") is None


def test_head_registers_members_at_once_within_the_seats(ctx):
    event = make_event(capacity=100)
    delegation = _delegation(event, seats=3)
    made = delegations.register_members(
        delegation, [_member("a@example.org"), _member("b@example.org")]
    )
    assert [r.status for r in made] == [Status.CONFIRMED, Status.CONFIRMED]
    assert {r.delegation_id for r in made} == {delegation.id}
    kinds = db.session.scalars(
        db.select(OutboxMessage.kind).where(OutboxMessage.registration_id.in_([r.id for r in made]))
    ).all()
    assert sorted(kinds) == ["confirmation", "confirmation"]

    with pytest.raises(DelegationFull) as full:
        delegations.register_members(
            delegation, [_member("c@example.org"), _member("d@example.org")]
        )
    assert full.value.details["left"] == 1
    count = db.session.scalar(
        db.select(db.func.count(Registration.id)).where(Registration.delegation_id == delegation.id)
    )
    assert count == 2  # all or nothing

    delegations.register_members(delegation, [_member("c@example.org")])
    members = delegations.members(delegation)
    assert members.holding == 3


def test_a_cancelled_member_frees_the_delegation_seat(ctx):
    event = make_event(capacity=100)
    delegation = _delegation(event, seats=1)
    [member] = delegations.register_members(delegation, [_member("a@example.org")])
    changes.cancel_registration(member)
    delegations.register_members(delegation, [_member("b@example.org")])


def test_duplicates_are_refused_and_nothing_is_written(ctx):
    event = make_event(capacity=100)
    delegation = _delegation(event, seats=None)
    registrations.register(event, make_registration_data("taken@example.org"))
    with pytest.raises(AlreadyRegistered) as taken:
        delegations.register_members(
            delegation, [_member("new@example.org"), _member("Taken@example.org")]
        )
    assert taken.value.details["email"] == "taken@example.org"
    with pytest.raises(InvalidInput):
        delegations.register_members(
            delegation, [_member("x@example.org"), _member("X@example.org")]
        )
    with pytest.raises(InvalidInput):
        delegations.register_members(delegation, [])
    assert delegations.members(delegation).registrations == []


def test_personal_links_of_the_delegation_count_against_its_seats(ctx):
    event = make_event(capacity=100, admission_mode=AdmissionMode.INVITATION)
    delegation = _delegation(event, seats=1)
    first = delegations.invite_member(delegation, _member("a@example.org"))
    second = delegations.invite_member(delegation, _member("b@example.org", "Bo"))
    outcome = registrations.register(event, make_registration_data(), invitation=first)
    registration = db.session.get(Registration, outcome.registration_id)
    assert registration.delegation_id == delegation.id
    with pytest.raises(DelegationFull):
        registrations.register(event, make_registration_data(), invitation=second)
    assert invitees.find_by_token(second.token).registration_id is None


def test_approval_event_members_wait_for_approval(ctx):
    event = make_event(capacity=100, admission_mode=AdmissionMode.APPROVAL)
    delegation = _delegation(event)
    [member] = delegations.register_members(delegation, [_member("a@example.org")])
    assert member.status is Status.PENDING


def test_head_is_led_by_on_their_own_registration(ctx):
    event = make_event(capacity=100)
    delegation = _delegation(event)
    outcome = registrations.register(event, make_registration_data("head@example.org"))
    head = db.session.get(Registration, outcome.registration_id)
    assert delegations.led_by(head).id == delegation.id
    assert (
        delegations.led_by(
            db.session.get(
                Registration,
                registrations.register(event, make_registration_data()).registration_id,
            )
        )
        is None
    )


def test_member_category_is_kept(ctx):
    event = make_event(capacity=100)
    delegation = _delegation(event)
    [member] = delegations.register_members(
        delegation,
        [delegations.MemberData(email="p@example.org", given_name="Pr", category=Category.PRESS)],
    )
    assert member.category is Category.PRESS


def test_registrants_list_and_csv_group_by_delegation(ctx):
    import csv
    import io

    from eventapp.services.registration.registrants import (
        RegistrantFilter,
        export_csv,
        registrants_statement,
    )

    event = make_event(capacity=100)
    zulu = _delegation(event, seats=None, name="Zulu")
    alpha = _delegation(event, seats=None, name="Alpha")
    registrations.register(event, make_registration_data("solo@example.org", family_name="Aaa"))
    delegations.register_members(zulu, [_member("z@example.org", "Zed")])
    delegations.register_members(alpha, [_member("a@example.org", "Ann")])

    listed = db.session.scalars(registrants_statement(event, RegistrantFilter())).all()
    assert [r.email for r in listed] == ["solo@example.org", "a@example.org", "z@example.org"]
    only = db.session.scalars(registrants_statement(event, RegistrantFilter(delegation_id=zulu.id)))
    assert [r.email for r in only] == ["z@example.org"]
    rows = list(
        csv.DictReader(io.StringIO(export_csv(event, RegistrantFilter()).decode("utf-8-sig")))
    )
    assert [(r["email"], r["delegation"]) for r in rows] == [
        ("solo@example.org", ""),
        ("a@example.org", "Alpha"),
        ("z@example.org", "Zulu"),
    ]


def test_members_fill_the_event_to_its_capacity_exactly(ctx):
    """The last free seat goes to a member (a member never counts as their own seat)."""
    event = make_event(capacity=2)
    delegation = _delegation(event, seats=None)
    made = delegations.register_members(
        delegation, [_member("a@example.org"), _member("b@example.org"), _member("c@example.org")]
    )
    assert [r.status for r in made] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
