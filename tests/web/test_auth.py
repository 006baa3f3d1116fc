import pytest

from eventapp.models import Role
from tests.conftest import PASSWORD


def test_login_page_renders_labelled_form(client):
    response = client.get("/login")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<label for="email">' in html
    assert 'autocomplete="current-password"' in html


def test_login_with_wrong_password_rerenders_with_error_and_keeps_email(app, client):
    from tests.factories import make_account

    with app.app_context():
        make_account(role=Role.ORGANIZER, email="org@example.org", password=PASSWORD)

    response = client.post("/login", data={"email": "org@example.org", "password": "nope"})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Wrong email or password." in html
    assert 'value="org@example.org"' in html


@pytest.mark.parametrize(
    ("role", "landing"), [(Role.ORGANIZER, "/admin/"), (Role.CHECKIN, "/checkin")]
)
def test_login_redirects_by_role(app, client, role, landing):
    from tests.factories import make_account

    with app.app_context():
        make_account(role=role, email="s@example.org", password=PASSWORD)

    response = client.post("/login", data={"email": "s@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == landing


def test_login_follows_only_local_next(app, client):
    from tests.factories import make_account

    with app.app_context():
        make_account(role=Role.ADMIN, email="a@example.org", password=PASSWORD)
    data = {"email": "a@example.org", "password": PASSWORD}

    evil = client.post("/login?next=//evil.example/x", data=data)
    client.post("/logout")
    good = client.post("/login?next=/admin/", data=data)

    assert evil.headers["Location"] == "/admin/"
    assert good.headers["Location"] == "/admin/"


def test_admin_requires_login_and_role(client, login_as):
    anonymous = client.get("/admin/")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/login")

    login_as(Role.CHECKIN)
    assert client.get("/admin/").status_code == 403
    assert client.get("/checkin").status_code == 200


def test_logout_requires_post_and_ends_session(client, login_as):
    login_as(Role.ORGANIZER)
    assert client.get("/admin/").status_code == 200

    assert client.get("/logout").status_code == 405
    client.post("/logout")

    assert client.get("/admin/").status_code == 302


def test_login_form_refuses_post_without_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)

    response = app.test_client().post("/login", data={"email": "a@b.org", "password": "x"})

    assert response.status_code == 400


def test_login_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()

    statuses = [
        client.post("/login", data={"email": f"a{n}@example.org", "password": "x"}).status_code
        for n in range(11)
    ]

    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429


def test_unauthorized_api_request_gets_json_401(app):
    from flask import Blueprint

    from eventapp.web.access import role_required

    probe = Blueprint("probe", __name__)

    @probe.get("/api/probe")
    @role_required(Role.ORGANIZER)
    def protected():
        return {"ok": True}

    app.register_blueprint(probe)

    response = app.test_client().get("/api/probe")

    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
