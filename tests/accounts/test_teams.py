"""Per-event teams (#15): admins act on every event, other staff on their teams' only."""

import pytest

from eventapp.models import AuditEntry, Event, Role, TeamMember, db
from eventapp.services.accounts import teams
from eventapp.services.setup import events
from tests.factories import (
    add_to_team,
    link_speaker,
    make_account,
    make_event,
    make_organization,
    make_session,
    make_speaker,
    make_venue,
)
from tests.partnering.support import participant, partnering_event


@pytest.mark.parametrize("role", [Role.ORGANIZER, Role.CHECKIN])
def test_staff_act_only_on_their_teams_events(ctx, role):
    own, other = make_event(), make_event()
    account = add_to_team(make_account(role), own)

    assert teams.can_act_on(account, own)
    assert not teams.can_act_on(account, other)
    assert not teams.can_act_on(make_account(role), own)  # no team: no event


def test_admins_act_on_every_event_without_a_team(ctx):
    admin = make_account(Role.ADMIN)

    assert teams.can_act_on(admin, make_event())


def test_event_clause_lists_the_same_events_as_can_act_on(ctx):
    own, _other = make_event(), make_event()
    organizer = add_to_team(make_account(Role.ORGANIZER), own)
    admin = make_account(Role.ADMIN)

    def visible(account):
        statement = db.select(Event.slug).where(teams.event_clause(account)).order_by(Event.id)
        return db.session.scalars(statement).all()

    assert visible(organizer) == [own.slug]
    assert len(visible(admin)) == 2


def test_may_scan_at_follows_the_team_by_slug_or_session(ctx):
    own, other = make_event(), make_event()
    door = add_to_team(make_account(Role.CHECKIN), own)
    admin = make_account(Role.ADMIN)

    assert teams.may_scan_at(door.id, event_slug=own.slug, session_id=None)
    assert not teams.may_scan_at(door.id, event_slug=other.slug, session_id=None)
    # An unknown door is for `check_in` to refuse ("not found"): there is nothing to guard.
    assert teams.may_scan_at(door.id, event_slug="no-such-event", session_id=None)
    assert teams.may_scan_at(door.id, event_slug=None, session_id=999)
    assert teams.may_scan_at(door.id, event_slug=None, session_id=make_session(own).id)
    assert not teams.may_scan_at(door.id, event_slug=None, session_id=make_session(other).id)
    # Without a door, the badge's event decides: only an admin may scan so.
    assert not teams.may_scan_at(door.id, event_slug=None, session_id=None)
    assert teams.may_scan_at(admin.id, event_slug=None, session_id=None)
    assert teams.may_scan_at(admin.id, event_slug=other.slug, session_id=None)


def test_set_events_adds_and_removes_with_an_audit_entry_each(ctx):
    first, second, third = make_event(), make_event(), make_event()
    admin = make_account(Role.ADMIN)
    organizer = add_to_team(make_account(Role.ORGANIZER), first, second)

    teams.set_events(organizer, [second, third], by=admin)

    assert [e.slug for e in teams.events_of(organizer)] == [second.slug, third.slug]
    entries = db.session.execute(
        db.select(AuditEntry.action, AuditEntry.details, AuditEntry.account_id).order_by(
            AuditEntry.id
        )
    ).all()
    assert [(a, d["event"], by) for a, d, by in entries] == [
        ("team.remove", first.slug, admin.id),
        ("team.add", third.slug, admin.id),
    ]


def test_add_to_events_keeps_the_teams_it_is_in(ctx):
    first, second = make_event(), make_event()
    organizer = add_to_team(make_account(Role.ORGANIZER), first)

    teams.add_to_events(organizer, [second, first], by=None)

    assert [e.slug for e in teams.events_of(organizer)] == [first.slug, second.slug]


def test_teams_by_account_groups_events_per_account(ctx):
    first, second = make_event(), make_event()
    a = add_to_team(make_account(Role.ORGANIZER), first, second)
    b = add_to_team(make_account(Role.CHECKIN), second)
    c = make_account(Role.CHECKIN)

    found = teams.teams_by_account([a.id, b.id, c.id])

    assert {k: [e.slug for e in v] for k, v in found.items()} == {
        a.id: [first.slug, second.slug],
        b.id: [second.slug],
    }


def test_deleting_an_event_deletes_its_team(ctx):
    event = make_event()
    add_to_team(make_account(Role.ORGANIZER), event)

    events.delete_event(event, by=None)

    assert db.session.scalar(db.select(db.func.count(TeamMember.id))) == 0


def test_one_account_is_in_one_team_once(ctx):
    from sqlalchemy.exc import IntegrityError

    event = make_event()
    organizer = add_to_team(make_account(Role.ORGANIZER), event)

    with pytest.raises(IntegrityError):
        add_to_team(organizer, event)


def _organizer_of(event: Event):
    return add_to_team(make_account(Role.ORGANIZER), event)


def test_shared_entries_unused_or_used_by_own_events_only_are_the_organizers(ctx):
    own, other = make_event(), make_event()
    organizer = _organizer_of(own)
    speaker = make_speaker(organization=make_organization())

    unused = teams.may_change_shared(organizer, speaker)
    link_speaker(make_session(own), speaker)
    own_only = teams.may_change_shared(organizer, speaker)
    link_speaker(make_session(other), speaker)  # now the other team's agenda shows it too

    assert (unused, own_only) == (True, True)
    assert teams.may_change_shared(organizer, speaker) is False
    assert teams.may_change_shared(organizer, speaker.organization) is False
    assert teams.may_change_shared(make_account(Role.ADMIN), speaker) is True


def test_linking_another_teams_speaker_to_ones_session_does_not_open_it(ctx):
    own, other = make_event(), make_event()
    speaker = make_speaker()
    link_speaker(make_session(other), speaker)
    organizer = _organizer_of(own)

    link_speaker(make_session(own), speaker)

    assert teams.may_change_shared(organizer, speaker) is False


def test_venue_and_delegates_organization_follow_the_events_using_them(ctx):
    venue = make_venue()
    own, other = make_event(), partnering_event()
    other.venue = venue
    db.session.commit()
    organizer = _organizer_of(own)
    delegate = participant(other, org="Example Orbital (demo)")

    assert teams.may_change_shared(organizer, venue) is False
    assert teams.may_change_shared(organizer, delegate.organization) is False
    assert teams.may_change_shared(_organizer_of(other), venue) is True
