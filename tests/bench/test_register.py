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
