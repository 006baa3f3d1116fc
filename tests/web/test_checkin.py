import re

import pytest
from sqlalchemy import event as sqlalchemy_event

from eventapp.models import Category, Event, RegistrationStatus, Role, Scan, ScanResult, db
from eventapp.services.badges import BadgeKeys, badge_token
from tests.conftest import ON_POSTGRES, PASSWORD
from tests.factories import make_account, make_event, make_registration, make_session

KEYS = BadgeKeys.from_secrets("test-secret-key")


def _badge(app, slug="forum", **overrides):
    with app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=slug))
        event = event or make_event(slug=slug, title=f"Event {slug}")
        registration = make_registration(event, **overrides)
        return badge_token(registration, KEYS)


def _scan(client, token, **extra):
    return client.post("/api/checkin", json={"token": token, "event": "forum", **extra})


def test_scanner_page_for_checkin_staff_has_camera_and_code_input(app, client, login_as):
    _badge(app)
    login_as(Role.CHECKIN)

    response = client.get("/checkin")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-event="forum"' in html
    assert 'id="camera-toggle"' in html
    assert '<label for="code">' in html
    assert "vendor/jsqr/jsQR.js" in html
    assert re.findall(r"<script(?![^>]*\ssrc=)", html) == []
    assert " style=" not in html


def test_scanner_page_asks_for_the_event_when_there_are_several(app, client, login_as):
    _badge(app, slug="forum")
    _badge(app, slug="symposium")
    login_as(Role.CHECKIN)

    html = client.get("/checkin").get_data(as_text=True)
    chosen = client.get("/checkin?event=symposium").get_data(as_text=True)

    assert 'id="scanner"' not in html
    assert 'data-event="symposium"' in chosen


def test_api_checkin_admits_then_reports_already_with_the_first_time(app, client, login_as):
    token = _badge(
        app, given_name="Minji", family_name="Kim", name_alt="김민지", category=Category.SPEAKER
    )
    login_as(Role.CHECKIN)

    first = _scan(client, token, location="Door A")
    second = _scan(client, token)

    assert first.status_code == 200
    assert first.json == {
        "result": "checked_in",
        "name": "Minji Kim",
        "name_alt": "김민지",
        "organization": "Example Space Co.",
        "country": "US",
        "category": "speaker",
        "status": "confirmed",
        "first_checked_in_at": first.json["first_checked_in_at"],
    }
    assert second.json["result"] == "already_checked_in"
    assert second.json["first_checked_in_at"] == first.json["first_checked_in_at"]
    with app.app_context():
        scans = db.session.scalars(db.select(Scan).order_by(Scan.id)).all()
        assert [(s.result, s.location, s.account_id is not None) for s in scans] == [
            (ScanResult.CHECKED_IN, "Door A", True),
            (ScanResult.ALREADY_CHECKED_IN, None, True),
        ]


def test_api_checkin_forged_token_is_invalid(app, client, login_as):
    token = _badge(app)
    login_as(Role.CHECKIN)

    response = _scan(client, token[:-2] + ("AA" if token[-2:] != "AA" else "BA"))

    assert response.json == {"result": "invalid", "reason": "malformed"}


def test_api_checkin_badge_of_another_event_is_wrong_event(app, client, login_as):
    _badge(app, slug="forum")
    other = _badge(app, slug="symposium")
    login_as(Role.CHECKIN)

    response = _scan(client, other)

    assert response.json["result"] == "wrong_event"
    assert response.json["badge_event"]["slug"] == "symposium"


@pytest.mark.parametrize("status", [RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED])
def test_api_checkin_unconfirmed_is_not_confirmed(app, client, status, login_as):
    token = _badge(app, status=status)
    login_as(Role.CHECKIN)

    response = _scan(client, token)

    assert (response.json["result"], response.json["status"]) == ("not_confirmed", status.value)


def test_api_checkin_at_a_session(app, client, login_as):
    token = _badge(app)
    with app.app_context():
        session_id = make_session(db.session.scalar(db.select(Event))).id
    login_as(Role.CHECKIN)

    response = _scan(client, token, session_id=session_id)

    assert response.json["result"] == "checked_in"


def test_api_checkin_anonymous_is_401_json(app, client):
    token = _badge(app)

    response = _scan(client, token)

    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"


def test_api_checkin_refuses_an_account_switched_off_after_login(app, client, login_as):
    token = _badge(app)
    account = login_as(Role.CHECKIN)
    with app.app_context():
        db.session.get(type(account), account.id).is_active_account = False
        db.session.commit()

    response = _scan(client, token)

    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "invalid_json"),
        (b"[1, 2]", "invalid_json"),
        (b'{"token": 5}', "invalid_json"),
        (b'{"token": "X", "session_id": "3"}', "invalid_json"),
        (b'{"token": "X", "session_id": true}', "invalid_json"),
        (b'{"token": "X", "location": 7}', "invalid_json"),
        (b'{"token": "X", "event": "nowhere"}', "not_found"),
        (b'{"token": "X", "event": "forum", "session_id": 999}', "not_found"),
    ],
)
def test_api_checkin_bad_requests_get_json_errors(app, client, body, code, login_as):
    _badge(app)
    login_as(Role.CHECKIN)

    response = client.post("/api/checkin", data=body, content_type="application/json")

    assert response.status_code in {400, 404}
    assert response.json["error"] == code


def test_api_checkin_refuses_a_post_without_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = _badge(app)
    with app.app_context():
        email = make_account(role=Role.CHECKIN, password=PASSWORD).email
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf})

    refused = _scan(client, token)
    scanner = client.get("/checkin").get_data(as_text=True)
    header = re.search(r'data-csrf="([^"]+)"', scanner).group(1)
    accepted = client.post(
        "/api/checkin", json={"token": token, "event": "forum"}, headers={"X-CSRFToken": header}
    )

    assert refused.status_code == 400
    assert refused.is_json
    assert accepted.json["result"] == "checked_in"


def test_api_checkin_with_device_bearer_token_needs_no_csrf_or_login(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, API_TOKENS=["door-scanner-secret-1"])
    client = app.test_client()
    token = _badge(app)

    good = client.post(
        "/api/checkin",
        json={"token": token, "event": "forum"},
        headers={"Authorization": "Bearer door-scanner-secret-1"},
    )
    bad = client.post(
        "/api/checkin",
        json={"token": token, "event": "forum"},
        headers={"Authorization": "Bearer guessed"},
    )

    assert good.json["result"] == "checked_in"
    assert bad.status_code == 401
    with app.app_context():
        assert db.session.scalar(db.select(Scan.location)) == "device"


def test_api_checkin_accepts_badges_signed_before_a_key_rotation(make_app):
    app = make_app(SECRET_KEY="new-secret", BADGE_SIGNING_KEYS=["old-secret"], API_TOKENS=["d"])
    with app.app_context():
        event = make_event(slug="forum")
        reg = make_registration(event)
        token = badge_token(reg, BadgeKeys.from_secrets("old-secret"))
    client = app.test_client()
    headers = {"Authorization": "Bearer d"}

    rotated = client.post("/api/checkin", json={"token": token}, headers=headers)
    app.config["BADGE_SIGNING_KEYS"] = []
    forgotten = client.post("/api/checkin", json={"token": token}, headers=headers)

    assert rotated.json["result"] == "checked_in"
    assert forgotten.json == {"result": "invalid", "reason": "malformed"}


def test_counts_page_and_json_for_organizers(app, client, login_as):
    token = _badge(app, category=Category.PRESS)
    _badge(app, category=Category.PRESS)
    login_as(Role.ORGANIZER)
    _scan(client, token)

    page = client.get("/checkin/forum/counts")
    data = client.get("/checkin/forum/counts.json").json

    assert page.status_code == 200
    assert '<span data-count="checked_in">1</span> / <span data-count="confirmed">2</span>' in (
        page.get_data(as_text=True)
    )
    assert (data["checked_in"], data["confirmed"]) == (1, 2)
    assert data["categories"] == [{"category": "press", "confirmed": 2, "checked_in": 1}]


@pytest.mark.parametrize("path", ["/checkin/forum/counts", "/checkin/forum/counts.json"])
def test_counts_refused_to_checkin_staff(app, client, path, login_as):
    _badge(app)
    login_as(Role.CHECKIN)

    assert client.get(path).status_code == 403


def test_scanner_page_sends_anonymous_visitors_to_login(client):
    response = client.get("/checkin")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_vendored_decoder_and_scripts_are_served(client):
    for path in ("/static/vendor/jsqr/jsQR.js", "/static/js/checkin.js", "/static/css/checkin.css"):
        response = client.get(path)
        response.close()
        assert response.status_code == 200


def _switch_off(app, account):
    with app.app_context():
        db.session.get(type(account), account.id).is_active_account = False
        db.session.commit()


@pytest.mark.parametrize(
    ("body", "answer_if_active"),
    [
        (b'{"token": "X", "event": "nowhere"}', 404),
        (b'{"token": 5}', 400),
        (b'{"token": "X", "event": "forum"}', 200),
    ],
)
def test_api_checkin_says_401_first_to_a_switched_off_account(
    app, client, login_as, body, answer_if_active
):
    _badge(app)
    account = login_as(Role.CHECKIN)
    active = client.post("/api/checkin", data=body, content_type="application/json")
    _switch_off(app, account)

    refused = client.post("/api/checkin", data=body, content_type="application/json")

    assert active.status_code == answer_if_active
    assert (refused.status_code, refused.json["error"]) == (401, "unauthorized")


def test_api_checkin_without_csrf_token_by_a_switched_off_account_is_401(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = _badge(app)
    with app.app_context():
        account = make_account(role=Role.CHECKIN, password=PASSWORD)
        db.session.refresh(account)
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": account.email, "password": PASSWORD, "csrf_token": csrf})
    _switch_off(app, account)

    response = _scan(client, token)

    assert (response.status_code, response.json["error"]) == (401, "unauthorized")


def test_api_checkin_refuses_a_session_used_from_another_browser(app, client, login_as):
    token = _badge(app)
    login_as(Role.CHECKIN)

    stolen = client.post(
        "/api/checkin",
        json={"token": token, "event": "forum"},
        headers={"User-Agent": "another browser"},
    )

    assert (stolen.status_code, stolen.json["error"]) == (401, "unauthorized")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Scan.id))) == 0


def test_api_checkin_with_only_the_remember_me_cookie(app, client):
    token = _badge(app)
    with app.app_context():
        email = make_account(role=Role.CHECKIN, password=PASSWORD).email
    client.post("/login", data={"email": email, "password": PASSWORD, "remember": "y"})
    client.delete_cookie("session")

    response = _scan(client, token)

    assert response.json["result"] == "checked_in"
    with app.app_context():
        assert db.session.scalar(db.select(Scan.account_id)) is not None


@pytest.mark.skipif(not ON_POSTGRES, reason="the one-statement path is PostgreSQL's")
def test_api_checkin_by_logged_in_staff_is_the_login_and_one_query_on_postgres(
    app, client, login_as
):
    token = _badge(app)
    login_as(Role.CHECKIN)
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sqlalchemy_event.listen(engine, "before_cursor_execute", record)
    try:
        response = _scan(client, token)
    finally:
        sqlalchemy_event.remove(engine, "before_cursor_execute", record)

    assert response.json["result"] == "checked_in"
    # The login is loaded to tell a live one from one that logout ended (#15), then the scan.
    assert len(statements) == 2
    assert statements[0].lstrip().startswith("SELECT accounts.id")


@pytest.mark.parametrize("durable", [False, True])
def test_api_checkin_passes_the_durability_setting_to_the_scan(
    app, client, login_as, monkeypatch, durable
):
    from eventapp.web import checkin as checkin_views

    token = _badge(app)
    login_as(Role.CHECKIN)
    app.config["CHECKIN_DURABLE_COMMIT"] = durable
    seen = []
    real = checkin_views.check_in
    monkeypatch.setattr(
        checkin_views, "check_in", lambda *a, **k: seen.append(k["durable"]) or real(*a, **k)
    )

    assert _scan(client, token).json["result"] == "checked_in"
    assert seen == [durable]
