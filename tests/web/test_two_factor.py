"""Optional TOTP two-factor login for staff accounts (#15 §2)."""

from __future__ import annotations

import base64
import io
import re
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest
from PIL import Image

from eventapp.models import Account, AuditEntry, Role, db, utcnow
from tests.builders.badge_samples import decode_all
from tests.conftest import PASSWORD
from tests.factories import make_account
from tests.web.test_public import page

EMAIL = "door@example.org"


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)))


def _qr_secret(html_page) -> tuple[str, str]:
    """The secret the page's QR code holds, and the secret the page writes out."""
    image = html_page.find("img", "totp-qr")
    assert image is not None
    src = image.attrs["src"]
    assert src.startswith("data:image/png;base64,")
    png = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
    (uri,) = decode_all(png)
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert EMAIL in unquote(parts.path)
    written = html_page.find("code", "totp-secret").text.replace(" ", "")
    return parse_qs(parts.query)["secret"][0], written


def _code(secret: str, when=None) -> str:
    return pyotp.TOTP(secret).at(when or utcnow())


def _enrol(client) -> str:
    secret, _written = _qr_secret(page(client, "/account/two-factor"))
    response = client.post("/account/two-factor", data={"code": _code(secret)})
    assert response.status_code == 302
    return secret


@pytest.fixture
def staff(app, client) -> Account:
    with app.app_context():
        account = make_account(role=Role.ORGANIZER, email=EMAIL, password=PASSWORD)
        db.session.refresh(account)
        db.session.expunge(account)
    client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    return account


def test_enrolment_shows_a_qr_code_and_the_secret_and_needs_a_right_code(app, client, staff):
    enrolment = page(client, "/account/two-factor")
    secret, written = _qr_secret(enrolment)

    wrong = client.post("/account/two-factor", data={"code": "000000"})
    right = client.post("/account/two-factor", data={"code": _code(secret)})

    assert written == secret
    assert wrong.status_code == 400
    assert 'id="code-error"' in wrong.get_data(as_text=True)
    assert right.status_code == 302
    with app.app_context():
        assert db.session.get(Account, staff.id).totp_secret == secret
    assert _actions(app)[-1] == "account.two_factor_on"


def test_login_asks_for_the_code_once_enrolled(app, client, staff):
    secret = _enrol(client)
    other = app.test_client()

    after_password = other.post(
        "/login?next=/admin/events", data={"email": EMAIL, "password": PASSWORD}
    )
    before_code = other.get("/admin/")
    wrong = other.post("/login/code", data={"code": "123456"})
    right = other.post(
        "/login/code", data={"code": _code(secret, utcnow() + timedelta(seconds=30))}
    )

    assert after_password.status_code == 302
    assert after_password.headers["Location"] == "/login/code"
    assert before_code.status_code == 302
    assert before_code.headers["Location"].startswith("/login")
    assert wrong.status_code == 400
    assert right.status_code == 302
    assert right.headers["Location"] == "/admin/events"
    assert other.get("/admin/").status_code == 200


def test_a_code_works_only_once(app, client, staff):
    secret = _enrol(client)
    code = _code(secret, utcnow() + timedelta(seconds=30))  # not the one enrolment used
    first, second = app.test_client(), app.test_client()
    for browser in (first, second):
        browser.post("/login", data={"email": EMAIL, "password": PASSWORD})

    assert first.post("/login/code", data={"code": code}).status_code == 302
    assert second.post("/login/code", data={"code": code}).status_code == 400


def test_the_code_page_without_a_password_first_goes_back_to_login(client):
    response = client.get("/login/code")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"


def test_the_holder_turns_two_factor_off_with_a_code(app, client, staff):
    secret = _enrol(client)

    wrong = client.post("/account/two-factor/off", data={"code": "000000"})
    right = client.post(
        "/account/two-factor/off", data={"code": _code(secret, utcnow() + timedelta(seconds=30))}
    )

    assert wrong.status_code == 400
    assert right.status_code == 302
    with app.app_context():
        assert db.session.get(Account, staff.id).totp_secret is None
    assert _actions(app)[-1] == "account.two_factor_off"
    fresh = app.test_client()
    response = fresh.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.headers["Location"] == "/admin/"


def test_an_admin_resets_two_factor(app, client, staff):
    _enrol(client)
    admin_client = app.test_client()
    with app.app_context():
        make_account(role=Role.ADMIN, email="admin@example.org", password=PASSWORD)
    admin_client.post("/login", data={"email": "admin@example.org", "password": PASSWORD})

    listing = admin_client.get("/admin/accounts").get_data(as_text=True)
    response = admin_client.post(f"/admin/accounts/{staff.id}/two-factor/reset")

    assert f"/admin/accounts/{staff.id}/two-factor/reset" in listing
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Account, staff.id).totp_secret is None
    assert _actions(app)[-1] == "account.two_factor_reset"


def test_only_admins_reset_two_factor(app, client, staff):
    _enrol(client)

    response = client.post(f"/admin/accounts/{staff.id}/two-factor/reset")

    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Account, staff.id).totp_secret is not None


def test_a_malformed_code_is_a_form_error_not_a_500(app, client, staff):
    _enrol(client)
    other = app.test_client()
    other.post("/login", data={"email": EMAIL, "password": PASSWORD})

    for code in ["", "12345a", "1" * 50, "12\x003456"]:
        response = other.post("/login/code", data={"code": code})
        assert response.status_code == 400, code
        assert re.search(r'id="code-error"', response.get_data(as_text=True)), code
