"""GET /api/events/<slug>/stats: counts for organizers only."""

from eventapp.models import Category, Role, Scan, ScanResult, SessionSignup, db, utcnow
from eventapp.models import RegistrationStatus as Status
from eventapp.models.checkin import Attendance
from tests.factories import make_event, make_registration, make_session


def _populate(app):
    with app.app_context():
        event = make_event(capacity=2, is_published=False)
        panel = make_session(event, capacity=1, title="Panel A")
        make_session(event, capacity=None, title="Open talk")
        a = make_registration(event, category=Category.GOVERNMENT, country="KR")
        b = make_registration(event, category=Category.PRESS)
        make_registration(event, status=Status.WAITLISTED, waitlisted_at=utcnow())
        make_registration(event, status=Status.CANCELLED, category=Category.PRESS)
        make_registration(make_event())  # another event: not counted
        db.session.add_all(
            [
                SessionSignup(registration_id=a.id, session_id=panel.id, status=Status.CONFIRMED),
                SessionSignup(
                    registration_id=b.id,
                    session_id=panel.id,
                    status=Status.WAITLISTED,
                    waitlisted_at=utcnow(),
                ),
                Scan(event_id=event.id, registration_id=a.id, result=ScanResult.CHECKED_IN),
                Scan(event_id=event.id, registration_id=a.id, result=ScanResult.ALREADY_CHECKED_IN),
                Scan(event_id=event.id, registration_id=b.id, result=ScanResult.INVALID),
                Scan(
                    event_id=event.id,
                    registration_id=a.id,
                    session_id=panel.id,
                    result=ScanResult.CHECKED_IN,
                ),
                # Who is in: the door and the panel admitted `a`.
                Attendance(event_id=event.id, registration_id=a.id),
                Attendance(event_id=event.id, registration_id=a.id, session_id=panel.id),
            ]
        )
        db.session.commit()
        return event.slug, panel.id


def test_stats_for_organizer_counts_status_category_waitlist_checkins_sessions(
    app, client, login_as
):
    slug, panel_id = _populate(app)
    login_as(Role.ORGANIZER)

    response = client.get(f"/api/events/{slug}/stats")

    assert response.status_code == 200
    data = response.get_json()
    assert data["by_status"] == {
        "confirmed": 2,
        "waitlisted": 1,
        "cancelled": 1,
        "pending": 0,
        "declined": 0,
    }
    assert data["total"] == 4
    assert data["capacity"] == 2
    assert data["waiting_list"] == 1
    assert data["by_country"] == {"KR": 1, "US": 2}  # cancelled ones not counted
    assert data["checked_in"] == 1
    assert data["by_category"]["press"] == {
        "confirmed": 1,
        "waitlisted": 0,
        "cancelled": 1,
        "pending": 0,
        "declined": 0,
    }
    assert data["by_category"]["government"]["confirmed"] == 1
    assert data["by_category"]["industry"]["waitlisted"] == 1
    assert sum(sum(c.values()) for c in data["by_category"].values()) == 4
    (panel,) = data["sessions"]
    assert (panel["id"], panel["capacity"], panel["title"]) == (panel_id, 1, "Panel A")
    assert (panel["confirmed"], panel["waiting_list"], panel["checked_in"]) == (1, 1, 1)
    assert response.headers["Cache-Control"] == "no-store"


def test_stats_for_admin_too(app, client, login_as):
    slug, _ = _populate(app)
    login_as(Role.ADMIN)

    assert client.get(f"/api/events/{slug}/stats").status_code == 200


def test_stats_anonymous_gets_401_json(app, client):
    slug, _ = _populate(app)

    response = client.get(f"/api/events/{slug}/stats")

    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"


def test_stats_checkin_staff_gets_403_json(app, client, login_as):
    slug, _ = _populate(app)
    login_as(Role.CHECKIN)

    response = client.get(f"/api/events/{slug}/stats")

    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"


def test_stats_unknown_event_is_404_json(client, login_as):
    login_as(Role.ORGANIZER)

    response = client.get("/api/events/nope/stats")

    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"
