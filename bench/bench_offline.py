"""The door's offline copy and upload (#19), in process through the Flask test client
(server time, no network): first full copy of 5,000 registrants (target ≤ 1 s and
≤ 500 KB gzip-compressed), a refresh with 50 changes (target ≤ 20 ms), and one upload
of 1,000 queued scans.
"""

from __future__ import annotations

import gzip
import json
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

from bench.harness import Context, timed, timing_row
from bench.report import Row

REGISTRANTS = 5000
CHANGES = 50
UPLOADS = 1000
SLUG = "bench-offline"
DEVICE = "bench-offline-device"
TARGET_FULL_S, TARGET_FULL_KB, TARGET_REFRESH_MS = 1.0, 500, 20.0


def _registrants(ctx: Context) -> None:
    from eventapp.models import Category, Event, Registration, db

    with ctx.app.app_context():
        if db.session.scalar(db.select(Event.id).where(Event.slug == SLUG)) is not None:
            return
        from bench import data

        data.synthetic_event(ctx.app, slug=SLUG, sessions=1)
        event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
        hangul = ["김민지", "이종호", "박지우", "최서연", "정하준"]
        categories = list(Category)
        db.session.add_all(
            Registration(
                event=event,
                email=f"offline{n}@bench.example",
                given_name=f"Given{n}",
                family_name=f"Family{n:04d}",
                name_alt=hangul[n % 5] if n % 3 == 0 else None,
                category=categories[n % len(categories)],
            )
            for n in range(REGISTRANTS)
        )
        db.session.commit()


def run(ctx: Context) -> list[Row]:
    from eventapp.models import Event, Registration, db
    from eventapp.models.checkin import Attendance
    from eventapp.services.checkin.badges import badge_token
    from eventapp.web.resources import badge_keys

    _registrants(ctx)
    with ctx.app.app_context():
        # Registered well before the door opens: a refresh lists only what changed since.
        event_id = db.session.scalar(db.select(Event.id).where(Event.slug == SLUG))
        db.session.execute(
            db.update(Registration)
            .where(Registration.event_id == event_id)
            .values(updated_at=datetime.now(UTC) - timedelta(days=1))
        )
        db.session.execute(db.delete(Attendance).where(Attendance.event_id == event_id))
        db.session.commit()
    ctx.app.config["API_TOKENS"] = [DEVICE]
    client = ctx.app.test_client()
    auth = {"Authorization": f"Bearer {DEVICE}"}
    url = f"/api/checkin/sync?event={SLUG}"
    bodies: list[bytes] = []

    def full() -> None:
        bodies.append(client.get(url, headers=auth).get_data())

    full_ms = timed(full, repeat=3)
    body = bodies[-1]
    packed = len(gzip.compress(body))
    cursor = json.loads(body)["cursor"]
    with ctx.app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
        ids = db.session.scalars(
            db.select(Registration.id).where(Registration.event_id == event.id).limit(UPLOADS)
        ).all()
        for registration in db.session.scalars(
            db.select(Registration).where(Registration.id.in_(ids[:CHANGES]))
        ):
            registration.badge_serial += 1
        db.session.commit()
        with ctx.app.test_request_context():
            keys = badge_keys()
        tokens = [
            badge_token(r, keys)
            for r in db.session.scalars(db.select(Registration).where(Registration.id.in_(ids)))
        ]
    refreshed: list[bytes] = []

    def refresh() -> None:
        refreshed.append(client.get(f"{url}&since={cursor}", headers=auth).get_data())

    refresh_ms = timed(refresh, repeat=5)
    start = datetime.now(UTC) - timedelta(hours=1)
    scans = [
        {
            "uuid": str(uuid.uuid4()),
            "token": token,
            "scanned_at": (start + timedelta(seconds=n)).isoformat(),
            "event": SLUG,
        }
        for n, token in enumerate(tokens)
    ]
    started = time.perf_counter()
    answer = client.post(
        "/api/checkin/upload", json={"device": "bench", "scans": scans}, headers=auth
    )
    upload_s = time.perf_counter() - started
    admitted = sum(s["result"] == "checked_in" for s in answer.json["scans"])
    full_ok = statistics.median(full_ms) / 1000 <= TARGET_FULL_S and packed <= TARGET_FULL_KB * 1000
    return [
        timing_row(
            f"offline copy, first full, {REGISTRANTS:,} registrants",
            full_ms,
            f"{len(body) / 1000:.0f} kB JSON, {packed / 1000:.0f} kB gzip; target ≤ "
            f"{TARGET_FULL_S:g} s and ≤ {TARGET_FULL_KB} kB: {'ok' if full_ok else 'BELOW'}",
        ),
        timing_row(
            f"offline copy, refresh with {CHANGES} changes",
            refresh_ms,
            f"{len(refreshed[-1]) / 1000:.1f} kB; target ≤ {TARGET_REFRESH_MS:g} ms: "
            f"{'ok' if statistics.median(refresh_ms) <= TARGET_REFRESH_MS else 'BELOW'}",
        ),
        Row(
            f"offline upload, {UPLOADS:,} queued scans in one request",
            p50_ms=upload_s * 1000,
            note=f"{admitted} checked in, {upload_s * 1000 / UPLOADS:.1f} ms per scan",
        ),
    ]
