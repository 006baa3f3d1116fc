"""GET /api/checkin/sync: the offline copy a door device judges badges with (#19)."""

import gzip
import json
from datetime import datetime, timedelta

from eventapp.models import Category, Event, RegistrationStatus, Role, db
from eventapp.services.checkin.badges import BadgeKeys, badge_token
from eventapp.services.checkin.offline import FIELDS, copy_key, token_hash
from tests.factories import make_event, make_registration

KEYS = BadgeKeys.from_secrets("test-secret-key")


def _setup(app):
    """Two events: forum (two people, one waitlisted) and other (one person)."""
    with app.app_context():
        forum = make_event(slug="forum", title="Forum")
        other = make_event(slug="other", title="Other")
        ada = make_registration(
            forum,
            given_name="Ada",
            family_name="Lovelace",
            email="ada@example.org",
            category=Category.SPEAKER,
            job_title="Countess",
            dietary_needs="vegan",
        )
        make_registration(forum, status=RegistrationStatus.WAITLISTED)
        make_registration(other)
        return {
            "forum": forum.id,
            "other": other.id,
            "ada": ada.id,
            "token": badge_token(ada, KEYS),
        }


def _rows(data):
    return [dict(zip(data["fields"], row, strict=True)) for row in data["rows"]]


def test_sync_needs_door_staff_or_a_device_token(make_app):
    app = make_app(API_TOKENS=["door-1"])
    _setup(app)
    client = app.test_client()

    anonymous = client.get("/api/checkin/sync")
    guessed = client.get("/api/checkin/sync", headers={"Authorization": "Bearer nope"})
    device = client.get("/api/checkin/sync", headers={"Authorization": "Bearer door-1"})

    assert anonymous.status_code == 401
    assert anonymous.json["error"] == "unauthorized"
    assert guessed.status_code == 401
    assert device.status_code == 200
    assert {e["slug"] for e in device.json["events"]} == {"forum", "other"}
    assert device.headers["Cache-Control"] == "no-store"


def test_staff_get_only_their_teams_events(app, client, login_as):
    ids = _setup(app)
    with app.app_context():
        forum = db.session.get(Event, ids["forum"])
    login_as(Role.CHECKIN, events=[forum])

    data = client.get("/api/checkin/sync").json
    refused = client.get("/api/checkin/sync?event=other")

    assert [(e["slug"], e["door"]) for e in data["events"]] == [("forum", True), ("other", False)]
    assert {row["event"] for row in _rows(data)} == {ids["forum"]}
    assert len(data["rows"]) == 2
    # The other event held that day: its badges as keyed hashes, and no one's name.
    assert data["other_fields"] == ["id", "event", "serial", "hash", "old"]
    assert [row[1] for row in data["other_rows"]] == [ids["other"]]
    assert refused.status_code == 404


def test_copy_holds_a_keyed_hash_of_the_current_token_and_nothing_personal(app, client, login_as):
    ids = _setup(app)
    login_as(Role.CHECKIN)

    response = client.get("/api/checkin/sync?event=forum")

    data = response.json
    ada = next(row for row in _rows(data) if row["id"] == ids["ada"])
    key = copy_key("test-secret-key", ids["forum"])
    assert ada["hash"] == token_hash(key, ids["token"])
    assert ada["name"] == "Ada Lovelace"
    assert ada["category"] == "speaker"
    assert ada["status"] == "confirmed"
    assert ada["in"] is None
    assert tuple(data["fields"]) == FIELDS
    body = response.get_data(as_text=True)
    for private in ("ada@example.org", "Countess", "vegan", ids["token"]):
        assert private not in body
    # The signing key is not the copy's key.
    assert KEYS.signing != key


def test_a_reissued_badge_changes_the_hash(app, client, login_as):
    ids = _setup(app)
    login_as(Role.CHECKIN)
    before = client.get("/api/checkin/sync?event=forum").json
    with app.app_context():
        from eventapp.models import Registration

        registration = db.session.get(Registration, ids["ada"])
        registration.badge_serial += 1
        db.session.commit()
        new_token = badge_token(registration, KEYS)

    after = client.get(f"/api/checkin/sync?event=forum&since={before['cursor']}").json

    (row,) = (r for r in _rows(after) if r["id"] == ids["ada"])
    key = copy_key("test-secret-key", ids["forum"])
    assert row["serial"] == 2
    assert row["hash"] == token_hash(key, new_token)
    assert row["hash"] != token_hash(key, ids["token"])


def test_refresh_lists_only_what_changed_since_the_cursor(app, client, login_as):
    ids = _setup(app)
    login_as(Role.CHECKIN)
    first = client.get("/api/checkin/sync").json
    assert first["full"] is True
    later = (datetime.fromisoformat(first["synced_at"]) + timedelta(minutes=1)).isoformat()

    nothing = client.get("/api/checkin/sync", query_string={"since": later}).json
    scan = client.post("/api/checkin", json={"token": ids["token"], "event": "forum"})
    refreshed = client.get("/api/checkin/sync", query_string={"since": first["cursor"]}).json

    assert nothing["full"] is False
    assert nothing["rows"] == []
    assert scan.json["result"] == "checked_in"
    (ada,) = (r for r in _rows(refreshed) if r["id"] == ids["ada"])
    assert ada["in"] is not None


def test_a_bad_cursor_is_a_json_400(app, client, login_as):
    _setup(app)
    login_as(Role.CHECKIN)

    for since in ("yesterday", "2026-12-04T09:00:00"):
        response = client.get("/api/checkin/sync", query_string={"since": since})
        assert response.status_code == 400
        assert response.json["error"] == "invalid_cursor"


def test_copy_of_5000_registrants_is_small(app, client, login_as):
    with app.app_context():
        event = make_event(slug="big", title="Big")
        for n in range(200):
            make_registration(event, given_name=f"Person{n}", family_name="Kim")
    login_as(Role.CHECKIN)

    body = client.get("/api/checkin/sync").get_data()

    per_row = len(gzip.compress(body)) / 200
    assert per_row * 5000 < 500_000, per_row
    assert json.loads(body)["rows"]


def test_logout_clears_the_device(app, client, login_as):
    login_as(Role.CHECKIN)

    response = client.post("/logout")

    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_copy_tells_revoked_badges_sessions_and_seats(app, client, login_as):
    ids = _setup(app)
    with app.app_context():
        from eventapp.models import Registration, SessionStatus
        from tests.factories import make_session, make_signup

        forum = db.session.get(Event, ids["forum"])
        ada = db.session.get(Registration, ids["ada"])
        ada.badge_serial += 1
        ada.organization_name, ada.country = "Analytical Engines", "GB"
        workshop = make_session(forum, title="Workshop", capacity=10)
        cancelled = make_session(forum, title="Gone", status=SessionStatus.CANCELLED)
        hidden = make_session(forum, title="Hidden", is_published=False)
        plenary = make_session(forum, title="Plenary")
        make_signup(ada, workshop)
        db.session.commit()
        session_ids = (workshop.id, cancelled.id, hidden.id, plenary.id)
    login_as(Role.CHECKIN)
    client.post("/api/checkin", json={"token": ids["token"], "event": "forum"})  # revoked
    now = badge_token_of(app, ids["ada"])
    client.post("/api/checkin", json={"token": now, "session_id": session_ids[3]})

    data = client.get("/api/checkin/sync?event=forum").json

    (ada_row,) = (r for r in _rows(data) if r["id"] == ids["ada"])
    key = copy_key("test-secret-key", ids["forum"])
    assert ada_row["hash"] == token_hash(key, now)
    assert ada_row["old"] == [token_hash(key, ids["token"])]
    assert (ada_row["org"], ada_row["country"]) == ("Analytical Engines", "GB")
    assert data["countries"]["GB"] == "United Kingdom"
    assert [at[0] for at in ada_row["at"]] == [session_ids[3]]
    assert ada_row["in"] is None  # a session's door is not the event's
    sessions = {s[0]: s for s in data["sessions"]}
    assert sessions[session_ids[0]][2:] == [None, [ids["ada"]]]
    assert sessions[session_ids[1]][2:] == ["session_cancelled", None]
    assert sessions[session_ids[2]][2:] == ["session_unpublished", None]
    assert sessions[session_ids[3]][2:] == [None, None]


def badge_token_of(app, registration_id):
    with app.app_context():
        from eventapp.models import Registration

        return badge_token(db.session.get(Registration, registration_id), KEYS)
