"""agenda.ics for a 1,000-session synthetic event (issue 5): the cold build (query, entries,
writing), our writer against a minimal hand-written serializer of the same entries measured
in the same run (target: at most 3 times its time), throughput of a conditional GET answered
304 (target: at least 0.8 of the bare view), and a full GET.
"""

from __future__ import annotations

import statistics
from datetime import UTC, datetime

from bench import data
from bench.harness import Context, status, timed, timing_row
from bench.report import Row
from eventapp.builders.ics import CalendarEntry, FeedInfo, build_feed, compose_description
from eventapp.models import Event, db
from eventapp.services import calendar
from eventapp.services.agenda import published_sessions

SESSIONS = 1000
SLUG = "bench-1000"
#: Our writer may take at most 3 times as long as the minimal one: ratio = its time / ours.
BUILD_TARGET = 1 / 3


def run(ctx: Context) -> list[Row]:
    if data.find_event(ctx.app, SLUG) is None:
        data.synthetic_event(ctx.app, slug=SLUG, sessions=SESSIONS)
    rows = _cold_build(ctx)
    server = ctx.product()
    path = f"/e/{SLUG}/agenda.ics"
    code, headers, body = status(server.url + path)
    if code != 200:
        return [*rows, Row(f"agenda.ics, {SESSIONS} sessions", note=f"skipped: answered {code}")]
    rows.append(
        ctx.measure(
            f"agenda.ics 304 (If-None-Match), {SESSIONS} sessions",
            path,
            headers={"If-None-Match": headers["etag"]},
            expect=304,
            target=0.8,
        )
    )
    times = timed(lambda: status(server.url + path), repeat=5)
    rows.append(
        timing_row(f"agenda.ics GET 200, {SESSIONS} sessions", times, f"{len(body) // 1024} KiB")
    )
    return rows


def _cold_build(ctx: Context) -> list[Row]:
    """In process: the whole cold build (a new database session each time, as in a request:
    query, map to entries, write), then the writer alone against the minimal serializer,
    both given the same 1,000 entries and timed in alternation so load hits both alike."""
    with ctx.app.test_request_context():

        def load() -> tuple[Event, list[CalendarEntry]]:
            db.session.remove()
            event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
            return event, [calendar.session_entry(s) for s in published_sessions(event)]

        def whole() -> bytes:
            db.session.remove()
            event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
            return calendar.agenda_feed(event)

        size = len(whole())
        whole_ms = timed(whole, repeat=5)
        event, entries = load()
        info = FeedInfo(name=event.title, timezone=event.timezone)
        stamp = datetime.now(UTC)
        ours: list[float] = []
        minimal: list[float] = []
        for _ in range(9):
            ours += timed(lambda: build_feed(entries, info=info, stamp=stamp), repeat=1)
            minimal += timed(lambda: _minimal_serializer(entries), repeat=1)
    ours_ms, minimal_ms = statistics.median(ours), statistics.median(minimal)
    return [
        timing_row(
            f"agenda.ics cold build in-process, {SESSIONS} sessions",
            whole_ms,
            f"query + entries + write; {size // 1024} KiB",
        ),
        Row(
            f"agenda.ics writer vs minimal serializer, {SESSIONS} entries",
            p50_ms=ours_ms,
            ratio=minimal_ms / ours_ms,
            target=BUILD_TARGET,
            note=f"median of 9 each; minimal {minimal_ms:.1f} ms; 'x bare' = minimal / ours",
        ),
    ]


def _minimal_serializer(entries: list[CalendarEntry]) -> bytes:
    """The least a correct feed needs: escaping, UTC times, folding; no zones or alarms."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")

    def text(value: str) -> str:
        return (
            value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
        )

    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//minimal//EN"]
    for e in entries:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{stamp}",
            f"SEQUENCE:{e.sequence}",
            f"DTSTART:{e.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            f"DTEND:{e.ends_at.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            f"SUMMARY:{text(e.summary)}",
            f"DESCRIPTION:{text(compose_description(e.description, e.details))}",
            f"LOCATION:{text(e.location)}",
            f"URL:{e.url}",
            f"STATUS:{e.status}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    out = []
    for line in lines:
        raw = line.encode()
        limit = 75
        while len(raw) > limit:
            cut = limit
            while raw[cut] & 0xC0 == 0x80:
                cut -= 1
            out.append(raw[:cut])
            raw = b" " + raw[cut:]
        out.append(raw)
    return b"\r\n".join(out) + b"\r\n"
