"""The scheduler's plain data (#20): what goes into a run (`Problem`) and what comes out
(`Plan`), with the weight of a meeting. Pure dataclasses; `solver.py` does the work."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

#: Weight of a placed meeting: base + per priority level + cross-country + both sides. A
#: priority level (4) outweighs cross-country and both-sides together (2 + 1), and
#: cross-country outweighs both-sides; the base keeps "more meetings" first for small gaps.
WEIGHT_BASE = 10
WEIGHT_PRIORITY = 4
WEIGHT_CROSS_COUNTRY = 2
WEIGHT_BOTH_SIDES = 1
MAX_PRIORITY = 3


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

    @property
    def shown(self) -> str:
        """The slot's time as reasons write it (`label`, or its start's hour and minute)."""
        return self.label or f"{self.starts_at:%H:%M}"


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
