"""Public pages of the seeded symposium: event page and agenda (target: 0.7 of bare)."""

from __future__ import annotations

from bench import data
from bench.harness import Context
from bench.report import Row

TARGET = 0.7


def run(ctx: Context) -> list[Row]:
    slug = data.symposium_event(ctx.app)
    return [
        ctx.measure(f"event page /e/{slug}/", f"/e/{slug}/", target=TARGET),
        ctx.measure(f"agenda page /e/{slug}/agenda", f"/e/{slug}/agenda", target=TARGET),
    ]
