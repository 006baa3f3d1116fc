"""Load generation, bounded in time and aimed only at loopback: `wrk` when installed, else a
small Python client (threads + http.client). Both give a `LoadResult`.
"""

from __future__ import annotations

import http.client
import math
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What one bounded load run measured."""

    requests: int
    seconds: float
    req_per_s: float
    p50_ms: float
    p99_ms: float
    #: Responses other than 2xx/3xx plus socket errors and timeouts.
    errors: int
    tool: str


def check_loopback(url: str) -> None:
    """Refuse any target that is not this machine: benchmarks never load someone else."""
    host = urlsplit(url).hostname
    if host not in LOOPBACK:
        raise ValueError(f"benchmarks only load loopback addresses, not {host!r}")


def duration_ms(text: str) -> float:
    """wrk's duration notation ('512.00us', '5.12ms', '1.02s', '2.00m') in milliseconds."""
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> LoadResult:
    """Read the figures out of `wrk --latency` output."""

    def find(pattern: str) -> re.Match[str]:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise ValueError(f"wrk output lacks {pattern!r}:\n{output}")
        return match

    done = find(r"^\s*(\d+) requests in ([0-9.]+\w+),")
    rate = find(r"^Requests/sec:\s*([0-9.]+)")
    p50 = find(r"^\s*50(?:\.0+)?%\s+(\S+)")
    p99 = find(r"^\s*99(?:\.0+)?%\s+(\S+)")
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sockets:
        errors += sum(int(count) for count in sockets.groups())
    return LoadResult(
        requests=int(done.group(1)),
        seconds=duration_ms(done.group(2)) / 1000,
        req_per_s=float(rate.group(1)),
        p50_ms=duration_ms(p50.group(1)),
        p99_ms=duration_ms(p99.group(1)),
        errors=errors,
        tool="wrk",
    )


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of `values` (0 < fraction ≤ 1); NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summarize(latencies_ms: Sequence[float], errors: int, seconds: float, tool: str) -> LoadResult:
    """A `LoadResult` from raw per-request latencies."""
    count = len(latencies_ms)
    return LoadResult(
        requests=count,
        seconds=seconds,
        req_per_s=count / seconds if seconds > 0 else 0.0,
        p50_ms=percentile(latencies_ms, 0.50),
        p99_ms=percentile(latencies_ms, 0.99),
        errors=errors,
        tool=tool,
    )


def wrk_load(
    url: str, *, seconds: float, connections: int, headers: Mapping[str, str] | None = None
) -> LoadResult:
    """Run wrk for `seconds` with `connections` open connections."""
    check_loopback(url)
    threads = max(1, min(2, connections))
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    command += ["--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    return parse_wrk(done.stdout)


def python_load(
    url: str, *, seconds: float, connections: int, headers: Mapping[str, str] | None = None
) -> LoadResult:
    """The fallback client: `connections` threads, each sending requests until time is up."""
    check_loopback(url)
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        mine: list[float] = []
        failed = 0
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=dict(headers or {}))
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    failed += 1
                if response.will_close:
                    connection.close()
            except OSError:
                failed += 1
                connection.close()
                continue
            mine.append((time.perf_counter() - started) * 1000)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    workers = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(seconds + 30)
    return summarize(latencies, errors[0], time.perf_counter() - started, "python")


def load_tool() -> str:
    """'wrk' when it is installed (and not disabled with BENCH_TOOL=python), else 'python'."""
    wanted = os.environ.get("BENCH_TOOL", "")
    if wanted == "python" or not shutil.which("wrk"):
        return "python"
    return "wrk"


def run_load(
    url: str, *, seconds: float, connections: int, headers: Mapping[str, str] | None = None
) -> LoadResult:
    """Load `url` for `seconds` with the best available tool."""
    runner = wrk_load if load_tool() == "wrk" else python_load
    return runner(url, seconds=seconds, connections=connections, headers=headers)
