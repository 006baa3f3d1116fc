"""An upper bound on instance B's placed meetings (#20): the LP relaxation of the slot
model (GLOP, in OR-Tools), to judge the "+10 % over greedy" target against what any plan
could reach. `python -m bench.partnering_bound` prints greedy, the LP bound and the
capacity; no database."""

from __future__ import annotations

from collections import defaultdict

from ortools.linear_solver import pywraplp

from bench.bench_partnering import instances
from eventapp.services.partnering import solver


def lp_bound(problem: solver.Problem) -> float:
    """Max meetings placed, with x[request, slot] in [0, 1] instead of {0, 1}."""
    instance = solver.Instance(problem)
    lp = pywraplp.Solver.CreateSolver("GLOP")
    x = {}
    by_person_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_person: dict[int, list] = defaultdict(list)
    by_slot: dict[int, list] = defaultdict(list)
    for request_id in instance.requests:
        people = instance.pair(request_id)
        for slot in instance.order:
            if all(instance.free_for(p, slot.id) for p in people):
                var = lp.NumVar(0, 1, "")
                x[request_id, slot.id] = var
                by_slot[slot.id].append(var)
                for person in people:
                    by_person_slot[person.id, slot.id].append(var)
                    by_person[person.id].append(var)
    per_request: dict[int, list] = defaultdict(list)
    for (request_id, _), var in x.items():
        per_request[request_id].append(var)
    for group in [*per_request.values(), *by_person_slot.values()]:
        lp.Add(sum(group) <= 1)
    for slot_id, group in by_slot.items():
        lp.Add(sum(group) <= instance.capacity(slot_id))
    for person_id, group in by_person.items():
        limit = instance.people[person_id].max_meetings
        if limit is not None:
            lp.Add(sum(group) <= limit)
    lp.Maximize(sum(x.values()))
    lp.Solve()
    return lp.Objective().Value()


def main() -> None:
    _a, b, _rng = instances()
    greedy = len(solver.greedy(b).placements)
    capacity = sum(solver.Instance(b).capacity(s.id) for s in b.slots)
    bound = lp_bound(b)
    print(
        f"partnering B bound: greedy {greedy}, +10 % = {round(greedy * 1.1)}, "
        f"LP bound {bound:.1f}, table-slots {capacity}, requests {len(b.requests)}"
    )


if __name__ == "__main__":
    main()
