import html
import json
import re

import pytest
from sqlalchemy import event as sqlalchemy_event

from eventapp.models import (
    Category,
    Event,
    Registration,
    RegistrationStatus,
    Role,
    Scan,
    ScanResult,
    SessionSignup,
    SessionStatus,
    db,
)
from eventapp.models.checkin import Attendance
from eventapp.services.checkin.badges import BadgeKeys, badge_token
from tests.cldr import country
from tests.conftest import ON_POSTGRES, PASSWORD
from tests.factories import add_to_team, make_account, make_event, make_registration, make_session
from tests.web.test_public import page, parse

KEYS = BadgeKeys.from_secrets("test-secret-key")


def _badge(app, slug="forum", **overrides):
    with app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=slug))
        event = event or make_event(slug=slug, title=f"Event {slug}")
        registration = make_registration(event, **overrides)
        return badge_token(registration, KEYS)


def _events():
    return db.session.scalars(db.select(Event)).all()


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
        "country_name": country("US", "en"),
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


def test_api_checkin_names_another_events_person_only_to_its_team(app, client, login_as):
    _badge(app, slug="forum")
    other = _badge(app, slug="symposium", given_name="Eve", family_name="Park")
    with app.app_context():
        forum = db.session.scalar(db.select(Event).filter_by(slug="forum"))
    login_as(Role.CHECKIN, events=[forum])

    response = _scan(client, other)

    assert sorted(response.json) == ["badge_event", "result"]  # no name, organization…
    assert response.json["result"] == "wrong_event"
    assert response.json["badge_event"]["title"] == "Event symposium"


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


@pytest.mark.parametrize(
    ("session_values", "reason"),
    [
        ({"capacity": 10}, "no_seat"),
        ({"status": SessionStatus.CANCELLED}, "session_cancelled"),
        ({"is_published": False}, "session_unpublished"),
    ],
    ids=["without-a-seat", "cancelled", "draft"],
)
def test_api_checkin_at_a_session_that_does_not_admit_says_why(
    app, client, login_as, session_values, reason
):
    token = _badge(app)
    with app.app_context():
        session_id = make_session(db.session.scalar(db.select(Event)), **session_values).id
    login_as(Role.CHECKIN)

    response = _scan(client, token, session_id=session_id)
    page = client.get(f"/checkin?event=forum&session={session_id}").get_data(as_text=True)

    assert response.status_code == 200
    assert (response.json["result"], response.json["reason"]) == ("not_admitted", reason)
    messages = json.loads(html.unescape(re.search(r"data-messages='([^']*)'", page)[1]))
    assert {"not_admitted", reason} <= messages.keys()


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
        email = add_to_team(make_account(role=Role.CHECKIN, password=PASSWORD), *_events()).email
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
def test_counts_open_to_checkin_staff(app, client, path, login_as):
    _badge(app)
    login_as(Role.CHECKIN)

    assert client.get(path).status_code == 200


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
        email = add_to_team(make_account(role=Role.CHECKIN, password=PASSWORD), *_events()).email
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
    # The login is loaded to tell a live one from one that logout ended, the team is
    # checked (`teams.may_scan_at`), then the scan runs in one statement (#15).
    assert len(statements) == 3
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


def test_api_checkin_accepts_the_code_typed_as_printed(app, client, login_as):
    with app.app_context():
        event = make_event(slug="forum")
        registration = make_registration(event)
        # Re-issue until the code has the letters people type as digits.
        while not {"O", "I"} <= set(token := badge_token(registration, KEYS)):
            registration.badge_serial += 1
        db.session.commit()
    login_as(Role.CHECKIN)
    printed = "-".join(token[i : i + 4] for i in range(0, len(token), 4))

    response = _scan(client, printed.replace("O", "0").replace("I", "1").lower())

    assert response.json["result"] == "checked_in"


def test_scanner_page_says_type_a_code_and_how_codes_are_read(app, client, login_as):
    _badge(app)
    login_as(Role.CHECKIN)

    page = client.get("/checkin").get_data(as_text=True)

    messages = json.loads(html.unescape(re.search(r"data-messages='([^']*)'", page)[1]))
    assert messages["empty"] == "Type a code first: it is printed under the QR code."
    assert "0 and O, 1 and I or L are read alike" in page


def _person(app, **overrides):
    """A registrant of the forum: (registration id, event slug)."""
    with app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug="forum"))
        event = event or make_event(slug="forum", title="Event forum")
        return make_registration(event, **overrides).id


def _attended(app, registration_id):
    with app.app_context():
        return db.session.scalars(
            db.select(Attendance.session_id).where(Attendance.registration_id == registration_id)
        ).all()


def test_scanner_page_shows_the_running_total_for_the_door(app, client, login_as):
    token = _badge(app)
    _badge(app)
    _badge(app, status=RegistrationStatus.WAITLISTED)
    login_as(Role.CHECKIN)
    _scan(client, token)

    root = page(client, "/checkin?event=forum")

    total = root.find(id="door-total")
    assert total.text.split() == ["1", "/", "2"]
    assert root.find(id="scanner").attrs["data-counts"] == "/checkin/forum/counts.json"
    assert root.find_all("a", href="/checkin/forum/counts") != []


def test_scanner_page_total_at_a_session_with_seats_counts_its_seats(app, client, login_as):
    token = _badge(app)
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        talk = make_session(event, capacity=10)
        first = db.session.scalar(db.select(Registration).order_by(Registration.id))
        for registration in [first, make_registration(event)]:
            db.session.add(SessionSignup(registration=registration, session=talk))
        db.session.commit()
        talk_id = talk.id
    login_as(Role.CHECKIN)
    _scan(client, token, session_id=talk_id)

    root = page(client, f"/checkin?event=forum&session={talk_id}")
    data = client.get(f"/checkin/forum/counts.json?session={talk_id}").json

    assert root.find(id="door-total").text.split() == ["1", "/", "2"]
    assert data["place"] == {"checked_in": 1, "expected": 2}


@pytest.mark.parametrize("query", ["minj", "KIM", "민지", "김민지"])
def test_find_by_name_lists_people_with_a_check_in_button(app, client, login_as, query):
    person = _person(app, given_name="Minji", family_name="Kim", name_alt="김민지")
    _person(app, given_name="Jane", family_name="Doe")
    login_as(Role.CHECKIN)

    root = page(client, f"/checkin/forum/find?q={query}&location=Desk")

    rows = root.find_all("li", cls="found")
    assert [row.find("span", cls="found__name").text for row in rows] == ["Minji Kim"]
    form = rows[0].find("form")
    assert form.attrs["action"] == f"/checkin/forum/registrations/{person}/check-in"
    assert form.attrs["method"] == "post"
    assert form.find("input", name="location").attrs["value"] == "Desk"
    assert root.find("input", name="q").attrs["value"] == query


def test_find_by_name_without_a_name_asks_for_one(app, client, login_as):
    _person(app)
    login_as(Role.CHECKIN)

    root = page(client, "/checkin/forum/find?q=+")

    assert root.find_all("li", cls="found") == []
    assert "Type a name" in root.find("main").text


def test_check_in_by_hand_admits_once_and_says_so(app, client, login_as):
    person = _person(app, given_name="Minji", family_name="Kim")
    login_as(Role.CHECKIN)
    back = "/checkin/forum/find?q=kim"

    first = client.post(f"/checkin/forum/registrations/{person}/check-in", data={"next": back})
    shown = page(client, back).find(cls="flashes").text
    client.post(f"/checkin/forum/registrations/{person}/check-in", data={"next": back})
    again = page(client, back).find(cls="flashes").text

    assert first.status_code == 302
    assert first.headers["Location"] == back
    assert shown == "Checked in: Minji Kim"
    assert again.startswith("Already checked in: Minji Kim")
    assert _attended(app, person) == [None]
    with app.app_context():
        assert db.session.scalars(db.select(Scan.result)).all() == [
            ScanResult.CHECKED_IN,
            ScanResult.ALREADY_CHECKED_IN,
        ]


def test_check_in_by_hand_at_a_session_without_a_seat_says_why(app, client, login_as):
    person = _person(app)
    with app.app_context():
        talk_id = make_session(db.session.scalar(db.select(Event)), capacity=3).id
    login_as(Role.CHECKIN)

    response = client.post(
        f"/checkin/forum/registrations/{person}/check-in",
        data={"session": talk_id},
        follow_redirects=True,
    )

    flashes = parse(response.get_data(as_text=True)).find(cls="flashes").text
    assert flashes.startswith("Not admitted to this session")
    assert "No seat in this session" in flashes
    assert _attended(app, person) == []


def test_check_in_by_hand_of_someone_of_another_event_is_404(app, client, login_as):
    _person(app)
    with app.app_context():
        elsewhere = make_registration(make_event(slug="symposium")).id
    login_as(Role.CHECKIN)

    response = client.post(f"/checkin/forum/registrations/{elsewhere}/check-in")

    assert response.status_code == 404
    assert _attended(app, elsewhere) == []


def test_check_in_by_hand_needs_the_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    person = _person(app)
    with app.app_context():
        account = make_account(Role.CHECKIN, password=PASSWORD)
        add_to_team(account, db.session.scalars(db.select(Event).filter_by(slug="forum")).one())
        email = account.email
    login_page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page)[1]
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf})

    refused = client.post(f"/checkin/forum/registrations/{person}/check-in")
    find = client.get("/checkin/forum/find?q=Jane").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', find)[1]
    allowed = client.post(
        f"/checkin/forum/registrations/{person}/check-in", data={"csrf_token": token}
    )

    assert refused.status_code == 400
    assert allowed.status_code == 302
    assert _attended(app, person) == [None]


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/checkin/forum/find?q=Jane"), ("POST", "/checkin/forum/registrations/1/check-in")],
)
def test_find_and_check_in_by_hand_send_anonymous_visitors_to_login(app, client, method, path):
    _person(app)

    response = client.open(path, method=method)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_registrant_page_checks_in_by_hand_and_comes_back(app, client, login_as):
    person = _person(app, given_name="Minji", family_name="Kim")
    login_as(Role.ORGANIZER)
    url = f"/admin/events/forum/registrants/{person}/edit"

    before = page(client, url)
    form = before.find("form", cls="checkin-by-hand")
    response = client.post(
        form.attrs["action"], data={"next": form.find("input", name="next").attrs["value"]}
    )
    after = page(client, url)

    assert before.find(id="checked-in").text == "Not checked in"
    assert response.headers["Location"] == url
    assert after.find(id="checked-in").text == "Checked in"
    assert after.find_all("form", cls="checkin-by-hand") == []
    assert _attended(app, person) == [None]
