"""POST /api/checkin/upload: scans made offline, recorded once each, earliest first (#19)."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from eventapp.models import Event, Registration, Role, Scan, ScanResult, db
from eventapp.models.checkin import Attendance
from eventapp.services.checkin.badges import BadgeKeys, badge_token
from eventapp.services.checkin.upload import QueuedScan, record_uploads
from eventapp.web.door import answer as _answer
from tests.conftest import ON_POSTGRES
from tests.factories import make_event, make_registration

KEYS = BadgeKeys.from_secrets("test-secret-key")
NINE = datetime(2026, 12, 4, 0, 0, tzinfo=UTC)


def _token(app, slug="forum", **overrides):
    with app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=slug)) or make_event(slug=slug)
        return badge_token(make_registration(event, **overrides), KEYS)


def _scan(token, minutes, **extra):
    at = (NINE + timedelta(minutes=minutes)).isoformat()
    return {"uuid": str(uuid.uuid4()), "token": token, "scanned_at": at, "event": "forum", **extra}


def _upload(client, device, *scans, **headers):
    return client.post(
        "/api/checkin/upload", json={"device": device, "scans": list(scans)}, headers=headers
    )


def _state(app):
    with app.app_context():
        attendances = db.session.execute(
            db.select(Attendance.checked_in_at, Attendance.registration_id)
        ).all()
        scans = db.session.execute(
            db.select(Scan.location, Scan.result, Scan.scanned_at).order_by(Scan.scanned_at)
        ).all()
        return attendances, scans


def test_upload_answers_each_scan_in_scan_time_order(app, client, login_as):
    good = _token(app)
    login_as(Role.CHECKIN)
    later, earlier, forged = _scan(good, 5), _scan(good, 1), _scan("AAAAAAAAAAAAAAAAAAAAAAA", 3)

    response = _upload(client, "door 1", later, earlier, forged)

    answers = response.json["scans"]
    assert [a["uuid"] for a in answers] == [earlier["uuid"], forged["uuid"], later["uuid"]]
    assert [a["result"] for a in answers] == ["checked_in", "invalid", "already_checked_in"]
    assert answers[2]["also_admitted"] == {"location": "door 1", "at": earlier["scanned_at"]}
    attendances, scans = _state(app)
    assert len(attendances) == 1
    assert attendances[0].checked_in_at == NINE + timedelta(minutes=1)
    assert [s.location for s in scans] == ["door 1"] * 3


def test_a_scan_uploaded_twice_counts_once(app, client, login_as):
    good = _token(app)
    login_as(Role.CHECKIN)
    scan = _scan(good, 1)

    first = _upload(client, "door 1", scan).json["scans"][0]
    again = _upload(client, "door 1", scan).json["scans"][0]

    assert first["result"] == "checked_in"
    assert again["result"] == "checked_in"
    assert again["repeated"] is True
    assert "repeated" not in first
    attendances, scans = _state(app)
    assert len(attendances) == 1
    assert len(scans) == 1


def test_two_doors_apart_the_earliest_scan_is_the_check_in(app, client, login_as):
    good = _token(app)
    login_as(Role.CHECKIN)

    door2 = _upload(client, "door 2", _scan(good, 5)).json["scans"][0]
    door1 = _upload(client, "door 1", _scan(good, 3)).json["scans"][0]

    assert door2["result"] == "checked_in"  # what door 2 knew when it uploaded
    assert door1["result"] == "checked_in"
    assert door1["also_admitted"]["location"] == "door 2"
    attendances, scans = _state(app)
    assert [a.checked_in_at for a in attendances] == [NINE + timedelta(minutes=3)]
    assert [(s.location, s.result) for s in scans] == [
        ("door 1", ScanResult.CHECKED_IN),
        ("door 2", ScanResult.ALREADY_CHECKED_IN),
    ]
    counts = client.get("/checkin/forum/counts.json").json
    assert counts["checked_in"] == 1


def test_upload_refuses_anonymous_other_teams_and_bad_bodies(app, client, login_as):
    good = _token(app)
    _token(app, slug="other")
    with app.app_context():
        forum = db.session.scalar(db.select(Event).filter_by(slug="forum"))

    assert _upload(client, "d", _scan(good, 1)).status_code == 401
    login_as(Role.CHECKIN, events=[forum])
    refused = _upload(client, "d", _scan(good, 1, event="other"))
    assert refused.status_code == 403
    assert refused.json["error"] == "forbidden"
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    for bad in (
        {"scans": []},
        {"scans": [{"token": good, "scanned_at": NINE.isoformat(), "uuid": "x"}]},
        {"scans": [{"token": good, "scanned_at": "2026-12-04T09:00", "uuid": str(uuid.uuid4())}]},
        {"scans": [{"token": good, "scanned_at": future, "uuid": str(uuid.uuid4())}]},
        {"device": 3, "scans": [_scan(good, 1)]},
    ):
        response = client.post("/api/checkin/upload", json=bad)
        assert response.status_code == 400, bad
        assert response.json["error"] == "invalid_json"
    assert _state(app) == ([], [])


def test_a_device_token_uploads_without_login(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, API_TOKENS=["door-1"])
    good = _token(app)
    client = app.test_client()

    response = _upload(client, "door 1", _scan(good, 1), Authorization="Bearer door-1")
    refused = _upload(client, "door 1", _scan(good, 1))

    assert response.json["scans"][0]["result"] == "checked_in"
    assert refused.status_code == 401


@pytest.mark.skipif(not ON_POSTGRES, reason="concurrency needs PostgreSQL")
def test_two_devices_uploading_one_badge_at_once_make_one_check_in(app):
    good = _token(app)
    barrier = threading.Barrier(2)
    results = {}

    def door(name, minutes):
        with app.app_context():
            scan = QueuedScan(str(uuid.uuid4()), good, NINE + timedelta(minutes=minutes), "forum")
            barrier.wait()
            (recorded,) = record_uploads(
                [scan], keys=KEYS, staff_id=None, device=name, answer=_answer
            )
            results[name] = recorded.answer["result"]
            db.session.remove()

    threads = [threading.Thread(target=door, args=(f"door {n}", n)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    attendances, scans = _state(app)
    assert len(attendances) == 1
    assert attendances[0].checked_in_at == NINE + timedelta(minutes=1)
    assert sorted(s.result for s in scans) == [ScanResult.ALREADY_CHECKED_IN, ScanResult.CHECKED_IN]
    assert next(s for s in scans if s.location == "door 1").result == ScanResult.CHECKED_IN
    assert results["door 1"] == "checked_in"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1
