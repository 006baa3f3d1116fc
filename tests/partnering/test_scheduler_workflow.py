"""Run (a preview), review the diff, publish; organizers placing and pinning by hand; the
one SEQUENCE rule across all of it. Messages are parsed back from the outbox."""

from __future__ import annotations

import pytest

from eventapp.errors import PartneringRefused
from eventapp.models import Meeting, MeetingOutcome, OutboxMessage, RunStatus, Unavailability, db
from eventapp.services.partnering import held, manual, publish, runs
from tests.partnering.workflow_support import invitations, world


def _run(event):
    run = runs.start_run(event, by=None, time_limit=2)
    return runs.execute(run.id)


def _outbox_count() -> int:
    return db.session.scalar(db.select(db.func.count(OutboxMessage.id)))


def test_a_run_is_a_preview_that_changes_no_meeting_and_sends_nothing(ctx):
    event, _made, _people, made_meetings = world()
    before = _outbox_count()

    run = _run(event)

    assert run.status is RunStatus.DONE
    assert len(run.result["placements"]) == 2
    assert all(m.slot_id is None for m in made_meetings)
    assert _outbox_count() == before
    diff = publish.diff_of(run)
    assert (len(diff.placed), len(diff.moved), len(diff.dropped), diff.kept) == (2, 0, 0, 0)


def test_publishing_places_and_sends_a_request_to_both_people_of_each_meeting(ctx):
    event, _made, people, made_meetings = world()
    run = _run(event)

    diff = publish.publish(run, by=None)

    assert diff.people_told == 4
    for meeting in made_meetings:
        db.session.refresh(meeting)
        assert meeting.slot_id is not None
    for person in people:
        assert [(m, s) for m, s, _uid in invitations(person.registration)] == [("REQUEST", 0)]
    assert run.status is RunStatus.PUBLISHED


def test_a_rerun_with_nothing_changed_sends_nothing(ctx):
    event, *_ = world()
    publish.publish(_run(event), by=None)
    before = _outbox_count()

    diff = publish.publish(_run(event), by=None)

    assert (len(diff.placed), len(diff.moved), len(diff.dropped), diff.kept) == (0, 0, 0, 2)
    assert _outbox_count() == before


def _unavailable(person, slot_ids) -> None:
    """What organizers record when someone tells them (the person's own page refuses a time
    they already meet in)."""
    db.session.add_all(Unavailability(participant_id=person.id, slot_id=s) for s in slot_ids)
    db.session.commit()


def test_a_move_sends_an_update_with_a_higher_sequence_only_to_that_pair(ctx):
    event, _made, people, made_meetings = world()
    publish.publish(_run(event), by=None)
    first = made_meetings[0]
    db.session.refresh(first)
    # Ann0 cannot make it any more and tells the organizers (her own page refuses a time she
    # already meets in: she could not move a meeting the scheduler placed).
    _unavailable(people[0], [first.slot_id])

    diff = publish.publish(_run(event), by=None)

    assert [c.meeting.id for c in diff.moved] == [first.id]
    assert [(m, s) for m, s, _ in invitations(people[0].registration)] == [
        ("REQUEST", 0),
        ("REQUEST", 1),
    ]
    assert len(invitations(people[2].registration)) == 1  # the other pair: nothing new
    assert len(invitations(people[3].registration)) == 1


def test_a_meeting_that_no_longer_fits_is_cancelled_with_the_reason_shown(ctx):
    event, made, people, made_meetings = world(pairs=1)
    publish.publish(_run(event), by=None)
    _unavailable(people[0], [s.id for s in made.slots])

    run = _run(event)
    diff = publish.diff_of(run)
    assert [c.meeting.id for c in diff.dropped] == [made_meetings[0].id]
    assert "Ann0 Lee and Min0 Kim have no common free slot" in diff.dropped[0].reason
    assert "unavailable at" in diff.dropped[0].reason
    publish.publish(run, by=None)

    assert [m for m, _s, _ in invitations(people[1].registration)] == ["REQUEST", "CANCEL"]
    assert invitations(people[1].registration)[-1][1] == 1


def test_publishing_a_run_taken_before_a_change_by_hand_is_refused(ctx):
    event, made, _people, made_meetings = world()
    run = _run(event)
    manual.place_at(made_meetings[0], made.slots[2], made.tables[1], by=None)

    with pytest.raises(PartneringRefused) as refused:
        publish.publish(run, by=None)

    assert refused.value.code == "run_stale"


def test_a_meeting_placed_by_hand_is_pinned_and_stays_on_a_rerun(ctx):
    event, made, _people, made_meetings = world()
    manual.place_at(made_meetings[0], made.slots[2], made.tables[1], by=None)

    publish.publish(_run(event), by=None)

    db.session.refresh(made_meetings[0])
    assert made_meetings[0].pinned is True
    assert (made_meetings[0].slot_id, made_meetings[0].table_id) == (
        made.slots[2].id,
        made.tables[1].id,
    )


def test_double_booking_by_hand_is_refused_naming_the_people(ctx):
    _event, made, _people, made_meetings = world()
    manual.place_at(made_meetings[0], made.slots[0], made.tables[0], by=None)

    with pytest.raises(PartneringRefused) as refused:
        manual.place_at(made_meetings[1], made.slots[0], made.tables[0], by=None)

    assert refused.value.code == "double_booked"
    assert refused.value.message == "Table 1 is taken at 14:00 by Ann0 Lee and Min0 Kim."
    db.session.refresh(made_meetings[1])
    assert made_meetings[1].slot_id is None


def test_a_person_in_two_meetings_at_once_is_refused(ctx):
    _event, made, people, _ = world()
    from eventapp.services.partnering import requests

    request = requests.send_request(people[0], people[3].id)
    requests.respond(people[3], request.id, accept=True)
    third = db.session.scalar(db.select(Meeting).where(Meeting.request_id == request.id))
    manual.place_at(
        db.session.scalar(db.select(Meeting).order_by(Meeting.id)),
        made.slots[0],
        made.tables[0],
        by=None,
    )

    found = manual.conflicts(third, made.slots[0], made.tables[1])

    assert found == ["Ann0 Lee already meets Min0 Kim at 14:00."]


def test_unscheduling_sends_cancel_and_placing_again_goes_higher_than_the_cancel(ctx):
    _event, made, people, made_meetings = world(pairs=1)
    meeting = made_meetings[0]
    manual.place_at(meeting, made.slots[0], made.tables[0], by=None)

    manual.unschedule(meeting, by=None)
    manual.place_at(meeting, made.slots[1], made.tables[0], by=None)

    sent = [(m, s) for m, s, _ in invitations(people[0].registration)]
    assert sent == [("REQUEST", 0), ("CANCEL", 1), ("REQUEST", 2)]


def test_held_and_no_show_are_counted_by_country_pair(ctx):
    event, _made, _people, made_meetings = world()
    publish.publish(_run(event), by=None)
    for meeting in made_meetings:
        db.session.refresh(meeting)
    held.mark(made_meetings[0], MeetingOutcome.HELD, by=None)
    held.mark(made_meetings[1], MeetingOutcome.NO_SHOW, by=None)

    [row] = held.pair_counts(event)

    assert (row.pair, row.requested, row.accepted, row.placed, row.held) == ("KR–US", 2, 2, 2, 1)  # noqa: RUF001


def test_an_unplaced_meeting_cannot_be_marked_held(ctx):
    _event, _made, _people, made_meetings = world(pairs=1)
    with pytest.raises(PartneringRefused):
        held.mark(made_meetings[0], MeetingOutcome.HELD, by=None)


def test_a_second_run_while_one_works_is_refused(ctx):
    event, *_ = world(pairs=1)
    runs.start_run(event, by=None, time_limit=2)
    with pytest.raises(PartneringRefused) as refused:
        runs.start_run(event, by=None, time_limit=2)
    assert refused.value.code == "run_running"
