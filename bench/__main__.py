"""`make bench` = `python -m bench [NAME…]`: run every `bench/bench_*.py` (or the named ones)
against one fresh bench database and print one table.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import platform
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from sqlalchemy import make_url

from bench import data
from bench.harness import Context
from bench.load import load_tool
from bench.report import Row, format_table

HERE = Path(__file__).resolve().parent


def discover(names: list[str] | None = None) -> list[ModuleType]:
    """The benchmark modules, alphabetically; `names` ('schedule' or 'bench_schedule') filter."""
    wanted = {name.removeprefix("bench_").removesuffix(".py") for name in names or []}
    modules = []
    for info in sorted(pkgutil.iter_modules([str(HERE)]), key=lambda i: i.name):
        short = info.name.removeprefix("bench_")
        if info.name.startswith("bench_") and (not wanted or short in wanted):
            modules.append(importlib.import_module(f"bench.{info.name}"))
    return modules


def machine() -> str:
    """'2 CPUs, 23 GiB RAM, Linux 6.1 x86_64, Python 3.11.7' for the README."""
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB RAM"
    except (ValueError, OSError):
        pass
    return (
        f"{os.cpu_count()} CPUs{memory}, {platform.system()} {platform.release()} "
        f"{platform.machine()}, Python {platform.python_version()}"
    )


def main(argv: list[str]) -> int:
    modules = discover(argv)
    if not modules:
        print(f"no benchmark matches {argv}", file=sys.stderr)
        return 2
    context = Context.from_env()
    print(f"# eventapp benchmarks, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"# machine: {machine()}")
    print(f"# database: {make_url(context.database_url).render_as_string(hide_password=True)}")
    print(
        f"# load: {load_tool()}, {context.seconds:g} s per measurement, "
        f"{context.connections} connections, gunicorn 2 sync workers"
    )
    rows: list[Row] = []
    failed = False
    started = time.monotonic()
    try:
        # Modules with STANDALONE = True (bench_partnering) need no database or server.
        if not all(getattr(module, "STANDALONE", False) for module in modules):
            data.reset(context.app)
            rows.append(context.baseline_row())
        for module in modules:
            name = module.__name__.removeprefix("bench.")
            print(f"# running {name} …", flush=True)
            try:
                rows.extend(module.run(context))
            except Exception as error:  # one broken benchmark must not hide the rest
                failed = True
                traceback.print_exc()
                rows.append(Row(name, note=f"FAILED: {type(error).__name__}: {error}"))
    finally:
        context.close()
    print()
    print(format_table(rows))
    print(f"\n# {time.monotonic() - started:.0f} s in all")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
