"""The benchmark harness's pure parts: wrk parsing, statistics, the table, discovery, guards.

The load itself is not run here (it belongs to `make bench`, not `make test`).
"""

from __future__ import annotations

import math
import os
import socket
from pathlib import Path

import pytest

from bench import data
from bench.__main__ import discover
from bench.harness import port_is_free, port_range, process_cpu_seconds, timing_row
from bench.load import check_loopback, duration_ms, parse_wrk, percentile, python_load, summarize
from bench.report import Row, format_table
from eventapp.models import Event, db
from eventapp.services.agenda import schedule
from tests.builders.schedule_schemas import validate_xml

WRK_OUTPUT = """\
Running 2s test @ http://127.0.0.1:5172/missing
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.17ms    5.17ms  70.04ms   94.27%
    Req/Sec     1.74k     0.98k    2.86k    45.45%
  Latency Distribution
     50%  812.00us
     75%    3.59ms
     90%    6.58ms
     99%    1.20s
  1907 requests in 1.11s, 685.33KB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 10
Requests/sec:   1724.12
Transfer/sec:    619.61KB
"""


def test_parse_wrk_reads_rate_latencies_and_errors() -> None:
    result = parse_wrk(WRK_OUTPUT)

    assert result.requests == 1907
    assert result.seconds == pytest.approx(1.11)
    assert result.req_per_s == pytest.approx(1724.12)
    assert result.p50_ms == pytest.approx(0.812)
    assert result.p99_ms == pytest.approx(1200.0)
    assert result.errors == 15
    assert result.tool == "wrk"


def test_parse_wrk_without_latency_distribution_fails_loudly() -> None:
    without = "\n".join(line for line in WRK_OUTPUT.splitlines() if "%  " not in line)

    with pytest.raises(ValueError, match="wrk output lacks"):
        parse_wrk(without)


@pytest.mark.parametrize(
    ("text", "ms"),
    [("512.00us", 0.512), ("5.12ms", 5.12), ("1.50s", 1500.0), ("2.00m", 120_000.0)],
)
def test_duration_ms_converts_wrk_units(text: str, ms: float) -> None:
    assert duration_ms(text) == pytest.approx(ms)


def test_duration_ms_rejects_other_text() -> None:
    with pytest.raises(ValueError, match="not a wrk duration"):
        duration_ms("5 ms")


def test_percentile_is_nearest_rank() -> None:
    values = [float(n) for n in range(100, 0, -1)]  # 100 … 1, unsorted on purpose

    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([7.0], 0.99) == 7.0
    assert math.isnan(percentile([], 0.5))


def test_summarize_computes_rate_from_count_and_time() -> None:
    result = summarize([1.0, 2.0, 3.0, 4.0], errors=1, seconds=2.0, tool="python")

    assert (result.requests, result.req_per_s, result.p50_ms, result.p99_ms) == (4, 2.0, 2.0, 4.0)
    assert result.errors == 1


@pytest.mark.parametrize("url", ["http://example.org/", "http://10.0.0.1:5170/", "http://[::2]/"])
def test_load_refuses_anything_but_loopback(url: str) -> None:
    with pytest.raises(ValueError, match="only load loopback"):
        python_load(url, seconds=0.1, connections=1)


def test_loopback_addresses_are_allowed() -> None:
    for url in ("http://127.0.0.1:5170/", "http://localhost:5170/x", "http://[::1]:5170/"):
        check_loopback(url)


def test_row_verdict_against_target() -> None:
    assert Row("a", ratio=0.71, target=0.7).verdict == "ok"
    assert Row("a", ratio=0.69, target=0.7).verdict == "BELOW"
    assert Row("a", ratio=0.2).verdict == ""
    assert Row("a", target=0.7).verdict == ""
    assert Row("a", ratio=1.17, target=0.7, errors=3).verdict == "ERRORS"


def test_format_table_aligns_columns_and_marks_targets() -> None:
    rows = [
        Row("bare Flask view (baseline)", 2472.4, 2.5, 16.3, 1.0, note="wrk"),
        Row("event page", 1830.0, 3.1, 20.0, 0.74, 0.7),
        Row("agenda page", 990.0, 7.0, 31.5, 0.4, 0.7),
        Row("agenda.ics", note="skipped: answered 404"),
    ]

    lines = format_table(rows).splitlines()

    assert len(lines) == 6
    assert len({len(line) for line in lines}) == 1  # every line as wide as the header
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    assert cells[0] == ["benchmark", "req/s", "p50 ms", "p99 ms", "x bare", "target", "note"]
    assert cells[2] == ["bare Flask view (baseline)", "2,472", "2.5", "16.3", "1.00", "", "wrk"]
    assert cells[3][4:6] == ["0.74", "≥0.70 ok"]
    assert cells[4][4:6] == ["0.40", "≥0.70 BELOW"]
    assert cells[5][1:5] == ["—", "—", "—", "—"]
    assert lines[1].startswith("|---")
    assert lines[1].endswith("|")


def test_timing_row_reports_median_and_max() -> None:
    row = timing_row("build", [30.0, 10.0, 20.0], "1 KiB")

    assert (row.p50_ms, row.p99_ms, row.req_per_s) == (20.0, 30.0, None)
    assert row.note == "n=3, max in p99 column; 1 KiB"


def test_port_range_parses_ranges_and_lists() -> None:
    assert port_range("5170-5173") == [5170, 5171, 5172, 5173]
    assert port_range("5170,5175-5176") == [5170, 5175, 5176]


def test_discover_finds_bench_modules_and_filters_by_name() -> None:
    everything = [m.__name__ for m in discover()]
    only = [m.__name__ for m in discover(["schedule"])]

    assert {"bench.bench_public", "bench.bench_schedule"} <= set(everything)
    assert everything == sorted(everything)
    assert only == ["bench.bench_schedule"]
    assert all(callable(m.run) for m in discover())


def test_bench_database_must_be_named_bench() -> None:
    with pytest.raises(ValueError, match="must contain 'bench'"):
        data.make_app("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    with pytest.raises(ValueError, match="must contain 'bench'"):
        data.make_app("sqlite:////tmp/eventapp.db")


def test_configured_sqlite_database_url_is_used_as_given() -> None:
    assert data.database_url("sqlite:////tmp/my-bench.db") == "sqlite:////tmp/my-bench.db"


def test_synthetic_event_spreads_sessions_over_rooms_and_days(tmp_path: Path) -> None:
    app = data.make_app(f"sqlite:///{tmp_path}/bench.db")
    data.reset(app)

    slug = data.synthetic_event(app, slug="bench-small", sessions=25, rooms=3, days=2)

    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == slug))
        assert event is not None
        sessions = event.sessions
        assert len(sessions) == 25
        assert {s.room.name for s in sessions} == {"Room 0", "Room 1", "Room 2"}
        assert len({s.starts_at.date() for s in sessions}) == 2
        assert all(len(s.speaker_links) == 3 for s in sessions)
        document = schedule.build_xml(event)
    validate_xml(document)


def test_port_in_use_is_not_free() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        assert port_is_free(port) is False


def test_process_cpu_seconds_reads_this_process_and_grows_with_work() -> None:
    before = process_cpu_seconds(os.getpid())
    sum(i * i for i in range(3_000_000))
    after = process_cpu_seconds(os.getpid())
    assert after > before >= 0.0
    assert process_cpu_seconds(2**22 + 12345) == 0.0  # no such process


def test_symposium_event_is_the_seeded_one_not_an_earlier_synthetic_event(tmp_path: Path) -> None:
    app = data.make_app(f"sqlite:///{tmp_path}/bench.db")
    data.reset(app)
    synthetic = data.synthetic_event(app, slug="bench-early", sessions=2)
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == synthetic))
        event.starts_at = event.starts_at.replace(year=2000)
        event.ends_at = event.ends_at.replace(year=2000)
        db.session.commit()

    slug = data.symposium_event(app)

    assert not slug.startswith("bench-")
    with app.app_context():
        assert db.session.scalar(db.select(Event).where(Event.slug == slug)).is_published
