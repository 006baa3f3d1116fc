"""A scheduler run against the published plan (#20): the diff an organizer reviews, and
publishing it.

The published plan is what the meeting rows hold: every placement there has been sent to
both people. A run's plan differs from it by meetings newly placed, moved (another slot
or table), dropped (placed before, unplaced now) and kept. Publishing applies the
differences in one transaction and queues, through the one SEQUENCE rule
(`meetings.announce`), a REQUEST to both people of a placed meeting, a REQUEST with a
higher SEQUENCE for a moved one and a CANCEL for a dropped one; nothing for a kept one.
A run taken before the meetings changed (a publish, a move by hand, a cancel) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from eventapp.errors import PartneringRefused
from eventapp.models import (
    Account,
    Event,
    Meeting,
    MeetingStatus,
    PartneringSettings,
    PartneringSlot,
    PartneringTable,
    RunStatus,
    SchedulerRun,
    db,
    utcnow,
)
from eventapp.services.accounts import record
from eventapp.services.partnering.meetings import announce
from eventapp.services.partnering.problem import state_key
from eventapp.services.partnering.profiles import settings_for


@dataclass(frozen=True, slots=True)
class Change:
    """One meeting in the diff: where it was (published) and where the plan puts it."""

    meeting: Meeting
    before: tuple[PartneringSlot, PartneringTable] | None
    after: tuple[PartneringSlot, PartneringTable] | None
    #: Why the plan leaves it out (dropped and unplaced meetings).
    reason: str = ""


@dataclass(slots=True)
class Diff:
    placed: list[Change] = field(default_factory=list)
    moved: list[Change] = field(default_factory=list)
    dropped: list[Change] = field(default_factory=list)
    #: Not placed before, not placed by the plan either, with the solver's reason.
    unplaced: list[Change] = field(default_factory=list)
    kept: int = 0

    @property
    def people_told(self) -> int:
        """Messages publishing queues: two per changed meeting."""
        return 2 * (len(self.placed) + len(self.moved) + len(self.dropped))


def _cell(slot_id: int, table_id: int) -> tuple[PartneringSlot, PartneringTable] | None:
    slot, table = db.session.get(PartneringSlot, slot_id), db.session.get(PartneringTable, table_id)
    return (slot, table) if slot is not None and table is not None else None


def diff_of(run: SchedulerRun) -> Diff:
    """The run's plan against the meetings as they are now."""
    result = run.result or {}
    after = {m: (s, t) for m, s, t in result.get("placements", [])}
    reasons = {m: text for m, _code, text in result.get("unplaced", [])}
    diff = Diff()
    for meeting_id in sorted(after.keys() | reasons.keys()):
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None or meeting.status is not MeetingStatus.PLANNED:
            continue
        before = _cell(meeting.slot_id, meeting.table_id or 0) if meeting.slot_id else None
        target = _cell(*after[meeting_id]) if meeting_id in after else None
        change = Change(meeting, before, target, reasons.get(meeting_id, ""))
        if before is None and target is None:
            diff.unplaced.append(change)
        elif before is None:
            diff.placed.append(change)
        elif target is None:
            diff.dropped.append(change)
        elif (before[0].id, before[1].id) != (target[0].id, target[1].id):
            diff.moved.append(change)
        else:
            diff.kept += 1
    return diff


def publish(run: SchedulerRun, *, by: Account | None, now: datetime | None = None) -> Diff:
    """Apply the run's plan and queue the messages, in one transaction (audited).

    Raises PartneringRefused: `run_not_ready` (still running, failed, or published) and
    `run_stale` (the meetings changed since the run: run the scheduler again)."""
    now = now or utcnow()
    event = db.session.get_one(Event, run.event_id)
    settings_for(event)  # the row exists
    settings = db.session.scalars(
        db.select(PartneringSettings)
        .where(PartneringSettings.event_id == run.event_id)
        .with_for_update()
    ).one()
    db.session.refresh(run)
    if run.status is not RunStatus.DONE:
        raise PartneringRefused("run_not_ready", "This run cannot be published.")
    if (run.result or {}).get("state") != state_key(event):
        raise PartneringRefused(
            "run_stale", "Meetings changed since this run. Run the scheduler again."
        )
    diff = diff_of(run)
    for change in diff.dropped:
        announce(change.meeting, method="CANCEL", now=now, was_placed=True)
        change.meeting.pinned = False
    for change in [*diff.dropped, *diff.moved]:
        _put(change.meeting, None)
    db.session.flush()
    for change in [*diff.placed, *diff.moved]:
        _put(change.meeting, change.after)
    db.session.flush()
    for change in [*diff.placed, *diff.moved]:
        db.session.refresh(change.meeting, ["slot", "table"])
        announce(change.meeting, method="REQUEST", now=now, was_placed=change.before is not None)
    settings.plan_revision += 1
    settings.plan_published_at = now
    run.status, run.published_at = RunStatus.PUBLISHED, now
    record(
        by,
        "partnering.publish",
        run,
        {
            "placed": len(diff.placed),
            "moved": len(diff.moved),
            "dropped": len(diff.dropped),
            "kept": diff.kept,
            "unplaced": len(diff.unplaced),
        },
    )
    db.session.commit()
    return diff


def _put(meeting: Meeting, cell: tuple[PartneringSlot, PartneringTable] | None) -> None:
    slot_id, table_id = (cell[0].id, cell[1].id) if cell else (None, None)
    meeting.slot_id, meeting.table_id = slot_id, table_id
    meeting.updated_at = utcnow()
    for person in meeting.people:
        person.slot_id = slot_id
