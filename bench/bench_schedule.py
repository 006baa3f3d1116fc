"""schedule.xml for a 1,000-session synthetic event: cold build time (beside the calendar
feed's, where that route exists) and 304 throughput.
"""

from __future__ import annotations

from bench import data
from bench.harness import Context, status, timed, timing_row
from bench.report import Row
from eventapp.models import Event, db
from eventapp.services.agenda import schedule

SESSIONS = 1000
SLUG = "bench-1000"


def run(ctx: Context) -> list[Row]:
    if data.find_event(ctx.app, SLUG) is None:
        data.synthetic_event(ctx.app, slug=SLUG, sessions=SESSIONS)
    rows = [_build_in_process(ctx)]
    server = ctx.product()
    # Cold over HTTP: no If-None-Match, nothing cached anywhere (each GET rebuilds).
    for label, path in (
        ("schedule.xml", f"/e/{SLUG}/schedule.xml"),
        ("schedule.json", f"/e/{SLUG}/schedule.json"),
        ("agenda.ics (calendar feed)", f"/e/{SLUG}/agenda.ics"),
    ):
        code, _, body = status(server.url + path)
        if code != 200:
            rows.append(Row(f"{label} GET, {SESSIONS} sessions", note=f"skipped: answered {code}"))
            continue
        times = timed(lambda path=path: status(server.url + path), repeat=5)
        rows.append(
            timing_row(f"{label} GET 200, {SESSIONS} sessions", times, f"{len(body) // 1024} KiB")
        )
    _, headers, _ = status(server.url + f"/e/{SLUG}/schedule.xml")
    rows.append(
        ctx.measure(
            f"schedule.xml 304 (If-None-Match), {SESSIONS} sessions",
            f"/e/{SLUG}/schedule.xml",
            headers={"If-None-Match": headers["etag"]},
            expect=304,
        )
    )
    return rows


def _build_in_process(ctx: Context) -> Row:
    """Service + builder without HTTP: query, map to dataclasses, serialize."""
    with ctx.app.app_context():

        def build() -> bytes:
            db.session.remove()  # cold, as in a request: a new session loads every row
            event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
            return schedule.build_xml(event)

        size = len(build())
        return timing_row(
            f"schedule.xml build in-process, {SESSIONS} sessions",
            timed(build, repeat=5),
            f"{size // 1024} KiB",
        )
