"""The harness a benchmark module uses: servers, the baseline, and measured rows.

A benchmark module `bench/bench_<name>.py` defines `run(ctx: Context) -> list[Row]`:

    def run(ctx):
        slug = data.symposium_event(ctx.app)            # load data through the models
        return [ctx.measure("event page", f"/e/{slug}/", target=0.7)]

`ctx.measure` loads the product (gunicorn, 2 sync workers, on 127.0.0.1) and reports req/s,
p50/p99 and the ratio to the bare baseline measured in the same run.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from bench import data
from bench.load import LoadResult, check_loopback, run_load
from bench.report import Row

ROOT = Path(__file__).resolve().parent.parent
#: Requests sent before each measurement, so both workers have compiled and connected.
WARMUP_REQUESTS = 8


def port_range(spec: str) -> list[int]:
    """'5170-5179' → [5170, …, 5179]; '5170,5172' → [5170, 5172]."""
    ports: list[int] = []
    for part in spec.split(","):
        low, _, high = part.strip().partition("-")
        ports.extend(range(int(low), int(high or low) + 1))
    return ports


def port_is_free(port: int) -> bool:
    """True when nothing listens on 127.0.0.1:`port` (else we would measure someone else)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As gunicorn does: connections of an earlier run in TIME_WAIT do not block the port.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Server:
    """gunicorn (2 sync workers) serving `app_spec` on 127.0.0.1:`port` until `stop()`."""

    def __init__(self, app_spec: str, port: int, env: Mapping[str, str], *, workers: int = 2):
        self.app_spec = app_spec
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self._log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log")  # noqa: SIM115
        command = [sys.executable, "-m", "gunicorn", "--workers", str(workers)]
        command += ["--worker-class", "sync", "--bind", f"127.0.0.1:{port}"]
        command += ["--log-level", "warning", app_spec]
        self._process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=self._log, stderr=self._log
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.app_spec} exited:\n{self.log()}")
            try:
                status(self.url + "/")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn {self.app_spec} did not answer in {timeout:.0f} s")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by gunicorn and its live workers (Linux
        /proc; 0.0 elsewhere). The difference over a load phase, divided by its requests,
        is the server's CPU cost per request."""
        return sum(process_cpu_seconds(pid) for pid in [self._process.pid, *self._workers()])

    def _workers(self) -> list[int]:
        children = Path(f"/proc/{self._process.pid}/task/{self._process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def log(self) -> str:
        """What gunicorn wrote so far (warnings and errors only)."""
        return Path(self._log.name).read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """Stop gunicorn and its workers (SIGTERM, then SIGKILL after 10 s)."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._log.close()


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of one process from /proc/<pid>/stat; 0.0 when it cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    # The command name (field 2) may hold spaces; the fields after its ")" are plain.
    fields = stat.rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def status(url: str, headers: Mapping[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One GET: status, headers (lower-cased names) and body."""
    check_loopback(url)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
    try:
        connection.request("GET", target, headers=dict(headers or {}))
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def timed(action: Callable[[], Any], repeat: int = 5) -> list[float]:
    """Milliseconds each of `repeat` calls of `action` took."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def timing_row(name: str, times_ms: list[float], note: str = "") -> Row:
    """A row for a repeated timing: median in the p50 column, the slowest in the p99 column."""
    label = f"n={len(times_ms)}, max in p99 column"
    return Row(
        name,
        p50_ms=statistics.median(times_ms),
        p99_ms=max(times_ms),
        note=f"{label}; {note}" if note else label,
    )


@dataclass
class Context:
    """Everything a benchmark needs; built once per `make bench` run."""

    database_url: str
    seconds: float = 5.0
    connections: int = 8
    ports: list[int] = field(default_factory=lambda: port_range("5170-5179"))
    app: Flask = field(init=False)
    _servers: dict[str, Server] = field(default_factory=dict, init=False)
    _baseline: LoadResult | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.app = data.make_app(self.database_url)

    @classmethod
    def from_env(cls) -> Context:
        """Settings from BENCH_DATABASE_URL, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_PORTS."""
        return cls(
            database_url=data.database_url(os.environ.get("BENCH_DATABASE_URL")),
            seconds=float(os.environ.get("BENCH_SECONDS", "5")),
            connections=int(os.environ.get("BENCH_CONNECTIONS", "8")),
            ports=port_range(os.environ.get("BENCH_PORTS", "5170-5179")),
        )

    def _server(self, key: str, app_spec: str, env: Callable[[int], Mapping[str, str]]) -> Server:
        if key not in self._servers:
            used = {server.port for server in self._servers.values()}
            free = [p for p in self.ports if p not in used and port_is_free(p)]
            if not free:
                raise RuntimeError(f"no free port in {self.ports} (BENCH_PORTS)")
            port = free[0]
            self._servers[key] = Server(app_spec, port, env(port))
        return self._servers[key]

    def product(self) -> Server:
        """The product (`wsgi:app`) against the bench database; started once, shared."""
        return self._server(
            "product",
            "wsgi:app",
            lambda port: {
                "DATABASE_URL": self.database_url,
                "SECRET_KEY": "bench-only-not-a-secret",
                "RATELIMIT_ENABLED": "0",  # the limiter would answer 429 to a load test
                "PUBLIC_URL": f"http://127.0.0.1:{port}",
            },
        )

    def bare(self) -> Server:
        """The bare Flask view (`bench.bare:app`) with the same gunicorn settings."""
        return self._server("bare", "bench.bare:app", lambda port: {})

    def baseline(self) -> LoadResult:
        """The bare view's throughput, measured once per run (the denominator of ratios)."""
        if self._baseline is None:
            url = self.bare().url + "/"
            for _ in range(WARMUP_REQUESTS):
                status(url)
            self._baseline = run_load(url, seconds=self.seconds, connections=self.connections)
        return self._baseline

    def baseline_row(self) -> Row:
        """The baseline as a table row."""
        result = self.baseline()
        return Row(
            "bare Flask view (baseline)",
            result.req_per_s,
            result.p50_ms,
            result.p99_ms,
            1.0,
            note=f"{result.tool}, {result.requests} requests",
        )

    def measure(
        self,
        name: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        expect: int = 200,
        target: float | None = None,
        seconds: float | None = None,
    ) -> Row:
        """Load the product's `path` and report it against the baseline.

        One probe request first: if it does not answer `expect`, the row says so instead of
        measuring error pages. A few more warm both workers up (templates compiled, database
        connections open) before the measured run.
        """
        url = self.product().url + path
        code, _, _ = status(url, headers)
        if code != expect:
            return Row(name, note=f"skipped: GET {path} answered {code}, expected {expect}")
        for _ in range(WARMUP_REQUESTS):
            status(url, headers)
        baseline = self.baseline()
        result = run_load(
            url, seconds=seconds or self.seconds, connections=self.connections, headers=headers
        )
        note = f"{result.tool}, {result.requests} requests"
        if result.errors:
            note += f", {result.errors} errors"
        return Row(
            name,
            result.req_per_s,
            result.p50_ms,
            result.p99_ms,
            result.req_per_s / baseline.req_per_s if baseline.req_per_s else None,
            target,
            note,
            errors=result.errors,
        )

    def close(self) -> None:
        """Stop every server this run started."""
        for server in self._servers.values():
            server.stop()
        self._servers.clear()
