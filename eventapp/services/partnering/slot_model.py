"""The CP-SAT model of a run (#20): meetings into slots, each slot holding as many
meetings as its session has tables; the phases `solver.solve` runs (see its docstring)."""

from __future__ import annotations

import time
from collections import defaultdict
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from eventapp.services.partnering.plans import Settings, Status

if TYPE_CHECKING:
    from eventapp.services.partnering.solver import Instance

#: Share of the time limit the second phase (idle gaps) may use at most.
POLISH_SHARE = 0.3
#: Models with more placement variables than this use CP-SAT's local search only.
LOCAL_SEARCH_FROM = 2000


class SlotModel:
    """CP-SAT over x[request, slot] for the requests not pinned; tables come later."""

    def __init__(self, instance: Instance, previous: dict[int, int], hint: dict[int, int]):
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
