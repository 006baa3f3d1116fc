"""A 2,000-badge batch PDF: wall time and peak memory (target ≤ 15 s and ≤ 300 MB).

The batch runs in a child process (the same service `flask badges` calls), so its peak
resident memory is its own and not the harness's.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bench.harness import ROOT, Context
from bench.report import Row

BADGES = 2000
SLUG = "bench-badges"
TARGET_SECONDS = 15.0
TARGET_MB = 300.0

#: Run in the child: build the PDF, report wall time, CPU time, size and peak RSS.
CHILD = """
import json, os, resource, sys, time
import threading
def tree_pss_kb(pid):
    # Memory of `pid` and all its descendants (the QR workers are the fork server's
    # children, so getrusage(RUSAGE_CHILDREN) would not see them), as PSS: pages shared
    # between forked processes counted once in all, not once per process as RSS would.
    try:
        with open(f"/proc/{pid}/smaps_rollup") as status:
            rss = next((int(line.split()[1]) for line in status if line.startswith("Pss:")), 0)
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            kids = [int(kid) for kid in children.read().split()]
    except OSError:
        return 0
    return rss + sum(tree_pss_kb(kid) for kid in kids)
peak = [0]
def sample():
    while True:
        peak[0] = max(peak[0], tree_pss_kb(os.getpid()))
        time.sleep(0.05)
threading.Thread(target=sample, daemon=True).start()
def peak_mb():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return max(own, peak[0]) / 1024
from eventapp import create_app
from eventapp.models import Event, db
from eventapp.services.checkin import badges
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "bench-only"})
with app.app_context():
    event = db.session.scalar(db.select(Event).where(Event.slug == sys.argv[2]))
    keys = badges.BadgeKeys.from_secrets("bench-only")
    wall, cpu = time.perf_counter(), time.process_time()
    count, pdf = badges.batch_pdf(event, keys, layout=sys.argv[3])
    print(json.dumps({
        "count": count, "bytes": len(pdf),
        "seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
        "peak_mb": peak_mb(),
    }))
"""


def _attendees(ctx: Context) -> None:
    """An event with 2,000 confirmed registrations, a third with a Hangul name."""
    from eventapp.models import Category, Event, Registration, RegistrationStatus, db

    categories = list(Category)
    hangul = ["김민지", "이종호", "박지우", "최서연", "정하준"]
    with ctx.app.app_context():
        if db.session.scalar(db.select(Event.id).where(Event.slug == SLUG)) is not None:
            return
        from bench import data

        data.synthetic_event(ctx.app, slug=SLUG, sessions=1)
        event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
        db.session.add_all(
            Registration(
                event=event,
                email=f"badge{n}@bench.example",
                given_name=f"Given{n}",
                family_name=f"Family{n:04d}",
                name_alt=hangul[n % 5] if n % 3 == 0 else None,
                organization_name="Korea Aerospace Research Institute",
                country="KR" if n % 2 else "US",
                category=categories[n % len(categories)],
                status=RegistrationStatus.CONFIRMED,
            )
            for n in range(BADGES)
        )
        db.session.commit()


def _batch(ctx: Context, layout: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, ctx.database_url, SLUG, layout],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(ctx: Context) -> list[Row]:
    _attendees(ctx)
    rows = []
    for layout, label in (("a6", "A6 pages"), ("a4", "4 per A4 sheet")):
        result = _batch(ctx, layout)
        within = result["seconds"] <= TARGET_SECONDS and result["peak_mb"] <= TARGET_MB
        rows.append(
            Row(
                f"badges PDF, {result['count']:,} badges, {label}",
                p50_ms=result["seconds"] * 1000,
                note=(
                    f"{result['seconds']:.1f} s wall ({result['cpu']:.1f} s CPU), peak "
                    f"{result['peak_mb']:.0f} MB, {result['bytes'] / 2**20:.1f} MiB; target "
                    f"≤ {TARGET_SECONDS:.0f} s and ≤ {TARGET_MB:.0f} MB: "
                    f"{'ok' if within else 'BELOW'}"
                ),
            )
        )
    return rows
