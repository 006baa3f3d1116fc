"""Logins that can be revoked: logout, a password change and deactivation end every
session and remember-me cookie of the account, on every browser (#15 §2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventapp.models import Account, Role, db
from eventapp.services import accounts
from tests.conftest import PASSWORD
from tests.factories import make_account

EMAIL = "door@example.org"


def _account(app, role: Role = Role.ORGANIZER) -> int:
    with app.app_context():
        return make_account(role=role, email=EMAIL, password=PASSWORD).id


def _log_in(client, *, remember: bool = False) -> None:
    data = {"email": EMAIL, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302


def _only_remember_me(client) -> None:
    """A browser restarted: the session cookie is gone, the remember-me cookie stays."""
    client.delete_cookie("session")


def test_remember_me_cookie_flags_come_from_the_settings(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    client = app.test_client()
    _account(app)

    _log_in(client, remember=True)

    cookie = client.get_cookie("remember_token")
    assert cookie is not None
    assert (cookie.secure, cookie.http_only, cookie.same_site) == (True, True, "Lax")
    lifetime = cookie.expires - datetime.now(UTC)
    assert timedelta(days=13) < lifetime <= timedelta(days=14)


def test_secure_session_setting_makes_the_remember_me_cookie_secure_too():
    from eventapp.config import settings_from_env

    settings = settings_from_env({"SESSION_COOKIE_SECURE": "true", "REMEMBER_COOKIE_DAYS": "3"})

    assert settings["REMEMBER_COOKIE_SECURE"] is True
    assert settings["REMEMBER_COOKIE_DURATION"] == timedelta(days=3)
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)


def test_logout_ends_the_remember_me_cookie_of_another_browser(app):
    _account(app)
    laptop, phone = app.test_client(), app.test_client()
    _log_in(laptop, remember=True)
    _log_in(phone, remember=True)
    _only_remember_me(phone)
    assert phone.get("/admin/").status_code == 200

    laptop.post("/logout")

    _only_remember_me(phone)
    assert phone.get("/admin/").status_code == 302


def test_a_copied_session_cookie_does_not_survive_logout(app):
    _account(app)
    browser = app.test_client()
    _log_in(browser)
    copied = browser.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/admin/").status_code == 200

    browser.post("/logout")

    assert thief.get("/admin/").status_code == 302


def test_the_remember_me_cookie_changes_after_a_logout(app):
    _account(app)
    client = app.test_client()
    _log_in(client, remember=True)
    first = client.get_cookie("remember_token").value
    client.post("/logout")

    _log_in(client, remember=True)

    assert client.get_cookie("remember_token").value != first


@pytest.mark.parametrize("change", ["deactivate", "password"])
def test_deactivation_and_a_password_change_end_every_session(app, change):
    account_id = _account(app)
    session_only, remembered = app.test_client(), app.test_client()
    _log_in(session_only)
    _log_in(remembered, remember=True)

    with app.app_context():
        account = db.session.get(Account, account_id)
        admin = make_account(role=Role.ADMIN)
        if change == "deactivate":
            accounts.set_active(account, False, by=admin)
        else:
            accounts.set_password(account, "a brand new password", by=account)

    _only_remember_me(remembered)
    assert session_only.get("/admin/").status_code == 302
    assert remembered.get("/admin/").status_code == 302


def test_a_copied_session_cookie_cannot_scan_badges_after_logout(app):
    from eventapp.models import Scan
    from tests.web.test_checkin import _badge, _scan

    token = _badge(app)
    _account(app, Role.CHECKIN)
    browser = app.test_client()
    _log_in(browser)
    thief = app.test_client()
    thief.set_cookie("session", browser.get_cookie("session").value)

    browser.post("/logout")
    response = _scan(thief, token)

    assert response.status_code == 401
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Scan.id))) == 0
