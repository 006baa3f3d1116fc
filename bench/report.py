"""Result rows and the one table `make bench` prints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table. HTTP rows fill req/s and latencies; timing rows only latencies."""

    name: str
    req_per_s: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    #: Throughput divided by the bare baseline's, measured in the same run.
    ratio: float | None = None
    #: The ratio this row must reach (e.g. 0.7); None when the row has no target.
    target: float | None = None
    note: str = ""
    #: Failed requests (5xx, other errors, socket errors) during the measurement.
    errors: int = 0

    @property
    def verdict(self) -> str:
        """'ok' or 'BELOW' against the target, 'ERRORS' when any request failed (a fast
        error page is no throughput); empty without a target or a ratio."""
        if self.target is None or self.ratio is None:
            return ""
        if self.errors:
            return "ERRORS"
        return "ok" if self.ratio >= self.target else "BELOW"


COLUMNS = ("benchmark", "req/s", "p50 ms", "p99 ms", "x bare", "target", "note")


def _number(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def cells(row: Row) -> tuple[str, ...]:
    """The row's cells as printed, in `COLUMNS` order."""
    target = "" if row.target is None else f"≥{row.target:.2f} {row.verdict}".rstrip()
    return (
        row.name,
        _number(row.req_per_s, 0),
        _number(row.p50_ms, 1),
        _number(row.p99_ms, 1),
        _number(row.ratio, 2),
        target,
        row.note,
    )


def format_table(rows: Sequence[Row]) -> str:
    """A plain-text table (Markdown-compatible) of the rows, numbers right-aligned."""
    table = [COLUMNS, *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    numeric = {1, 2, 3, 4}

    def line(values: Sequence[str]) -> str:
        parts = [
            value.rjust(width) if i in numeric else value.ljust(width)
            for i, (value, width) in enumerate(zip(values, widths, strict=True))
        ]
        return "| " + " | ".join(parts) + " |"

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if i in numeric else ("-" * (w + 2)) for i, w in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([line(COLUMNS), rule, *(line(cells(row)) for row in rows)])
