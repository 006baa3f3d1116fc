"""POST /api/checkin under load against a bare primary-key-select view (target ≥ 0.6 x).

Both are loaded by the same small client (threads + http.client, keep-alive), so the
ratio compares the servers and not two tools. The check-in client logs in as check-in
staff like the scanner page does (session cookie + X-CSRFToken) and sends a different
badge each time (first scans), then the same badges again (`already_checked_in`).
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Flask, jsonify

from bench.harness import Context
from bench.load import LoadResult, check_loopback, summarize
from bench.report import Row

SLUG = "bench-checkin"
ATTENDEES = 6000
STAFF_EMAIL = "door@bench.example"
STAFF_PASSWORD = "bench-door-password"  # noqa: S105 - throwaway bench account
PRODUCT_SECRET = "bench-only-not-a-secret"  # noqa: S105 - the harness's product setting
TARGET = 0.6


def pk_app() -> Flask:
    """The baseline: the product itself plus one view that selects a registration by primary
    key and answers a little JSON (gunicorn calls `bench.bench_checkin:pk_app()`). Same
    extensions, headers and database settings, so the ratio is the cost of check-in itself.
    """
    from eventapp import create_app
    from eventapp.models import Registration, db

    app = create_app()

    @app.get("/bench/registrations/<int:registration_id>")
    def registration_by_id(registration_id: int) -> Any:
        registration = db.get_or_404(Registration, registration_id)
        return jsonify(id=registration.id, name=registration.name)

    return app


def _data(ctx: Context) -> tuple[list[int], list[str]]:
    """The event, its confirmed attendees and a check-in account; ids and badge tokens."""
    from bench import data
    from eventapp.models import Event, Registration, Role, db
    from eventapp.services.accounts import create_account, teams
    from eventapp.services.checkin.badges import BadgeKeys, badge_token

    keys = BadgeKeys.from_secrets(PRODUCT_SECRET)
    with ctx.app.app_context():
        if db.session.scalar(db.select(Event.id).where(Event.slug == SLUG)) is None:
            data.synthetic_event(ctx.app, slug=SLUG, sessions=1)
            event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
            db.session.add_all(
                Registration(
                    event=event,
                    email=f"door{n}@bench.example",
                    given_name=f"Given{n}",
                    family_name=f"Family{n}",
                    organization_name="Bench Space Co.",
                )
                for n in range(ATTENDEES)
            )
            db.session.commit()
            staff = create_account(STAFF_EMAIL, STAFF_PASSWORD, role=Role.CHECKIN)
            teams.add_to_events(staff, [event], by=None)  # door staff scan for their team
        event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
        registrations = db.session.scalars(
            db.select(Registration).where(Registration.event_id == event.id)
        ).all()
        return [r.id for r in registrations], [badge_token(r, keys) for r in registrations]


def _request(
    connection: http.client.HTTPConnection, method: str, path: str, body=None, headers=None
) -> tuple[int, dict[str, str], bytes]:
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def _login(url: str) -> dict[str, str]:
    """Headers of a logged-in check-in scanner: the session cookie and the CSRF token."""
    check_loopback(url)
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        _, headers, page = _request(connection, "GET", "/login")
        cookie = headers.get("Set-Cookie", "").split(";")[0]
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        form = urlencode(
            {"csrf_token": token.decode(), "email": STAFF_EMAIL, "password": STAFF_PASSWORD}
        )
        code, headers, _ = _request(
            connection,
            "POST",
            "/login",
            form,
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        if code != 302:
            raise RuntimeError(f"bench login answered {code}")
        cookie = headers.get("Set-Cookie", "").split(";")[0] or cookie
        _, _, page = _request(connection, "GET", f"/checkin?event={SLUG}", None, {"Cookie": cookie})
        csrf = re.search(rb'data-csrf="([^"]+)"', page).group(1).decode()
        return {"Cookie": cookie, "X-CSRFToken": csrf, "Content-Type": "application/json"}
    finally:
        connection.close()


def _load(
    url: str,
    request: Callable[[int], tuple[str, str, bytes | None]],
    *,
    seconds: float,
    connections: int,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    """`connections` keep-alive clients; client c sends request(c), request(c + n), …"""
    check_loopback(url)
    parts = urlsplit(url)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(first: int) -> None:
        mine, failed, n = [], 0, first
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.perf_counter() < deadline:
            method, path, body = request(n)
            n += connections
            started = time.perf_counter()
            try:
                code, _, _ = _request(connection, method, path, body, headers)
            except OSError:
                failed += 1
                connection.close()
                continue
            failed += code >= 400
            mine.append((time.perf_counter() - started) * 1000)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 30)
    return summarize(latencies, errors[0], time.perf_counter() - started, "python POST")


def _row(name: str, result: LoadResult, base: LoadResult | None, note: str = "") -> Row:
    text_note = f"{result.requests} requests" + (
        f", {result.errors} errors" if result.errors else ""
    )
    return Row(
        name,
        result.req_per_s,
        result.p50_ms,
        result.p99_ms,
        result.req_per_s / base.req_per_s if base and base.req_per_s else None,
        TARGET if base else None,
        f"{text_note}; {note}" if note else text_note,
        errors=result.errors,
    )


def run(ctx: Context) -> list[Row]:
    ids, tokens = _data(ctx)
    product = ctx.product()
    bare = ctx._server(  # the harness's helper: a free port from BENCH_PORTS, stopped at the end
        "bare-pk",
        "bench.bench_checkin:pk_app()",
        lambda port: {
            "DATABASE_URL": ctx.database_url,
            "SECRET_KEY": PRODUCT_SECRET,
            "RATELIMIT_ENABLED": "0",
        },
    )
    headers = _login(product.url)
    settings = {"seconds": ctx.seconds, "connections": ctx.connections}

    def by_id(n: int) -> tuple[str, str, None]:
        return "GET", f"/bench/registrations/{ids[n % len(ids)]}", None

    def scan(n: int) -> tuple[str, str, bytes]:
        body = {"token": tokens[n % len(tokens)], "event": SLUG, "location": "bench"}
        return "POST", "/api/checkin", json.dumps(body).encode()

    _load(bare.url, by_id, seconds=0.5, connections=2)  # warm both workers up
    baseline = _load(bare.url, by_id, **settings)
    first = _load(product.url, scan, headers=headers, **settings)
    again = _load(product.url, scan, headers=headers, **settings)
    used = min(first.requests, len(tokens))
    return [
        _row("GET primary-key select view (baseline)", baseline, None),
        _row("POST /api/checkin, first scans", first, baseline, f"{used} badges"),
        _row("POST /api/checkin, already checked in", again, baseline),
    ]
