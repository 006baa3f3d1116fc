"""What the scheduler pages show: the matrix rows, the cells a meeting can go to, and
refusals in the reader's language (helpers of `scheduler.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from eventapp.errors import DomainError
from eventapp.models import Event, Meeting, PartneringSession, PartneringSlot, PartneringTable
from eventapp.services.partnering import meetings
from eventapp.web.templating import local_time


@dataclass(frozen=True, slots=True)
class MatrixRow:
    slot: PartneringSlot
    #: One entry per table, in table order: the meeting there, or None (free).
    cells: list[tuple[PartneringTable, Meeting | None]]


def matrix_rows(session: PartneringSession, planned: list[Meeting]) -> list[MatrixRow]:
    at = {(m.slot_id, m.table_id): m for m in planned if m.slot_id is not None}
    return [
        MatrixRow(slot, [(table, at.get((slot.id, table.id))) for table in session.tables])
        for slot in session.slots
    ]


def cell_choices(event: Event, meeting: Meeting) -> list[tuple[str, str]]:
    """Every (slot, table) whose table is free in that slot (or holds this meeting)."""
    from eventapp.services.partnering.problem import planned_meetings

    taken = {
        (m.slot_id, m.table_id) for m in planned_meetings(event) if m.id != meeting.id and m.slot_id
    }
    choices = []
    for session in meetings.sessions_of(event):
        for slot in session.slots:
            when = local_time(slot.starts_at, event.timezone)
            for table in session.tables:
                if (slot.id, table.id) not in taken:
                    label = _("%(time)s · table %(table)s", time=when, table=table.name)
                    if len(meetings.sessions_of(event)) > 1:
                        label = f"{session.name} · {label}"
                    choices.append((f"{slot.id}:{table.id}", label))
    return choices


def message_for(error: DomainError) -> str:
    """A refusal in the reader's language where its code is known; the service's words
    (naming the people) otherwise."""
    known = {
        "run_running": _("The scheduler is already running for this event."),
        "run_not_ready": _("This run cannot be published."),
        "run_stale": _("Meetings changed since this run. Run the scheduler again."),
        "not_open": _("This meeting is cancelled."),
        "not_placed": _("This meeting is not placed."),
        "not_found": _("Not found."),
    }
    if error.code == "double_booked":
        return _("Not saved: %(reason)s", reason=error.message)
    return known.get(error.code, error.message)
