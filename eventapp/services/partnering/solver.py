"""The meeting scheduler: accepted requests placed into slots and tables, with reasons.

Pure: frozen dataclasses in (`Problem`), a `Plan` out; no database, no Flask. The service
that owns the partnering models maps rows to these classes and back.

Hard rules: nobody and no table in two meetings in one slot, no meeting in a slot a person
is blocked in (an agenda seat, "unavailable after 16:00"), per-person maximums, pins stay.
The objective is lexicographic, solved with OR-Tools CP-SAT in two phases:

0. when everything might fit: the feasibility model "every request placed" (CP-SAT's
   local search solves it far faster than the optimisation), keeping published slots;
1. otherwise the weighted number of placed meetings (`weight`), then the published
   meetings kept in their slot: one objective, the first level scaled above the second;
2. with that value held, fewer idle gaps: runs of a person's meetings within a session.

Departure from the strict order: a published meeting that still fits its slot (pins, new
blocks and maximums allowing) is held there as a hard rule; within a time limit the search
otherwise reshuffled the published plan (bench/README.md, instance C).

Tables within a session are interchangeable, so the model places meetings into slots with
a capacity of the session's table count, and tables are assigned afterwards: pins first,
then the previous table, then the table the person or their organization had in the slot
before (fewer table changes). Every meeting left out gets a reason naming both people.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable

from eventapp.services.partnering import plan_details
from eventapp.services.partnering.plans import (
    Block,
    Changes,
    Person,
    Placement,
    Plan,
    Problem,
    Reason,
    Request,
    Settings,
    Slot,
    Status,
    Table,
    Unplaced,
    weight,
)
from eventapp.services.partnering.slot_model import SlotModel

#: The scheduler's API: the data of `plans.py`, and the two ways to build a plan.
__all__ = [
    "Block",
    "Changes",
    "Person",
    "Placement",
    "Plan",
    "Problem",
    "Reason",
    "Request",
    "Settings",
    "Slot",
    "Status",
    "Table",
    "Unplaced",
    "greedy",
    "solve",
    "weight",
]


class Instance:
    """Indexes over a problem, and the state of a plan being built (busy people, tables)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.people = {person.id: person for person in problem.people}
        self.slots = {slot.id: slot for slot in problem.slots}
        self.order = sorted(problem.slots, key=lambda s: (s.starts_at, s.order, s.id))
        self.tables: dict[int, list[int]] = defaultdict(list)
        for table in sorted(problem.tables, key=lambda t: t.id):
            self.tables[table.session_id].append(table.id)
        self.table_session = {table.id: table.session_id for table in problem.tables}
        self.requests = {request.id: request for request in problem.requests}
        if len(self.requests) != len(problem.requests):
            raise ValueError("duplicate request ids")
        for request in problem.requests:
            if {request.first_id, request.second_id} - self.people.keys():
                raise ValueError(f"request {request.id} names an unknown person")
            if request.first_id == request.second_id:
                raise ValueError(f"request {request.id} is a meeting with oneself")
        self.blocked = {p.id: {b.slot_id: b.reason for b in p.blocks} for p in problem.people}
        self.weights = {
            r.id: weight(r, self.people, cross_country=problem.settings.cross_country)
            for r in problem.requests
        }
        self.slot_of: dict[int, int] = {}  # request → slot
        self.busy: dict[tuple[int, int], int] = {}  # (person, slot) → request
        self.count: dict[int, int] = defaultdict(int)
        self.used: dict[int, int] = defaultdict(int)  # slot → meetings
        #: Pinned where they cannot stay: left unplaced for an organizer to decide.
        self.excluded: set[int] = set()

    def pair(self, request_id: int) -> tuple[Person, Person]:
        request = self.requests[request_id]
        return self.people[request.first_id], self.people[request.second_id]

    def capacity(self, slot_id: int) -> int:
        return len(self.tables[self.slots[slot_id].session_id])

    def at_maximum(self, person: Person) -> bool:
        return person.max_meetings is not None and self.count[person.id] >= person.max_meetings

    def free_for(self, person: Person, slot_id: int) -> bool:
        return slot_id not in self.blocked[person.id] and (person.id, slot_id) not in self.busy

    def fits(self, request_id: int, slot_id: int) -> bool:
        people = self.pair(request_id)
        return (
            self.used[slot_id] < self.capacity(slot_id)
            and all(self.free_for(p, slot_id) and not self.at_maximum(p) for p in people)
        )  # fmt: skip

    def place(self, request_id: int, slot_id: int) -> None:
        self.slot_of[request_id] = slot_id
        self.used[slot_id] += 1
        for person in self.pair(request_id):
            self.busy[person.id, slot_id] = request_id
            self.count[person.id] += 1


def _place_pins(instance: Instance) -> tuple[dict[int, int], list[Unplaced]]:
    """Valid pins placed (→ their table); the others reported, the first pin winning."""
    tables: dict[int, int] = {}
    taken: set[tuple[int, int]] = set()
    conflicts = []
    seen: set[int] = set()
    for pin in sorted(instance.problem.pins, key=lambda p: p.request_id):
        if pin.request_id not in instance.requests or pin.request_id in seen:
            continue  # one pin a request: the first counts
        seen.add(pin.request_id)
        problem = _pin_problem(instance, pin, taken)
        if problem:
            first, second = instance.pair(pin.request_id)
            text = f"The pinned meeting of {first.name} and {second.name} cannot stay: {problem}"
            conflicts.append(Unplaced(pin.request_id, Reason.PIN_CONFLICT, text))
            instance.excluded.add(pin.request_id)
            continue
        instance.place(pin.request_id, pin.slot_id)
        tables[pin.request_id] = pin.table_id
        taken.add((pin.slot_id, pin.table_id))
    return tables, conflicts


def _pin_problem(instance: Instance, pin: Placement, taken: set[tuple[int, int]]) -> str:
    slot = instance.slots.get(pin.slot_id)
    if slot is None or instance.table_session.get(pin.table_id) != slot.session_id:
        return "its slot or table is no longer part of the session."
    if (pin.slot_id, pin.table_id) in taken:
        return f"its table is taken by another pinned meeting at {slot.shown}."
    for person in instance.pair(pin.request_id):
        if pin.slot_id in instance.blocked[person.id]:
            return f"{person.name} is {instance.blocked[person.id][pin.slot_id]}."
        if (person.id, pin.slot_id) in instance.busy:
            return f"{person.name} has another pinned meeting at {slot.shown}."
        if instance.at_maximum(person):
            return f"{person.name} already has the maximum of {person.max_meetings} meetings."
    return ""


def _previous_slots(instance: Instance) -> dict[int, int]:
    """Published request → slot, for requests still accepted and slots still there."""
    return {
        p.request_id: p.slot_id
        for p in instance.problem.previous
        if p.request_id in instance.requests and p.slot_id in instance.slots
    }


def _first_fit(instance: Instance, request_ids: Iterable[int]) -> None:
    """Place each request in its earliest slot that fits (previous slot first)."""
    previous = _previous_slots(instance)
    for request_id in request_ids:
        if request_id in instance.slot_of or request_id in instance.excluded:
            continue
        wanted = previous.get(request_id)
        if wanted is not None and instance.fits(request_id, wanted):
            instance.place(request_id, wanted)
            continue
        slot = next((s.id for s in instance.order if instance.fits(request_id, s.id)), None)
        if slot is not None:
            instance.place(request_id, slot)


def _by_weight(instance: Instance) -> list[int]:
    return sorted(instance.requests, key=lambda r: (-instance.weights[r], r))


def greedy(problem: Problem) -> Plan:
    """First-fit: pins, then the previous plan, then requests by weight in their first slot."""
    started = time.perf_counter()
    instance = Instance(problem)
    pin_tables, conflicts = _place_pins(instance)
    previous = _previous_slots(instance)
    _first_fit(instance, sorted(previous, key=lambda r: (-instance.weights[r], r)))
    _first_fit(instance, _by_weight(instance))
    value = sum(instance.weights[r] for r in instance.slot_of)
    return _finish(instance, pin_tables, conflicts, Status.GREEDY, value, value, started)


def solve(problem: Problem) -> Plan:
    """The best plan CP-SAT finds within `problem.settings.time_limit` seconds."""
    started = time.perf_counter()
    deadline = started + problem.settings.time_limit
    instance = Instance(problem)
    pin_tables, conflicts = _place_pins(instance)
    pinned = dict(instance.slot_of)
    hint = Instance(problem)  # a first-fit start: pins, previous plan, then by weight
    _place_pins(hint)
    _first_fit(hint, sorted(_previous_slots(hint), key=lambda r: (-hint.weights[r], r)))
    _first_fit(hint, _by_weight(hint))
    model = SlotModel(instance, _previous_slots(instance), hint.slot_of)
    status, chosen, bound = model.solve(problem.settings, deadline)
    for request_id, slot_id in chosen.items():
        if request_id not in pinned:
            instance.place(request_id, slot_id)
    _first_fit(instance, _by_weight(instance))  # fills any cell a time-out left open
    value = sum(instance.weights[r] for r in instance.slot_of)
    pinned_weight = sum(instance.weights[r] for r in pinned)
    bound = max(value, bound + pinned_weight)
    status = Status.OPTIMAL if status is Status.OPTIMAL and value == bound else status
    return _finish(instance, pin_tables, conflicts, status, value, bound, started)


def _finish(
    instance: Instance,
    pin_tables: dict[int, int],
    conflicts: list[Unplaced],
    status: Status,
    value: int,
    bound: int,
    started: float,
) -> Plan:
    tables = plan_details.assign_tables(instance, pin_tables)
    placements = tuple(
        Placement(r, instance.slot_of[r], tables[r]) for r in sorted(instance.slot_of)
    )
    conflicted = {c.request_id for c in conflicts}
    unplaced = conflicts + [
        plan_details.explain(instance, r)
        for r in sorted(instance.requests)
        if r not in instance.slot_of and r not in conflicted
    ]
    return Plan(
        placements=placements,
        unplaced=tuple(sorted(unplaced, key=lambda u: u.request_id)),
        status=status,
        objective=value,
        bound=bound,
        changes=plan_details.changes(instance, placements),
        idle_gaps=plan_details.idle_gaps(instance),
        table_changes=plan_details.table_changes(instance, tables),
        seconds=time.perf_counter() - started,
    )
