"""What the scheduler reports about a plan it built: tables assigned within each slot,
changes against the published plan, idle gaps, table changes, and why a meeting was left
out, in words naming both people. Helpers of `solver.py`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from eventapp.services.partnering.plans import Changes, Placement, Reason, Unplaced

if TYPE_CHECKING:
    from eventapp.services.partnering.solver import Instance


def assign_tables(instance: Instance, pin_tables: dict[int, int]) -> dict[int, int]:
    """Per slot: pins, then the previous table, then the table the person or their
    organization had in the slot before, then the lowest free table."""
    previous = {p.request_id: p for p in instance.problem.previous}
    chosen = dict(pin_tables)
    last: dict[tuple[str, int | None], int] = {}  # ("p", person) / ("o", org) → table
    session = None
    for slot in instance.order:
        if slot.session_id != session:
            last, session = {}, slot.session_id
        meetings = sorted(r for r, s in instance.slot_of.items() if s == slot.id)
        free = [t for t in instance.tables[slot.session_id]]
        taken = {chosen[r] for r in meetings if r in chosen}
        waiting = []
        for request_id in meetings:
            if request_id in chosen:
                continue
            before = previous.get(request_id)
            if before and before.slot_id == slot.id and before.table_id in free:  # noqa: SIM102
                if before.table_id not in taken:
                    chosen[request_id] = before.table_id
                    taken.add(before.table_id)
                    continue
            waiting.append(request_id)
        rest = []
        for request_id in waiting:
            people = instance.pair(request_id)
            keys = [("p", p.id) for p in people] + [("o", p.organization_id) for p in people]
            table = next((last[k] for k in keys if k in last and last[k] not in taken), None)
            if table is None:
                rest.append(request_id)
            else:
                chosen[request_id] = table
                taken.add(table)
        open_tables = iter(t for t in free if t not in taken)
        for request_id in rest:
            chosen[request_id] = next(open_tables)
        for request_id in meetings:
            for person in instance.pair(request_id):
                last["p", person.id] = chosen[request_id]
                if person.organization_id is not None:
                    last["o", person.organization_id] = chosen[request_id]
    return chosen


def changes(instance: Instance, placements: tuple[Placement, ...]) -> Changes:
    now = {p.request_id: p for p in placements}
    counts: dict[str, int] = defaultdict(int)
    for before in instance.problem.previous:
        after = now.get(before.request_id)
        if before.request_id not in instance.requests:
            counts["withdrawn"] += 1
        elif after is None:
            counts["dropped"] += 1
        elif after.slot_id != before.slot_id:
            counts["slot_moved"] += 1
        elif after.table_id != before.table_id:
            counts["table_moved"] += 1
        else:
            counts["kept"] += 1
    return Changes(**counts)


def idle_gaps(instance: Instance) -> int:
    """Runs of free, unblocked slots between two meetings of one person in one session."""
    gaps = 0
    for person_id in instance.people:
        session, seen, idle = None, False, False
        for slot in instance.order:
            if slot.session_id != session:
                session, seen, idle = slot.session_id, False, False
            if (person_id, slot.id) in instance.busy:
                gaps += int(seen and idle)
                seen, idle = True, False
            elif slot.id not in instance.blocked[person_id]:
                idle = True
    return gaps


def table_changes(instance: Instance, tables: dict[int, int]) -> int:
    """Times a person sits at another table than at their meeting before (same session)."""
    changes = 0
    for person_id in instance.people:
        last: tuple[int, int] | None = None  # (session, table)
        for slot in instance.order:
            request_id = instance.busy.get((person_id, slot.id))
            if request_id is None:
                continue
            here = (slot.session_id, tables[request_id])
            changes += int(last is not None and last[0] == here[0] and last != here)
            last = here
    return changes


def explain(instance: Instance, request_id: int) -> Unplaced:
    """Why `request_id` is not in the plan, in the plan's terms, naming both people."""
    first, second = instance.pair(request_id)
    both = f"{first.name} and {second.name}"
    common = [
        s
        for s in instance.order
        if instance.capacity(s.id)
        and s.id not in instance.blocked[first.id]
        and s.id not in instance.blocked[second.id]
    ]
    if not common:
        blocks = "; ".join(
            f"{p.name} is {_join(dict.fromkeys(b.reason for b in p.blocks))}"
            for p in (first, second)
            if p.blocks
        )
        text = f"{both} have no common free slot" + (f": {blocks}." if blocks else ".")
        return Unplaced(request_id, Reason.NO_COMMON_SLOT, text)
    full = [p for p in (first, second) if instance.at_maximum(p)]
    if full:
        limits = _join([f"{p.name} already has the maximum of {p.max_meetings}" for p in full])
        text = f"{both} were not placed: {limits} meetings."
        return Unplaced(request_id, Reason.MAXIMUM_REACHED, text)
    if all(instance.used[s.id] >= instance.capacity(s.id) for s in common):
        slots = _join([s.shown for s in common])
        text = f"No table is free for {both}: every table is taken at {slots}."
        return Unplaced(request_id, Reason.NO_TABLE, text)
    parts = []
    for slot in common:
        busy = [p for p in (first, second) if (p.id, slot.id) in instance.busy]
        if busy:
            meets = []
            for person in busy:
                other = [p for p in instance.pair(instance.busy[person.id, slot.id]) if p != person]
                meets.append(f"{person.name} meets {other[0].name}")
            parts.append(f"at {slot.shown} {' and '.join(meets)}")
        else:
            parts.append(f"at {slot.shown} every table is taken")
    shown = "; ".join(parts[:4]) + (f"; and {len(parts) - 4} more" if len(parts) > 4 else "")
    text = f"{both} have no common free slot left: {shown}."
    return Unplaced(request_id, Reason.COMMON_SLOTS_TAKEN, text)


def _join(words: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(words)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
