"""Login throttling by account and by network, answering 429 with Retry-After (#15 §2)."""

from __future__ import annotations

from datetime import timedelta

import pyotp

from eventapp.models import Account, Role, db, utcnow
from tests.conftest import PASSWORD
from tests.factories import make_account

HOME, OFFICE, CAFE = "192.0.2.10", "198.51.100.20", "203.0.113.30"


def _post(client, address: str, email: str, password: str):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _retry_after(response) -> int:
    return int(response.headers["Retry-After"])


def test_wrong_passwords_lock_the_account_out_from_that_network_only(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_ACCOUNT_RATE_LIMIT="3 per 15 minutes")
    with app.app_context():
        target = make_account(Role.ADMIN, email="admin@example.org", password=PASSWORD).email
        other = make_account(Role.ORGANIZER, email="org@example.org", password=PASSWORD).email
    attacker = app.test_client()

    wrong = [_post(attacker, CAFE, target, "guess").status_code for _ in range(3)]
    locked = _post(attacker, CAFE, target, PASSWORD)
    elsewhere = _post(app.test_client(), OFFICE, target, PASSWORD)
    other_account = _post(app.test_client(), CAFE, other, PASSWORD)

    assert wrong == [400, 400, 400]
    assert locked.status_code == 429
    assert 0 < _retry_after(locked) <= 15 * 60
    assert elsewhere.status_code == 302
    assert other_account.status_code == 302


def test_right_passwords_do_not_use_up_the_account_limit(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_ACCOUNT_RATE_LIMIT="2 per 15 minutes")
    with app.app_context():
        email = make_account(Role.ORGANIZER, password=PASSWORD).email

    statuses = [_post(app.test_client(), HOME, email, PASSWORD).status_code for _ in range(4)]

    assert statuses == [302] * 4


def test_many_attempts_from_one_network_are_throttled_for_every_account(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="4 per minute")
    client = app.test_client()

    statuses = [_post(client, CAFE, f"user{n}@example.org", "guess").status_code for n in range(4)]
    refused = _post(client, CAFE, "user9@example.org", "guess")
    elsewhere = _post(client, OFFICE, "user9@example.org", "guess")

    assert statuses == [400] * 4
    assert refused.status_code == 429
    assert 0 < _retry_after(refused) <= 60
    assert "Too many requests" in refused.get_data(as_text=True)
    assert elsewhere.status_code == 400


def test_addresses_of_one_ipv6_network_share_a_limit(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_ACCOUNT_RATE_LIMIT="2 per 15 minutes")
    client = app.test_client()

    for host in ("2001:db8:1:2::1", "2001:db8:1:2::2"):
        assert _post(client, host, "a@example.org", "guess").status_code == 400
    same_network = _post(client, "2001:db8:1:2::3", "a@example.org", "guess")
    other_network = _post(client, "2001:db8:1:3::1", "a@example.org", "guess")

    assert same_network.status_code == 429
    assert other_network.status_code == 400


def test_wrong_two_factor_codes_count_against_the_account(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_ACCOUNT_RATE_LIMIT="3 per 15 minutes")
    secret = pyotp.random_base32()
    with app.app_context():
        account = make_account(Role.ORGANIZER, email="two@example.org", password=PASSWORD)
        db.session.get(Account, account.id).totp_secret = secret
        db.session.commit()
    client = app.test_client()
    base = {"REMOTE_ADDR": CAFE}

    assert _post(client, CAFE, "two@example.org", PASSWORD).status_code == 302
    wrong = [
        client.post("/login/code", data={"code": "000000"}, environ_base=base).status_code
        for _ in range(3)
    ]
    code = pyotp.TOTP(secret).at(utcnow() + timedelta(seconds=1))
    locked = client.post("/login/code", data={"code": code}, environ_base=base)

    assert wrong == [400, 400, 400]
    assert locked.status_code == 429
    assert "Retry-After" in locked.headers
