"""Staff change their own password; an admin sends a reset link through the outbox (#15 §2)."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_string
from email.policy import default

import pytest

from eventapp.models import Account, AuditEntry, OutboxMessage, Role, db, utcnow
from eventapp.services.accounts import passwords
from tests.conftest import PASSWORD
from tests.factories import make_account
from tests.web.test_public import page

NEW_PASSWORD = "a brand new password"


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)))


def _can_log_in(app, email: str, password: str) -> bool:
    response = app.test_client().post("/login", data={"email": email, "password": password})
    return response.status_code == 302


@pytest.mark.parametrize("role", [Role.CHECKIN, Role.ORGANIZER])
def test_staff_change_their_own_password_and_stay_logged_in_here(app, client, login_as, role):
    staff = login_as(role)
    form = page(client, "/account/password").find("form")
    assert form is not None

    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert client.get("/account/password").status_code == 200  # this browser stays in
    assert _can_log_in(app, staff.email, NEW_PASSWORD)
    assert not _can_log_in(app, staff.email, PASSWORD)
    assert _actions(app)[-1] == "account.password"


def test_a_password_change_needs_the_current_password_and_keeps_what_was_typed(
    app, client, login_as
):
    staff = login_as(Role.CHECKIN)

    wrong = client.post(
        "/account/password",
        data={"current": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    mismatch = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": "something else"},
    )
    short = client.post(
        "/account/password", data={"current": PASSWORD, "password": "short", "confirm": "short"}
    )

    assert wrong.status_code == 400
    assert 'id="current-error"' in wrong.get_data(as_text=True)
    assert mismatch.status_code == 400
    assert 'id="confirm-error"' in mismatch.get_data(as_text=True)
    assert short.status_code == 400
    assert 'id="password-error"' in short.get_data(as_text=True)
    assert _can_log_in(app, staff.email, PASSWORD)


def test_the_password_page_needs_a_login(client):
    response = client.get("/account/password")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def _reset_link(app, email: str) -> str:
    with app.app_context():
        message = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.to_address == email)
        ).one()
        assert message.kind == "password_reset"
        text = message_from_string(message.raw, policy=default).get_body(("plain",))
        links = re.findall(r"http://events\.example\.org(/password-reset/\S+)", text.get_content())
    assert len(links) == 1
    return links[0]


@pytest.fixture
def door(app) -> Account:
    with app.app_context():
        account = make_account(role=Role.CHECKIN, email="door@example.org", password=PASSWORD)
        db.session.refresh(account)
        db.session.expunge(account)
    return account


def test_an_admin_sends_a_reset_link_that_works_once(app, client, login_as, door):
    login_as(Role.ADMIN)
    staff = app.test_client()
    assert _can_log_in(app, door.email, PASSWORD)
    staff.post("/login", data={"email": door.email, "password": PASSWORD})

    sent = client.post(f"/admin/accounts/{door.id}/reset-password")
    link = _reset_link(app, door.email)
    anonymous = app.test_client()
    form = page(anonymous, link).find("form")
    used = anonymous.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again_password = "yet another password"
    again = anonymous.post(link, data={"password": again_password, "confirm": again_password})

    assert sent.status_code == 302
    assert form is not None
    assert used.status_code == 302
    assert used.headers["Location"] == "/login"
    assert again.status_code == 404
    assert anonymous.get(link).status_code == 404
    assert _can_log_in(app, door.email, NEW_PASSWORD)
    assert staff.get("/checkin").status_code == 302  # the old sessions ended
    assert _actions(app)[-2:] == ["account.reset_link", "account.password"]


def test_a_reset_link_expires(app, client, login_as, door):
    admin = login_as(Role.ADMIN)
    with app.test_request_context():
        account = db.session.get(Account, door.id)
        passwords.send_password_reset(
            account, by=db.session.get(Account, admin.id), now=utcnow() - timedelta(hours=2)
        )
    link = _reset_link(app, door.email)

    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 404
    assert _can_log_in(app, door.email, PASSWORD)


def test_a_malformed_reset_link_is_404(client):
    assert client.get("/password-reset/nonsense").status_code == 404
    assert client.get("/password-reset/a.b.c").status_code == 404


def test_only_admins_send_reset_links(app, client, login_as, door):
    login_as(Role.ORGANIZER)

    response = client.post(f"/admin/accounts/{door.id}/reset-password")

    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_the_outbox_does_not_show_a_reset_link(app, client, login_as, door):
    login_as(Role.ADMIN)
    client.post(f"/admin/accounts/{door.id}/reset-password")
    link = _reset_link(app, door.email)
    with app.app_context():
        message_id = db.session.scalar(db.select(OutboxMessage.id))

    html = client.get(f"/admin/outbox/{message_id}").get_data(as_text=True)

    assert link not in html


def test_the_password_form_refuses_a_post_without_its_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        email = make_account(Role.CHECKIN, password=PASSWORD).email
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").text)
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token[1]})
    data = {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}

    refused = client.post("/account/password", data=data)
    form_page = client.get("/account/password").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form_page)
    accepted = client.post("/account/password", data={**data, "csrf_token": token[1]})

    assert refused.status_code == 400
    assert accepted.status_code == 302


@pytest.mark.parametrize("path", ["/account/password", "/account/two-factor"])
def test_own_account_pages_are_never_stored(client, login_as, path):
    login_as(Role.CHECKIN)

    response = client.get(path)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
