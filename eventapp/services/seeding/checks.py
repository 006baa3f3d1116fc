"""Checking a whole seed document: the shape of each table, references between them, and times.

No database access. `check()` returns the normalized document (enum members, aware UTC times,
defaults filled in) and every problem found, each named by its key path, e.g.
`events[1].sessions[3].starts_at: ...` (indices count from 0), so one run reports them all.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from eventapp.services.seeding.schema import DOCUMENT, Invalid, Key, kind_of

Table = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Document:
    """A checked seed document: lists of normalized tables, in file order."""

    venues: list[Table]
    organizations: list[Table]
    speakers: list[Table]
    events: list[Table]


def check(data: Mapping[str, Any]) -> tuple[Document, list[str]]:
    """The normalized document and the problems found (an empty list when it can be loaded)."""
    walker = _Walker()
    if not isinstance(data, Mapping):
        walker.problem("(document)", f"expected a table, got {kind_of(data)}")
        data = {}
    document = walker.table(data, "", DOCUMENT)
    venues = walker.unique(document["venues"], "venues", "key")
    organizations = walker.unique(document["organizations"], "organizations", "key")
    speakers = walker.unique(document["speakers"], "speakers", "key")
    walker.unique(document["events"], "events", "slug")
    for i, speaker in enumerate(document["speakers"]):
        where = f"speakers[{i}].organization"
        walker.reference(speaker["organization"], organizations, where, "organization")
    for i, event in enumerate(document["events"]):
        _check_event(walker, event, f"events[{i}]", venues, organizations, speakers)
    return Document(**document), walker.problems


def _check_event(
    walker: _Walker,
    event: Table,
    path: str,
    venues: set[str],
    organizations: set[str],
    speakers: set[str],
) -> None:
    walker.reference(event["venue"], venues, f"{path}.venue", "venue")
    walker.unique(event["hosts"], f"{path}.hosts", "organization")
    for j, host in enumerate(event["hosts"]):
        where = f"{path}.hosts[{j}].organization"
        walker.reference(host["organization"], organizations, where, "organization")
    rooms = walker.unique(event["rooms"], f"{path}.rooms", "key")
    walker.unique(event["rooms"], f"{path}.rooms", "name")
    tracks = walker.unique(event["tracks"], f"{path}.tracks", "key")
    walker.unique(event["tracks"], f"{path}.tracks", "name")
    walker.unique(event["sessions"], f"{path}.sessions", "key")
    if event["acronym"] is None:
        event["acronym"] = event["slug"]

    zone = ZoneInfo(event["timezone"]) if event["timezone"] else None
    walker.times(event, path, zone, "starts_at", "ends_at")
    walker.times(event, path, zone, "registration_opens_at", "registration_closes_at")
    for k, session in enumerate(event["sessions"]):
        where = f"{path}.sessions[{k}]"
        walker.reference(session["track"], tracks, f"{where}.track", "track")
        walker.reference(session["room"], rooms, f"{where}.room", "room")
        walker.unique(session["speakers"], f"{where}.speakers", "speaker")
        for m, link in enumerate(session["speakers"]):
            walker.reference(link["speaker"], speakers, f"{where}.speakers[{m}].speaker", "speaker")
        walker.times(session, where, zone, "starts_at", "ends_at")
        walker.inside(session, where, event, zone)


class _Walker:
    """Walks tables against their key specs, collecting problems instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def table(self, value: Mapping[str, Any], path: str, spec: Mapping[str, Key]) -> Table:
        prefix = f"{path}." if path else ""
        for name in sorted(set(value) - set(spec)):
            near = difflib.get_close_matches(name, list(spec), n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"expected one of: {', '.join(spec)}"
            self.problem(f"{prefix}{name}", f"unknown key; {hint}")
        result: Table = {}
        for name, key in spec.items():
            where = f"{prefix}{name}"
            if name not in value:
                if key.required:
                    self.problem(where, "missing (required)")
                result[name] = [] if key.table is not None else key.default
            elif key.table is not None:
                result[name] = self.tables(value[name], where, key.table)
            elif key.check is not None:
                try:
                    result[name] = key.check(value[name])
                except Invalid as error:
                    self.problem(where, str(error))
                    result[name] = None
        return result

    def tables(self, value: Any, path: str, spec: Mapping[str, Key]) -> list[Table]:
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problem(path, f"expected an array of tables, got {kind_of(value)}")
            return []
        return [self.table(item, f"{path}[{i}]", spec) for i, item in enumerate(value)]

    def unique(self, items: list[Table], path: str, field: str) -> set[str]:
        """The distinct values of `field`; a repeated value is a problem."""
        first: dict[Any, int] = {}
        for i, item in enumerate(items):
            value = item.get(field)
            if value is None:
                continue
            if value in first:
                self.problem(f"{path}[{i}].{field}", f"{value!r} repeats {path}[{first[value]}]")
            else:
                first[value] = i
        return set(first)

    def reference(self, value: str | None, known: Collection[str], path: str, what: str) -> None:
        if value is None or value in known:
            return
        near = difflib.get_close_matches(value, list(known), n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        self.problem(path, f"unknown {what} {value!r}{hint}")

    def times(self, table: Table, path: str, zone: ZoneInfo | None, start: str, end: str) -> None:
        """Convert local times to aware UTC in place; the end must come after the start."""
        for name in (start, end):
            local = table[name]
            table[name] = None if zone is None or local is None else self._utc(local, zone)
            if zone is not None and local is not None and table[name] is None:
                self.problem(f"{path}.{name}", f"{local:%Y-%m-%d %H:%M} does not exist in {zone}")
        if table[start] is not None and table[end] is not None and table[end] <= table[start]:
            self.problem(f"{path}.{end}", f"must come after {start} ({_local(table[start], zone)})")

    def inside(self, session: Table, path: str, event: Table, zone: ZoneInfo | None) -> None:
        """A session lies within its event's start and end."""
        if (
            session["starts_at"]
            and event["starts_at"]
            and session["starts_at"] < event["starts_at"]
        ):
            when = _local(event["starts_at"], zone)
            self.problem(f"{path}.starts_at", f"is before the event starts ({when})")
        if session["ends_at"] and event["ends_at"] and session["ends_at"] > event["ends_at"]:
            when = _local(event["ends_at"], zone)
            self.problem(f"{path}.ends_at", f"is after the event ends ({when})")

    @staticmethod
    def _utc(local: datetime, zone: ZoneInfo) -> datetime | None:
        """`local` in `zone` as aware UTC; None for a time the clocks skip (spring forward)."""
        moment = local.replace(tzinfo=zone).astimezone(UTC)
        if moment.astimezone(zone).replace(tzinfo=None) != local:
            return None
        return moment


def _local(moment: datetime, zone: ZoneInfo | None) -> str:
    return f"{moment.astimezone(zone or UTC):%Y-%m-%d %H:%M}"
