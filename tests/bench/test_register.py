"""`bench_register`'s pure helpers: the CSRF token, cookies, the form body, expected counts.

No load and no server here: the benchmark itself runs in `python -m bench register`.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from bench.bench_register import (
    cookie_header,
    cookies_from,
    cpu_per_request,
    csrf_token,
    expected_counts,
    registration_form,
    unique_email,
)
from eventapp.models import Registration, db
from tests.factories import make_event


def test_csrf_token_read_from_flask_wtf_hidden_input() -> None:
    page = (
        '<form method="post"><input id="csrf_token" name="csrf_token" type="hidden" '
        'value="IjE2ZTk.Zx-abc_def"><input name="email" value="x"></form>'
    )

    assert csrf_token(page) == "IjE2ZTk.Zx-abc_def"


def test_csrf_token_whatever_the_attribute_order_and_quotes() -> None:
    assert csrf_token("<input value='tok' type=hidden name=csrf_token>") == "tok"


@pytest.mark.parametrize("page", ["<p>Registration is closed.</p>", '<input name="csrf_token">'])
def test_csrf_token_missing_is_an_error(page: str) -> None:
    with pytest.raises(ValueError, match="csrf_token"):
        csrf_token(page)


def test_the_real_form_gives_a_token_and_accepts_the_benchmark_body(make_app) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        slug = make_event().slug
    client = app.test_client()

    token = csrf_token(client.get(f"/e/{slug}/register").get_data(as_text=True))
    response = client.post(
        f"/e/{slug}/register",
        data=registration_form(unique_email("test", 0, 0), token),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1


def test_cookies_from_set_cookie_headers_drop_attributes() -> None:
    headers = [
        "session=eyJjc3JmIjoiYSJ9.Zx.sig; HttpOnly; Path=/; SameSite=Lax",
        "lang=ko; Path=/; Max-Age=31536000",
    ]

    jar = cookies_from(headers)

    assert jar == {"session": "eyJjc3JmIjoiYSJ9.Zx.sig", "lang": "ko"}
    assert cookie_header(jar) == "session=eyJjc3JmIjoiYSJ9.Zx.sig; lang=ko"
    assert cookies_from([]) == {}


def test_registration_form_carries_token_email_consent_and_hangul() -> None:
    fields = parse_qs(registration_form("a-1-2@bench-register.example.com", "tok").decode())

    assert fields["csrf_token"] == ["tok"]
    assert fields["email"] == ["a-1-2@bench-register.example.com"]
    assert fields["consent"] == ["y"]
    assert fields["name_alt"] == ["김민지"]


def test_unique_emails_differ_by_phase_client_and_number() -> None:
    emails = {unique_email(p, c, n) for p in ("large", "small") for c in range(3) for n in range(4)}

    assert len(emails) == 2 * 3 * 4


@pytest.mark.parametrize(
    ("capacity", "successes", "expected"),
    [(1_000_000, 138, (138, 0)), (30, 177, (30, 147)), (30, 30, (30, 0)), (30, 0, (0, 0))],
)
def test_expected_counts(capacity: int, successes: int, expected: tuple[int, int]) -> None:
    assert expected_counts(capacity, successes) == expected


def test_cpu_per_request_in_milliseconds() -> None:
    assert cpu_per_request(0.5, 100) == "server CPU 5.0 ms/request"
    assert cpu_per_request(0.0, 100) == "server CPU not measured"
    assert cpu_per_request(1.0, 0) == "server CPU not measured"


def test_the_plain_form_baseline_accepts_the_same_body_and_writes_two_rows(tmp_path) -> None:
    """Issue 17's comparable baseline (`bench/bare_form.py`): CSRF enforced, the
    benchmark's body accepted, one registration and one outbox row per POST."""
    from bench import bare_form
    from eventapp.models import Event, OutboxMessage

    app = bare_form.create_app(f"sqlite:///{tmp_path / 'bench-form.db'}")
    with app.app_context():
        db.create_all()
        db.session.add(make_event_row := Event(**_event_values()))
        db.session.commit()
        slug = make_event_row.slug
    client = app.test_client()
    assert client.post(f"/e/{slug}/register", data={"email": "x@example.org"}).status_code == 400

    token = csrf_token(client.get(f"/e/{slug}/register").get_data(as_text=True))
    response = client.post(
        f"/e/{slug}/register",
        data=registration_form(unique_email("test", 0, 0), token),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 1
    with pytest.raises(ValueError, match="not a bench database"):
        bare_form.create_app(f"sqlite:///{tmp_path / 'production.db'}")


def _event_values() -> dict[str, object]:
    from datetime import UTC, datetime, timedelta

    starts = datetime(2030, 11, 8, 0, 0, tzinfo=UTC)
    return {
        "slug": "bench-plain-form",
        "acronym": "bpf",
        "title": "Bench",
        "title_ko": "벤치",
        "summary": "",
        "timezone": "Asia/Seoul",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=8),
        "is_published": True,
    }
