"""POST /e/<slug>/register on PostgreSQL against a plain Flask-WTF view (target ≥ 0.7 x).

Issue 17 restates issue 4's benchmark. The baseline is `bench/bare_form.py` (not the
product): a plain Flask-WTF view with the same fields and CSRF that validates the form and
inserts the registration and one outbox row through the ORM in one transaction, with no
lock, seat count, waiting list or invitation. Issue 4's bare single-row insert
(`bench/bare_insert.py`) stays as a reference row. All three servers run with the same
gunicorn settings and are loaded by the same client in the same run, so the ratios
compare servers.

The client is a browser, simplified: each simulated client (a thread with its own
connection and its own cookie jar, so its own session) first GETs the form and reads the
`csrf_token` hidden input and the session cookie, then POSTs the form again and again,
each time with a new email, sending back whatever cookies the answers set. Only the
POSTs are timed; the redirect to the "done" page is not followed.

Two phases on two events, then exact counts from the database:
- a large capacity (everyone confirmed): the measured row;
- a short phase with a small capacity: confirmed == capacity, the rest waitlisted.
Every POST must answer 302; an HTTP 5xx or a failed request fails the benchmark, and so
does any other answer (400: a form error; 429: the rate limiter, which the harness's
product server turns off with RATELIMIT_ENABLED=0, i.e. false).
"""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from sqlalchemy import make_url

from bench import bare_insert, data
from bench.harness import Context
from bench.load import check_loopback, percentile
from bench.report import Row

#: Issue 17: the registration POST against a plain Flask-WTF view doing the same
#: validation and inserts without the guarantees (`bench/bare_form.py`).
TARGET = 0.7
#: Issue 4's target against the bare single-row insert, kept as a reference row.
INSERT_TARGET = 0.5
SLUG_LARGE = "bench-register"
SLUG_FORM = "bench-register-plain-form"
SLUG_SMALL = "bench-register-small"
SLUG_WARMUP = "bench-register-warmup"
LARGE_CAPACITY = 1_000_000
SMALL_CAPACITY = 30
#: The small-capacity phase only checks the counts: short, whatever BENCH_SECONDS says.
SMALL_SECONDS = 2.0
WARMUP_SECONDS = 0.5


# Pure helpers (tested in tests/bench/test_register.py).


class _CsrfFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.token: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.token is None and tag == "input" and values.get("name") == "csrf_token":
            self.token = values.get("value") or None


def csrf_token(html: str) -> str:
    """The value of the form's `csrf_token` input, wherever its attributes are; ValueError
    when the page has none (e.g. a closed registration or an error page)."""
    finder = _CsrfFinder()
    finder.feed(html)
    finder.close()
    if not finder.token:
        raise ValueError("no csrf_token input in the page")
    return finder.token


def cookies_from(set_cookie_headers: list[str]) -> dict[str, str]:
    """name → value of every cookie the `Set-Cookie` headers set (attributes dropped)."""
    jar: dict[str, str] = {}
    for header in set_cookie_headers:
        parsed = SimpleCookie()
        parsed.load(header)
        jar.update({name: morsel.value for name, morsel in parsed.items()})
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    """The `Cookie` request header a browser would send for `jar`."""
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def unique_email(phase: str, client: int, n: int) -> str:
    """Client `client`'s `n`th address in `phase`: unique across clients and phases."""
    return f"{phase}-{client}-{n}@bench-register.example.com"


def registration_form(email: str, token: str) -> bytes:
    """The urlencoded body of a filled-in registration form (one Hangul name included)."""
    return urlencode(
        {
            "csrf_token": token,
            "given_name": "Minji",
            "family_name": "Kim",
            "name_alt": "김민지",
            "email": email,
            "organization_name": "Korea Aerospace Research Institute",
            "job_title": "Engineer",
            "country": "KR",
            "category": "academia",
            "consent": "y",
        }
    ).encode()


def cpu_per_request(cpu_seconds: float, requests: int) -> str:
    """'server CPU 4.2 ms/request' (gunicorn and its workers), or '' without a measure."""
    if cpu_seconds <= 0 or requests <= 0:
        return "server CPU not measured"
    return f"server CPU {cpu_seconds / requests * 1000:.1f} ms/request"


def expected_counts(capacity: int, successes: int) -> tuple[int, int]:
    """(confirmed, waitlisted) after `successes` registrations for `capacity` seats."""
    confirmed = min(capacity, successes)
    return confirmed, successes - confirmed


# The load: simulated browsers.


@dataclass
class PostResult:
    """What one bounded POST load measured, by answer."""

    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    #: Requests that got no answer (socket error, timeout).
    failed: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def req_per_s(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    def successes(self, expect: int) -> int:
        return self.statuses[expect]

    @property
    def errors(self) -> int:
        """HTTP 5xx answers plus failed requests."""
        return self.failed + sum(n for code, n in self.statuses.items() if code >= 500)

    def others(self, expect: int) -> dict[int, int]:
        """Answers that are neither `expect` nor 5xx (e.g. 400, 429)."""
        return {c: n for c, n in self.statuses.items() if c != expect and c < 500}


class Browser:
    """One simulated client: its own connection and cookie jar (so its own session)."""

    def __init__(self, url: str) -> None:
        check_loopback(url)
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        self.jar: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        sent = dict(headers or {})
        if self.jar:
            sent["Cookie"] = cookie_header(self.jar)
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            content = response.read()
        except OSError:
            self.connection.close()
            raise
        self.jar.update(cookies_from(response.headers.get_all("Set-Cookie") or []))
        if response.will_close:  # gunicorn's sync workers close every connection
            self.connection.close()
        return response.status, content

    def open_form(self, path: str) -> str:
        """GET the form as a browser would; its CSRF token (the session cookie is kept)."""
        code, page = self.request("GET", path)
        if code != 200:
            raise RuntimeError(f"GET {path} answered {code}")
        return csrf_token(page.decode("utf-8"))

    def close(self) -> None:
        self.connection.close()


def post_load(
    url: str,
    path: str,
    body: Callable[[int, int, str], bytes],
    *,
    seconds: float,
    connections: int,
    form: bool,
) -> PostResult:
    """`connections` browsers POST `body(client, n, token)` to `path` until time is up.

    With `form`, each browser first GETs `path` for its session and CSRF token (not timed).
    """
    browsers = [Browser(url) for _ in range(connections)]
    tokens = [b.open_form(path) if form else "" for b in browsers]
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    lock = threading.Lock()
    result = PostResult(seconds=0.0)
    start = threading.Barrier(connections + 1)
    deadline = [0.0]

    def client(c: int) -> None:
        browser, latencies, statuses, failed, n = browsers[c], [], Counter(), 0, 0
        start.wait()
        while time.perf_counter() < deadline[0]:
            payload = body(c, n, tokens[c])
            n += 1
            started = time.perf_counter()
            try:
                code, _ = browser.request("POST", path, payload, headers)
            except OSError:
                failed += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[code] += 1
        browser.close()
        with lock:
            result.latencies_ms.extend(latencies)
            result.statuses.update(statuses)
            result.failed += failed

    threads = [threading.Thread(target=client, args=(c,), daemon=True) for c in range(connections)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join(seconds + 30)
    result.seconds = time.perf_counter() - began
    return result


# The benchmark.


def _event(ctx: Context, slug: str, capacity: int) -> None:
    from eventapp.models import Event, db

    if data.find_event(ctx.app, slug) is None:
        data.synthetic_event(ctx.app, slug=slug, sessions=1, rooms=1, days=1)
    with ctx.app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == slug))
        event.capacity = capacity
        db.session.commit()


def _counts(ctx: Context, slug: str) -> dict[str, int]:
    from eventapp.models import Event, Registration, db

    with ctx.app.app_context():
        rows = db.session.execute(
            db.select(Registration.status, db.func.count(Registration.id))
            .join(Event, Event.id == Registration.event_id)
            .where(Event.slug == slug)
            .group_by(Registration.status)
        ).all()
    return {str(status.value): int(count) for status, count in rows}


def _check(label: str, result: PostResult, expect: int) -> list[str]:
    problems = []
    if result.errors:
        problems.append(f"{label}: {result.errors} errors (5xx or failed requests)")
    if result.others(expect):
        problems.append(f"{label}: unexpected answers {result.others(expect)}")
    return problems


def _row(
    name: str, result: PostResult, base: PostResult | None, note: str, target: float | None
) -> Row:
    ratio = result.req_per_s / base.req_per_s if base and base.req_per_s else None
    return Row(
        name,
        result.req_per_s,
        percentile(result.latencies_ms, 0.50),
        percentile(result.latencies_ms, 0.99),
        ratio,
        target,
        note,
    )


def run(ctx: Context) -> list[Row]:
    if make_url(ctx.database_url).get_backend_name() != "postgresql":
        return [Row("registration POST", note="skipped: measured on PostgreSQL only")]
    bare_insert.reset_table(ctx.database_url)
    for slug, capacity in (
        (SLUG_WARMUP, LARGE_CAPACITY),
        (SLUG_LARGE, LARGE_CAPACITY),
        (SLUG_SMALL, SMALL_CAPACITY),
        (SLUG_FORM, LARGE_CAPACITY),
    ):
        _event(ctx, slug, capacity)
    product = ctx.product()  # RATELIMIT_ENABLED=0 (false): the limiter would answer 429
    bare = ctx._server(  # the harness's helper: a free port from BENCH_PORTS, stopped at the end
        "bare-insert",
        "bench.bare_insert:app",
        lambda port: {"BENCH_INSERT_DATABASE_URL": ctx.database_url},
    )
    plain = ctx._server(
        "bare-form",
        "bench.bare_form:app",
        lambda port: {"BENCH_FORM_DATABASE_URL": ctx.database_url},
    )
    settings = {"connections": ctx.connections}

    def insert_body(phase: str) -> Callable[[int, int, str], bytes]:
        return lambda c, n, _: urlencode(
            {"email": unique_email(phase, c, n), "given_name": "Minji"}
        ).encode()

    def register_body(phase: str) -> Callable[[int, int, str], bytes]:
        return lambda c, n, token: registration_form(unique_email(phase, c, n), token)

    # Warm both servers' workers up (templates, connections); the warm-up rows are not counted.
    warm = {"seconds": WARMUP_SECONDS, "connections": 2}
    bare_warm = post_load(bare.url, "/insert", insert_body("warm"), form=False, **warm)
    post_load(product.url, f"/e/{SLUG_WARMUP}/register", register_body("warm"), form=True, **warm)
    form_warm = post_load(
        plain.url, f"/e/{SLUG_FORM}/register", register_body("formwarm"), form=True, **warm
    )

    cpu = bare.cpu_seconds()
    baseline = post_load(
        bare.url, "/insert", insert_body("bare"), seconds=ctx.seconds, form=False, **settings
    )
    bare_cpu = cpu_per_request(bare.cpu_seconds() - cpu, baseline.requests)
    cpu = plain.cpu_seconds()
    form_base = post_load(
        plain.url,
        f"/e/{SLUG_FORM}/register",
        register_body("form"),
        seconds=ctx.seconds,
        form=True,
        **settings,
    )
    form_cpu = cpu_per_request(plain.cpu_seconds() - cpu, form_base.requests)
    cpu = product.cpu_seconds()
    large = post_load(
        product.url,
        f"/e/{SLUG_LARGE}/register",
        register_body("large"),
        seconds=ctx.seconds,
        form=True,
        **settings,
    )
    large_cpu = cpu_per_request(product.cpu_seconds() - cpu, large.requests)
    small = post_load(
        product.url,
        f"/e/{SLUG_SMALL}/register",
        register_body("small"),
        seconds=SMALL_SECONDS,
        form=True,
        **settings,
    )

    problems = _check("bare insert", baseline, 201) + _check("large", large, 302)
    problems += _check("plain form", form_base, 302)
    form_rows = _counts(ctx, SLUG_FORM).get("confirmed", 0)
    form_posts = form_base.successes(302) + form_warm.successes(302)
    if form_rows != form_posts:
        problems.append(f"plain form: {form_rows} registrations for {form_posts} POSTs")
    problems += _check("small", small, 302)
    inserted = bare_insert.count_rows(ctx.database_url)
    bare_posts = baseline.successes(201)
    if inserted != bare_warm.successes(201) + bare_posts:
        problems.append(f"bare insert: {inserted} rows for {bare_posts} POSTs (+ warm-up)")
    notes = {}
    for label, slug, capacity, result in (
        ("large", SLUG_LARGE, LARGE_CAPACITY, large),
        ("small", SLUG_SMALL, SMALL_CAPACITY, small),
    ):
        posts = result.successes(302)
        confirmed, waitlisted = expected_counts(capacity, posts)
        counts = _counts(ctx, slug)
        got = (counts.get("confirmed", 0), counts.get("waitlisted", 0))
        if got != (confirmed, waitlisted) or counts.get("cancelled", 0):
            problems.append(
                f"{label}: expected confirmed {confirmed}, waitlisted {waitlisted} "
                f"after {posts} POSTs, found {counts}"
            )
        notes[label] = (
            f"capacity {capacity:,}: {posts} POSTs 302, confirmed {got[0]}, "
            f"waitlisted {got[1]}, {result.errors} errors"
        )
    if problems:
        raise AssertionError("; ".join(problems))
    limiter = "RATELIMIT_ENABLED=0 (false)"
    versus_insert = large.req_per_s / baseline.req_per_s if baseline.req_per_s else 0.0
    return [
        _row(
            "plain Flask-WTF registration view (baseline)",
            form_base,
            None,
            f"python POST, CSRF per session; {form_base.successes(302)} POSTs 302, "
            f"{form_rows} registrations + outbox rows, {form_base.errors} errors; {form_cpu}",
            None,
        ),
        _row(
            "bare single-row INSERT POST (baseline)",
            baseline,
            None,
            f"python POST, {bare_posts} rows inserted, {baseline.errors} errors; {bare_cpu}",
            None,
        ),
        _row(
            "registration POST /e/<slug>/register",
            large,
            form_base,
            f"x plain form; python POST, CSRF per session; {notes['large']}; {limiter}; "
            f"{large_cpu}; {versus_insert:.2f} x the bare insert (issue 4's "
            f"{INSERT_TARGET:g} target)",
            TARGET,
        ),
        _row(
            f"registration POST, capacity {SMALL_CAPACITY} (count check)",
            small,
            form_base,
            f"{SMALL_SECONDS:g} s; {notes['small']}",
            None,
        ),
    ]
