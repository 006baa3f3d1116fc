"""The meeting scheduler, checked from outside: an independent checker of any plan's
properties (written without the solver's code), over hypothesis instances and hand cases."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventapp.services.partnering.solver import (
    Block,
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
    greedy,
    solve,
)

FAST = Settings(time_limit=0.5, workers=1, seed=1)
START = datetime(2026, 12, 8, 5, 0, tzinfo=UTC)


def make_slots(count: int, *, session: int = 1, first_id: int = 1) -> tuple[Slot, ...]:
    return tuple(
        Slot(
            id=first_id + n,
            session_id=session,
            starts_at=START + timedelta(minutes=30 * n),
            ends_at=START + timedelta(minutes=30 * n + 30),
            order=n,
            label=f"{14 + n // 2}:{'30' if n % 2 else '00'}",
        )
        for n in range(count)
    )


def check(problem: Problem, plan: Plan) -> None:
    """Every hard rule of issue 20, counted again from the plan alone."""
    people = {p.id: p for p in problem.people}
    requests = {r.id: r for r in problem.requests}
    slots = {s.id: s for s in problem.slots}
    table_session = {t.id: t.session_id for t in problem.tables}
    placed = [p.request_id for p in plan.placements]
    assert len(placed) == len(set(placed)), "a request placed twice"
    unplaced = [u.request_id for u in plan.unplaced]
    assert sorted(placed + unplaced) == sorted(requests), "every request placed or explained"
    seats: Counter[tuple[int, int]] = Counter()
    cells: Counter[tuple[int, int]] = Counter()
    meetings: Counter[int] = Counter()
    for placement in plan.placements:
        request = requests[placement.request_id]
        assert table_session[placement.table_id] == slots[placement.slot_id].session_id
        cells[placement.slot_id, placement.table_id] += 1
        for person_id in (request.first_id, request.second_id):
            seats[person_id, placement.slot_id] += 1
            meetings[person_id] += 1
            blocked = {b.slot_id for b in people[person_id].blocks}
            assert placement.slot_id not in blocked, "a meeting in a blocked slot"
    assert max(cells.values(), default=0) <= 1, "a table in two meetings at once"
    assert max(seats.values(), default=0) <= 1, "a person in two meetings at once"
    for person_id, count in meetings.items():
        limit = people[person_id].max_meetings
        assert limit is None or count <= limit, "a maximum exceeded"
    for u in plan.unplaced:
        request = requests[u.request_id]
        assert people[request.first_id].name in u.text
        assert people[request.second_id].name in u.text
    conflicts = {u.request_id for u in plan.unplaced if u.reason is Reason.PIN_CONFLICT}
    now = set(plan.placements)
    for pin in problem.pins:
        if pin.request_id in requests:
            assert pin in now or pin.request_id in conflicts, "a pin moved"


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    slot_count = draw(st.integers(1, 5))
    slots = make_slots(slot_count)
    tables = tuple(Table(id=100 + n, session_id=1) for n in range(draw(st.integers(1, 3))))
    people = []
    for n in range(draw(st.integers(2, 7))):
        blocked = draw(st.sets(st.sampled_from([s.id for s in slots]), max_size=2))
        people.append(
            Person(
                id=n + 1,
                name=f"Person {n + 1}",
                country=draw(st.sampled_from(["KR", "US"])),
                organization_id=n // 2,
                blocks=tuple(Block(b, f"in Panel {b}") for b in sorted(blocked)),
                max_meetings=draw(st.none() | st.integers(0, 3)),
            )
        )
    pairs = [(a.id, b.id) for a in people for b in people if a.id < b.id]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=12))
    requests = tuple(
        Request(n + 1, a, b, draw(st.integers(0, 2)), draw(st.booleans()))
        for n, (a, b) in enumerate(chosen)
    )
    cells = st.tuples(
        st.sampled_from([r.id for r in requests] or [0]),
        st.sampled_from([s.id for s in slots]),
        st.sampled_from([t.id for t in tables]),
    )
    unique = {"max_size": 3, "unique_by": lambda c: c[0]}
    pins = tuple(Placement(*c) for c in draw(st.lists(cells, **unique)) if c[0])
    previous = tuple(Placement(*c) for c in draw(st.lists(cells, **unique)) if c[0])
    return Problem(tuple(people), slots, tables, requests, pins, previous, FAST)


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(problems())
def test_any_plan_keeps_every_rule(problem: Problem) -> None:
    check(problem, solve(problem))
    check(problem, greedy(problem))


def _two_people(**first: object) -> tuple[Person, Person]:
    kim = Person(1, "Kim Minji", "KR", 1, **first)  # type: ignore[arg-type]
    return kim, Person(2, "John Doe", "US", 2)


def test_known_optimal_small_instance_places_everything() -> None:
    # Two slots and one table hold at most two meetings; the best two include the
    # priority request 3 (P1 with P4), with request 1 or 2 in the other slot.
    people = tuple(Person(n, f"P{n}", "KR" if n % 2 else "US") for n in range(1, 5))
    requests = (Request(1, 1, 2), Request(2, 3, 4), Request(3, 1, 4, priority=1))
    problem = Problem(people, make_slots(2), (Table(9, 1),), requests, settings=FAST)

    plan = solve(problem)

    check(problem, plan)
    assert plan.status is Status.OPTIMAL
    assert len(plan.placements) == 2
    assert 3 in {p.request_id for p in plan.placements}  # the priority request wins
    assert plan.objective == plan.bound


def test_rerun_with_previous_plan_moves_nothing() -> None:
    people = tuple(Person(n, f"P{n}", "KR" if n < 4 else "US", n) for n in range(1, 7))
    requests = tuple(
        Request(i + 1, a, b) for i, (a, b) in enumerate([(1, 4), (2, 5), (3, 6), (1, 5), (2, 6)])
    )
    tables = (Table(7, 1), Table(8, 1))
    problem = Problem(people, make_slots(4), tables, requests, settings=FAST)
    first = solve(problem)

    again = solve(Problem(people, make_slots(4), tables, requests, previous=first.placements))

    check(problem, again)
    assert set(again.placements) == set(first.placements)
    assert again.changes.moved == 0
    assert again.changes.kept == len(first.placements)


def test_pin_stays_where_the_organizer_put_it() -> None:
    people = _two_people()
    pin = Placement(1, 3, 11)
    problem = Problem(
        people, make_slots(3), (Table(10, 1), Table(11, 1)), (Request(1, 1, 2),), pins=(pin,)
    )

    plan = solve(problem)

    assert plan.placements == (pin,)


def test_reason_no_common_slot_says_what_blocks_each() -> None:
    slots = make_slots(2)
    kim = Person(1, "Kim Minji", "KR", blocks=(Block(1, "in Panel 3 at 14:00"),))
    john = Person(2, "John Doe", "US", blocks=(Block(2, "unavailable after 14:30"),))
    problem = Problem((kim, john), slots, (Table(5, 1),), (Request(1, 1, 2),), settings=FAST)

    plan = solve(problem)

    assert plan.placements == ()
    assert plan.unplaced[0].reason is Reason.NO_COMMON_SLOT
    assert plan.unplaced[0].text == (
        "Kim Minji and John Doe have no common free slot: Kim Minji is in Panel 3 at "
        "14:00; John Doe is unavailable after 14:30."
    )


def test_reason_maximum_reached() -> None:
    kim = Person(1, "Kim Minji", "KR", max_meetings=1)
    people = (kim, Person(2, "John Doe", "US"), Person(3, "Ann Lee", "US"))
    requests = (Request(1, 1, 2, priority=1), Request(2, 1, 3))
    problem = Problem(people, make_slots(2), (Table(5, 1),), requests, settings=FAST)

    plan = solve(problem)

    assert [p.request_id for p in plan.placements] == [1]
    assert plan.unplaced[0].reason is Reason.MAXIMUM_REACHED
    assert plan.unplaced[0].text == (
        "Kim Minji and Ann Lee were not placed: Kim Minji already has the maximum of 1 meetings."
    )


def test_reason_no_table_free() -> None:
    people = tuple(Person(n, f"P{n}", "KR") for n in range(1, 5))
    requests = (Request(1, 1, 2, priority=1), Request(2, 3, 4))
    problem = Problem(people, make_slots(1), (Table(5, 1),), requests, settings=FAST)

    plan = solve(problem)

    assert plan.unplaced[0].reason is Reason.NO_TABLE
    assert plan.unplaced[0].text == "No table is free for P3 and P4: every table is taken at 14:00."


def test_reason_common_slots_taken_names_the_other_meeting() -> None:
    people = (Person(1, "Kim Minji", "KR"), Person(2, "John Doe", "US"), Person(3, "Ann", "US"))
    requests = (Request(1, 1, 2, priority=1), Request(2, 1, 3))
    tables = (Table(5, 1), Table(6, 1))
    problem = Problem(people, make_slots(1), tables, requests, settings=FAST)

    plan = solve(problem)

    assert plan.unplaced[0].reason is Reason.COMMON_SLOTS_TAKEN
    assert plan.unplaced[0].text == (
        "Kim Minji and Ann have no common free slot left: at 14:00 Kim Minji meets John Doe."
    )


def test_conflicting_pin_is_reported_not_placed() -> None:
    kim = Person(1, "Kim Minji", "KR", blocks=(Block(1, "in Panel 3 at 14:00"),))
    problem = Problem(
        (kim, Person(2, "John Doe", "US")),
        make_slots(2),
        (Table(5, 1),),
        (Request(1, 1, 2),),
        pins=(Placement(1, 1, 5),),
        settings=FAST,
    )

    plan = solve(problem)

    assert plan.placements == ()
    assert plan.unplaced[0].reason is Reason.PIN_CONFLICT
    assert plan.unplaced[0].text == (
        "The pinned meeting of Kim Minji and John Doe cannot stay: Kim Minji is in Panel 3 "
        "at 14:00."
    )
