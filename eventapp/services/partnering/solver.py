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

import enum
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from ortools.sat.python import cp_model

#: Weight of a placed meeting: base + per priority level + cross-country + both sides. A
#: priority level (4) outweighs cross-country and both-sides together (2 + 1), and
#: cross-country outweighs both-sides; the base keeps "more meetings" first for small gaps.
WEIGHT_BASE = 10
WEIGHT_PRIORITY = 4
WEIGHT_CROSS_COUNTRY = 2
WEIGHT_BOTH_SIDES = 1
MAX_PRIORITY = 3
#: Share of the time limit the second phase (idle gaps) may use at most.
POLISH_SHARE = 0.3
#: Models with more placement variables than this use CP-SAT's local search only.
LOCAL_SEARCH_FROM = 2000


@dataclass(frozen=True, slots=True)
class Block:
    """A slot a person cannot meet in, and why ("in Panel 3 at 15:30")."""

    slot_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    country: str
    organization_id: int | None = None
    blocks: tuple[Block, ...] = ()
    #: None: no limit but the slots.
    max_meetings: int | None = None


@dataclass(frozen=True, slots=True)
class Slot:
    id: int
    session_id: int
    starts_at: datetime
    ends_at: datetime
    order: int
    #: Shown in reasons ("15:30"); the caller formats it in the event's time zone.
    label: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    id: int
    session_id: int
    name: str = ""


@dataclass(frozen=True, slots=True)
class Request:
    """An accepted meeting request between two people."""

    id: int
    first_id: int
    second_id: int
    priority: int = 0
    both_sides: bool = False


@dataclass(frozen=True, slots=True)
class Placement:
    request_id: int
    slot_id: int
    table_id: int


@dataclass(frozen=True, slots=True)
class Settings:
    cross_country: bool = True
    time_limit: float = 10.0
    workers: int = 2
    seed: int = 0


@dataclass(frozen=True, slots=True)
class Problem:
    people: tuple[Person, ...]
    slots: tuple[Slot, ...]
    tables: tuple[Table, ...]
    requests: tuple[Request, ...]
    #: Placed or moved by an organizer by hand: they stay (or are reported as conflicts).
    pins: tuple[Placement, ...] = ()
    #: The published plan: kept where possible.
    previous: tuple[Placement, ...] = ()
    settings: Settings = field(default_factory=Settings)


class Status(enum.StrEnum):
    OPTIMAL = "optimal"  # proven: no plan is better on every level
    FEASIBLE = "feasible"  # the best found within the time limit
    GREEDY = "greedy"  # first-fit, no solver


class Reason(enum.StrEnum):
    PIN_CONFLICT = "pin_conflict"
    NO_COMMON_SLOT = "no_common_slot"
    MAXIMUM_REACHED = "maximum_reached"
    NO_TABLE = "no_table"
    COMMON_SLOTS_TAKEN = "common_slots_taken"


@dataclass(frozen=True, slots=True)
class Unplaced:
    request_id: int
    reason: Reason
    #: For organizers, naming both people and why ("… have no common free slot: …").
    text: str


@dataclass(frozen=True, slots=True)
class Changes:
    """The plan against the previous one, counted over requests still accepted."""

    kept: int = 0
    table_moved: int = 0  # same slot, another table
    slot_moved: int = 0
    dropped: int = 0  # published, now unplaced
    withdrawn: int = 0  # published, no longer among the requests

    @property
    def moved(self) -> int:
        return self.table_moved + self.slot_moved + self.dropped


@dataclass(frozen=True, slots=True)
class Plan:
    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    status: Status
    #: Weighted placed meetings, and the solver's upper bound on it.
    objective: int
    bound: int
    changes: Changes
    idle_gaps: int
    table_changes: int
    seconds: float


def weight(request: Request, people: Mapping[int, Person], *, cross_country: bool) -> int:
    """What placing `request` is worth (see the WEIGHT_* constants)."""
    value = WEIGHT_BASE + WEIGHT_PRIORITY * max(0, min(request.priority, MAX_PRIORITY))
    countries = people[request.first_id].country, people[request.second_id].country
    if cross_country and countries[0] != countries[1]:
        value += WEIGHT_CROSS_COUNTRY
    return value + (WEIGHT_BOTH_SIDES if request.both_sides else 0)


class _Instance:
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


def _place_pins(instance: _Instance) -> tuple[dict[int, int], list[Unplaced]]:
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


def _pin_problem(instance: _Instance, pin: Placement, taken: set[tuple[int, int]]) -> str:
    slot = instance.slots.get(pin.slot_id)
    if slot is None or instance.table_session.get(pin.table_id) != slot.session_id:
        return "its slot or table is no longer part of the session."
    if (pin.slot_id, pin.table_id) in taken:
        return f"its table is taken by another pinned meeting at {_label(slot)}."
    for person in instance.pair(pin.request_id):
        if pin.slot_id in instance.blocked[person.id]:
            return f"{person.name} is {instance.blocked[person.id][pin.slot_id]}."
        if (person.id, pin.slot_id) in instance.busy:
            return f"{person.name} has another pinned meeting at {_label(slot)}."
        if instance.at_maximum(person):
            return f"{person.name} already has the maximum of {person.max_meetings} meetings."
    return ""


def _label(slot: Slot) -> str:
    return slot.label or f"{slot.starts_at:%H:%M}"


def _previous_slots(instance: _Instance) -> dict[int, int]:
    """Published request → slot, for requests still accepted and slots still there."""
    return {
        p.request_id: p.slot_id
        for p in instance.problem.previous
        if p.request_id in instance.requests and p.slot_id in instance.slots
    }


def _first_fit(instance: _Instance, request_ids: Iterable[int]) -> None:
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


def _by_weight(instance: _Instance) -> list[int]:
    return sorted(instance.requests, key=lambda r: (-instance.weights[r], r))


def greedy(problem: Problem) -> Plan:
    """First-fit: pins, then the previous plan, then requests by weight in their first slot."""
    started = time.perf_counter()
    instance = _Instance(problem)
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
    instance = _Instance(problem)
    pin_tables, conflicts = _place_pins(instance)
    pinned = dict(instance.slot_of)
    hint = _Instance(problem)  # a first-fit start: pins, previous plan, then by weight
    _place_pins(hint)
    _first_fit(hint, sorted(_previous_slots(hint), key=lambda r: (-hint.weights[r], r)))
    _first_fit(hint, _by_weight(hint))
    model = _SlotModel(instance, _previous_slots(instance), hint.slot_of)
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


class _SlotModel:
    """CP-SAT over x[request, slot] for the requests not pinned; tables come later."""

    def __init__(self, instance: _Instance, previous: dict[int, int], hint: dict[int, int]):
        self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.instance = instance
        by_person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        by_person: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        by_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for request_id in instance.requests:
            if request_id in instance.slot_of or request_id in instance.excluded:
                continue
            people = instance.pair(request_id)
            for slot in instance.order:
                if instance.capacity(slot.id) - instance.used[slot.id] <= 0:
                    continue
                if not all(instance.free_for(p, slot.id) for p in people):
                    continue
                var = self.model.new_bool_var(f"x{request_id}_{slot.id}")
                self.x[request_id, slot.id] = var
                by_slot[slot.id].append(var)
                for person in people:
                    by_person_slot[person.id, slot.id].append(var)
                    by_person[person.id].append(var)
                if hint.get(request_id) == slot.id:
                    self.model.add_hint(var, 1)
        per_request: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for (request_id, _), var in self.x.items():
            per_request[request_id].append(var)
        for variables in [*per_request.values(), *by_person_slot.values()]:
            if len(variables) > 1:
                self.model.add_at_most_one(variables)
        for slot_id, variables in by_slot.items():
            room = instance.capacity(slot_id) - instance.used[slot_id]
            if len(variables) > room:
                self.model.add(sum(variables) <= room)
        for person_id, variables in by_person.items():
            limit = instance.people[person_id].max_meetings
            if limit is not None and len(variables) > limit - instance.count[person_id]:
                self.model.add(sum(variables) <= limit - instance.count[person_id])
        self.scale = len(previous) + 1
        self.primary = sum(
            instance.weights[r] * self.scale * var for (r, _), var in self.x.items()
        ) + sum(self.x[r, s] for r, s in previous.items() if (r, s) in self.x)
        self.by_person_slot = by_person_slot
        self.hint = {r: s for r, s in hint.items() if (r, s) in self.x}
        # A published meeting that still fits where it is stays there (the first-fit hint
        # placed it first, so these fit together): a departure from "placed first" that
        # the search could not keep otherwise (instance C moved 95 % of the plan).
        for request_id, slot_id in previous.items():
            if self.hint.get(request_id) == slot_id:
                self.model.add(self.x[request_id, slot_id] == 1)
        self.per_request = per_request
        self.previous = {(r, s) for r, s in previous.items() if (r, s) in self.x}
        # Everything can fit only if every request has a slot and nobody has more
        # requests than free slots or their maximum; then phase 0 tries exactly that.
        self.may_fit_all = len(per_request) == len(instance.requests) - len(instance.slot_of) - len(
            instance.excluded
        )
        requests_of: dict[int, int] = defaultdict(int)
        for request_id in per_request:
            for person in instance.pair(request_id):
                requests_of[person.id] += 1
        for person_id, wanted in requests_of.items():
            person = instance.people[person_id]
            room = len({slot for (p, slot) in by_person_slot if p == person_id})
            if person.max_meetings is not None:
                room = min(room, person.max_meetings - instance.count[person_id])
            self.may_fit_all &= wanted <= room
        room = sum(instance.capacity(s.id) - instance.used[s.id] for s in instance.order)
        self.may_fit_all &= len(per_request) <= room

    def solve(self, settings: Settings, deadline: float) -> tuple[Status, dict[int, int], int]:
        """(status, request → slot, upper bound on the weighted placed meetings)."""
        if not self.x:
            return Status.OPTIMAL, {}, 0
        polish = POLISH_SHARE * settings.time_limit
        total = sum(self.instance.weights[r] for r in self.per_request)
        chosen, status, bound = self._fit_all(settings, deadline - time.perf_counter() - polish)
        if chosen is None:
            self.model.maximize(self.primary)
            # Without a published plan, local search from the first-fit hint placed the most
            # (A/B benchmark); with one, LNS from the hint (that plan) moves little.
            # (Small models: the default search, which proves optimality.) If phase 0 ran
            # and failed, it used the time kept for phase 2.
            seconds = deadline - time.perf_counter() - (0 if self.may_fit_all else polish)
            local = not self.previous and len(self.x) > LOCAL_SEARCH_FROM
            first, code = self._run(settings, seconds, local=local)
            if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return Status.FEASIBLE, self.hint, total
            chosen = self._chosen(first)
            bound = min(total, int(first.best_objective_bound) // self.scale)
            status = Status.OPTIMAL if code == cp_model.OPTIMAL else Status.FEASIBLE
        # Phase 2: hold the first level, fewer idle gaps; the plan so far if nothing better.
        self.model.add(self.primary >= self._value(chosen))
        self.model.clear_hints()
        for (request_id, slot_id), var in self.x.items():
            self.model.add_hint(var, chosen.get(request_id) == slot_id)
        self.model.minimize(self._runs())
        second, code = self._run(settings, min(polish, deadline - time.perf_counter()))
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            chosen = self._chosen(second)
        if code != cp_model.OPTIMAL:
            status = Status.FEASIBLE
        return status, chosen, bound

    def _fit_all(
        self, settings: Settings, seconds: float
    ) -> tuple[dict[int, int] | None, Status, int]:
        """Phase 0: every request placed (a feasibility problem, which CP-SAT's local
        search solves far faster than the optimisation), keeping most of the previous plan."""
        total = sum(self.instance.weights[r] for r in self.per_request)
        if not self.may_fit_all:
            return None, Status.FEASIBLE, total
        model = self.model.clone()
        var = model.get_bool_var_from_proto_index
        for variables in self.per_request.values():
            model.add_exactly_one(var(v.index) for v in variables)
        if self.previous:
            model.maximize(sum(var(self.x[key].index) for key in self.previous))
        solver = self._solver(settings, seconds)
        code = solver.solve(model)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, Status.FEASIBLE, total
        chosen = {r: s for (r, s), v in self.x.items() if solver.boolean_value(var(v.index))}
        return chosen, Status.OPTIMAL if code == cp_model.OPTIMAL else Status.FEASIBLE, total

    def _value(self, chosen: dict[int, int]) -> int:
        placed = sum(self.instance.weights[r] for r in chosen)
        return placed * self.scale + sum(1 for key in self.previous if chosen.get(key[0]) == key[1])

    def _solver(self, settings: Settings, seconds: float) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, seconds)
        solver.parameters.num_workers = max(1, settings.workers)
        solver.parameters.random_seed = settings.seed
        # Presolve finds little in this model but took seconds on a loaded machine.
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
        return solver

    def _run(
        self, settings: Settings, seconds: float, *, local: bool = False
    ) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        solver = self._solver(settings, seconds)
        solver.parameters.use_ls_only = local
        return solver, solver.solve(self.model)

    def _chosen(self, solver: cp_model.CpSolver) -> dict[int, int]:
        return {r: s for (r, s), var in self.x.items() if solver.boolean_value(var)}

    def _runs(self) -> cp_model.LinearExpr:
        """Runs of consecutive meetings per person and session, over their unblocked slots."""
        instance = self.instance
        starts = []
        for person_id in instance.people:
            before: cp_model.LinearExpr | int = 0
            session = None
            for slot in instance.order:
                if slot.id in instance.blocked[person_id]:
                    continue
                if slot.session_id != session:
                    before, session = 0, slot.session_id
                variables = self.by_person_slot.get((person_id, slot.id), [])
                now: cp_model.LinearExpr | int = int((person_id, slot.id) in instance.busy)
                if variables:
                    now = cp_model.LinearExpr.sum(variables)
                if variables or now:
                    start = self.model.new_bool_var("")
                    self.model.add(start >= now - before)
                    starts.append(start)
                before = now
        return cp_model.LinearExpr.sum(starts)


def _finish(
    instance: _Instance,
    pin_tables: dict[int, int],
    conflicts: list[Unplaced],
    status: Status,
    value: int,
    bound: int,
    started: float,
) -> Plan:
    tables = _assign_tables(instance, pin_tables)
    placements = tuple(
        Placement(r, instance.slot_of[r], tables[r]) for r in sorted(instance.slot_of)
    )
    conflicted = {c.request_id for c in conflicts}
    unplaced = conflicts + [
        _explain(instance, r)
        for r in sorted(instance.requests)
        if r not in instance.slot_of and r not in conflicted
    ]
    return Plan(
        placements=placements,
        unplaced=tuple(sorted(unplaced, key=lambda u: u.request_id)),
        status=status,
        objective=value,
        bound=bound,
        changes=_changes(instance, placements),
        idle_gaps=_idle_gaps(instance),
        table_changes=_table_changes(instance, tables),
        seconds=time.perf_counter() - started,
    )


def _assign_tables(instance: _Instance, pin_tables: dict[int, int]) -> dict[int, int]:
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


def _changes(instance: _Instance, placements: tuple[Placement, ...]) -> Changes:
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


def _idle_gaps(instance: _Instance) -> int:
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


def _table_changes(instance: _Instance, tables: dict[int, int]) -> int:
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


def _explain(instance: _Instance, request_id: int) -> Unplaced:
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
        slots = _join([_label(s) for s in common])
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
            parts.append(f"at {_label(slot)} {' and '.join(meets)}")
        else:
            parts.append(f"at {_label(slot)} every table is taken")
    shown = "; ".join(parts[:4]) + (f"; and {len(parts) - 4} more" if len(parts) > 4 else "")
    text = f"{both} have no common free slot left: {shown}."
    return Unplaced(request_id, Reason.COMMON_SLOTS_TAKEN, text)


def _join(words: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(words)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
